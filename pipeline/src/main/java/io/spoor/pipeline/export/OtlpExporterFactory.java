package io.spoor.pipeline.export;

import io.spoor.pipeline.ExporterFactory;
import io.spoor.pipeline.SpanConsumer;
import io.spoor.pipeline.StageContext;
import io.spoor.pipeline.config.ConfigNode;

/** {@code exporters.otlp}: forwards over OTLP/gRPC to any OTLP backend (docs/configuration.md has the keys). */
public record OtlpExporterFactory() implements ExporterFactory<OtlpExporterSettings> {
    public static final String TYPE = "otlp";

    @Override
    public String type() {
        return TYPE;
    }

    /** There is none: an exporter that forwards must be told where to. */
    @Override
    public OtlpExporterSettings defaultConfig() {
        throw OtlpExporterSettingsReader.needsEndpoint(TYPE);
    }

    @Override
    public OtlpExporterSettings parse(ConfigNode node) {
        return OtlpExporterSettingsReader.read(node, OtlpExporterSettings.Protocol.GRPC);
    }

    @Override
    public SpanConsumer create(String id, OtlpExporterSettings config, StageContext context) {
        return new OtlpExporter(id, config, context.registry());
    }
}
