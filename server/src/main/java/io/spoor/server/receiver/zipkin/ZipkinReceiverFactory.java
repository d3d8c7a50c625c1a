package io.spoor.server.receiver.zipkin;

import com.linecorp.armeria.server.ServerBuilder;
import io.spoor.pipeline.config.ConfigNode;
import io.spoor.pipeline.config.Section;
import io.spoor.server.receiver.BodyAdmission;
import io.spoor.server.receiver.Endpoint;
import io.spoor.server.receiver.ListenerSettings;
import io.spoor.server.receiver.ReceiverContext;
import io.spoor.server.receiver.ReceiverFactory;
import io.spoor.server.receiver.otlp.OtlpHttpService;

/**
 * {@code receivers.zipkin}: Zipkin v2 JSON and proto3 on {@code POST /api/v2/spans}. Its listener also serves the
 * Zipkin query API, as Zipkin's own server does: the composition root binds that API to the listener named
 * {@link #LISTENER} once the receivers are created.
 */
public record ZipkinReceiverFactory() implements ReceiverFactory<ZipkinReceiverConfig> {
    public static final String TYPE = "zipkin";
    public static final String LISTENER = "Zipkin";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public ZipkinReceiverConfig defaultConfig() {
        return ZipkinReceiverConfig.DEFAULTS;
    }

    @Override
    public ZipkinReceiverConfig parse(ConfigNode node) {
        Section s = Section.of(node, node.path(), ListenerSettings.keys("endpoint", "cors"));
        return new ZipkinReceiverConfig(Endpoint.read(s), ListenerSettings.read(s, true));
    }

    @Override
    public void create(String id, ZipkinReceiverConfig config, ReceiverContext context) {
        ServerBuilder sb = context.listeners().listen(LISTENER, context.network().zipkinPort(), "--zipkin-port",
                config.listener()).maxRequestLength(OtlpHttpService.MAX_BODY_BYTES);
        new ZipkinReceiver(context.receiver(), OtlpHttpService.MAX_BODY_BYTES, config.listener().allowedOrigins())
                .bind(sb, BodyAdmission.http(context.pipeline(), config.listener().bodyReadTimeout()));
    }
}
