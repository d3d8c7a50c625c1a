package io.spoor.server.support;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanLimits;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Spans made by the OpenTelemetry Java SDK and kept as its {@link SpanData}, so that a test can hand one collection
 * to the SDK's real exporters (one export holding several services), or serialize it with the SDK's own OTLP
 * marshaler: the Java SDK has no OTLP/JSON exporter, but its marshaler writes the OTLP JSON that the SDKs of other
 * languages send. The SDK's own span limits are raised out of the way, so that what reaches Spoor is what the test
 * made.
 */
public final class SdkSpans implements SpanExporter {
    private final List<SpanData> spans = new ArrayList<>();

    /** A tracer of a provider with {@code resource} (no SDK defaults added) that records into this collection. */
    public Tracer tracer(Resource resource) {
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(resource)
                .setSpanLimits(SpanLimits.builder().setMaxNumberOfAttributes(100_000).setMaxNumberOfEvents(100_000)
                        .setMaxNumberOfLinks(100_000).setMaxNumberOfAttributesPerEvent(100_000)
                        .setMaxNumberOfAttributesPerLink(100_000).build())
                .addSpanProcessor(SimpleSpanProcessor.create(this)).build();
        return provider.get("io.spoor.test", "1.0");
    }

    public static Resource service(String name) {
        return Resource.create(Attributes.of(io.opentelemetry.api.common.AttributeKey.stringKey("service.name"),
                name));
    }

    /** The spans ended so far, in order. */
    public synchronized List<SpanData> spans() {
        return List.copyOf(spans);
    }

    @Override
    public synchronized CompletableResultCode export(Collection<SpanData> batch) {
        spans.addAll(batch);
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }

    /** Exports {@code spans} in one export with a real exporter; true when the exporter reported success. */
    public static boolean export(SpanExporter exporter, Collection<SpanData> spans) {
        try {
            return exporter.export(spans).join(30, TimeUnit.SECONDS).isSuccess();
        } finally {
            exporter.shutdown().join(10, TimeUnit.SECONDS);
        }
    }

    /** The SDK's OTLP/JSON serialization of one ExportTraceServiceRequest. */
    public static byte[] json(Collection<SpanData> spans) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            TraceRequestMarshaler.create(spans).writeJsonTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The SDK's OTLP/protobuf serialization of one ExportTraceServiceRequest. */
    public static byte[] protobuf(Collection<SpanData> spans) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            TraceRequestMarshaler.create(spans).writeBinaryTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Spans made elsewhere, for {@link #export}: a copy of this collection as it is now. */
    public static List<SpanData> all(SdkSpans... sources) {
        List<SpanData> out = new ArrayList<>();
        for (SdkSpans s : sources) {
            out.addAll(s.spans());
        }
        return out;
    }
}
