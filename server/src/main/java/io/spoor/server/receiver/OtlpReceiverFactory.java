package io.spoor.server.receiver;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.cors.CorsService;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.server.grpc.GrpcServiceBuilder;
import io.spoor.pipeline.config.ConfigNode;
import io.spoor.pipeline.config.Section;

/**
 * {@code receivers.otlp}: OTLP/gRPC and OTLP/HTTP ({@code /v1/traces}; metrics and logs are answered but not
 * stored), each on its own port. The ports come from the resolved network settings, where the command-line flags
 * override this receiver's endpoints.
 */
public record OtlpReceiverFactory() implements ReceiverFactory<OtlpReceiverConfig> {
    public static final String TYPE = "otlp";
    /** Listener names, by which the composition root reports the ports. */
    public static final String GRPC_LISTENER = "otlp/grpc";
    public static final String HTTP_LISTENER = "otlp/http";
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
        return new OtlpReceiverConfig(Endpoint.read(protocols.section("grpc", "endpoint")),
                Endpoint.read(protocols.section("http", "endpoint")));
    }

    @Override
    public void create(String id, OtlpReceiverConfig config, ReceiverContext context) {
        OtlpIngest ingest = new OtlpIngest(context.pipeline(), context.metrics());
        grpc(ingest, context.listeners().listen(GRPC_LISTENER, context.network().otlpGrpcPort()));
        http(ingest, context.listeners().listen(HTTP_LISTENER, context.network().otlpHttpPort()));
    }

    private static void grpc(OtlpIngest ingest, ServerBuilder sb) {
        GrpcServiceBuilder grpc = GrpcService.builder()
                .supportedSerializationFormats(GrpcSerializationFormats.PROTO)
                .maxRequestMessageLength(MAX_GRPC_MESSAGE_BYTES);
        OtlpGrpcServices.all(ingest).forEach(grpc::addService);
        sb.maxRequestLength(4L * MAX_GRPC_MESSAGE_BYTES).service(grpc.build());
    }

    private static void http(OtlpIngest ingest, ServerBuilder sb) {
        sb.maxRequestLength(OtlpHttpService.MAX_BODY_BYTES).errorHandler(new OtlpHttpProtocolErrors());
        // Browser SDKs (OpenTelemetry JS web) export cross-origin.
        var cors = CorsService.builderForAnyOrigin().allowRequestMethods(HttpMethod.POST)
                .allowRequestHeaders("content-type", "content-encoding").maxAge(3600).newDecorator();
        sb.route().path("/v1/traces").decorator(cors).build(
                new OtlpHttpService(Signal.TRACES, ingest, OtlpHttpService.MAX_BODY_BYTES));
        sb.route().path("/v1/metrics").decorator(cors).build(
                new OtlpHttpService(Signal.METRICS, ingest, OtlpHttpService.MAX_BODY_BYTES));
        sb.route().path("/v1/logs").decorator(cors).build(
                new OtlpHttpService(Signal.LOGS, ingest, OtlpHttpService.MAX_BODY_BYTES));
    }
}
