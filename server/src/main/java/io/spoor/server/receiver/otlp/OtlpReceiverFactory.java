package io.spoor.server.receiver.otlp;

import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.server.grpc.GrpcServiceBuilder;
import io.spoor.pipeline.config.ConfigNode;
import io.spoor.pipeline.config.Section;
import io.spoor.server.receiver.BodyAdmission;
import io.spoor.server.receiver.CrossOrigin;
import io.spoor.server.receiver.Endpoint;
import io.spoor.server.receiver.ListenerSettings;
import io.spoor.server.receiver.ReceiverContext;
import io.spoor.server.receiver.ReceiverFactory;
import io.spoor.server.receiver.ReceiverSettings;
import io.spoor.server.receiver.Signal;
import io.spoor.server.receiver.SpanReceiver;

/**
 * {@code receivers.otlp}: OTLP/gRPC and OTLP/HTTP ({@code /v1/traces}; metrics and logs are answered but not stored),
 * each on its own port with its own listener settings. The ports come from the resolved network settings, where the
 * command-line flags override this receiver's endpoints.
 */
public record OtlpReceiverFactory() implements ReceiverFactory<OtlpReceiverConfig> {
    public static final String TYPE = "otlp";
    /** Listener names, by which start-up errors and the composition root name them. */
    public static final String GRPC_LISTENER = "OTLP/gRPC";
    public static final String HTTP_LISTENER = "OTLP/HTTP";
    /** The OTLP/gRPC message limit (after decompression); larger messages get RESOURCE_EXHAUSTED. */
    public static final int MAX_GRPC_MESSAGE_BYTES = 4 * 1024 * 1024;

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public OtlpReceiverConfig defaultConfig() {
        return OtlpReceiverConfig.DEFAULTS;
    }

    @Override
    public OtlpReceiverConfig parse(ConfigNode node) {
        Section otlp = Section.of(node, node.path(), "protocols");
        Section protocols = otlp.section("protocols", "grpc", "http");
        Section grpc = protocols.section("grpc", ListenerSettings.keys("endpoint"));
        Section http = protocols.section("http", ListenerSettings.keys("endpoint", "cors"));
        return new OtlpReceiverConfig(Endpoint.read(grpc), Endpoint.read(http), ListenerSettings.read(grpc, false),
                ListenerSettings.read(http, true));
    }

    @Override
    public void create(String id, OtlpReceiverConfig config, ReceiverContext context) {
        grpc(context, config.grpcListener(), context.listeners().listen(GRPC_LISTENER,
                context.network().otlpGrpcPort(), "--otlp-grpc-port", config.grpcListener()));
        http(context, config.httpListener(), context.listeners().listen(HTTP_LISTENER,
                context.network().otlpHttpPort(), "--otlp-http-port", config.httpListener()));
    }

    private static void grpc(ReceiverContext context, ReceiverSettings.Listener limits, ServerBuilder sb) {
        SpanReceiver receiver = context.receiver();
        GrpcServiceBuilder grpc = GrpcService.builder()
                .supportedSerializationFormats(GrpcSerializationFormats.PROTO)
                .maxRequestMessageLength(MAX_GRPC_MESSAGE_BYTES)
                .exceptionHandler(OtlpGrpcErrors.bodyRejections(receiver.metrics()));
        OtlpGrpcServices.all(receiver).forEach(grpc::addService);
        sb.maxRequestLength(4L * MAX_GRPC_MESSAGE_BYTES)
                .service(grpc.build(), BodyAdmission.grpc(context.pipeline(), limits.bodyReadTimeout(),
                        MAX_GRPC_MESSAGE_BYTES));
    }

    private static void http(ReceiverContext context, ReceiverSettings.Listener limits, ServerBuilder sb) {
        sb.maxRequestLength(OtlpHttpService.MAX_BODY_BYTES).errorHandler(new OtlpHttpProtocolErrors());
        var admission = BodyAdmission.http(context.pipeline(), limits.bodyReadTimeout());
        // Browser SDKs (OpenTelemetry JS web) export cross-origin, from the origins the configuration allows.
        var cors = CrossOrigin.preflights(limits.allowedOrigins());
        for (Signal signal : Signal.values()) {
            sb.route().path(signal.otlpHttpPath()).decorator(admission).decorator(cors).build(
                    new OtlpHttpService(signal, context.receiver(), OtlpHttpService.MAX_BODY_BYTES,
                            limits.allowedOrigins()));
        }
    }
}
