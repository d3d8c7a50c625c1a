package io.spoor.server.receiver.otlp;

import com.google.protobuf.Message;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.spoor.server.receiver.BodyAdmission;
import io.spoor.server.receiver.BodyReservation;
import io.spoor.server.receiver.ExportFailure;
import io.spoor.server.receiver.ExportResult;
import io.spoor.server.receiver.RequestBody;
import io.spoor.server.receiver.Signal;
import io.spoor.server.receiver.SpanReceiver;
import io.spoor.server.receiver.Transport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * OTLP/gRPC: {@code TraceService/Export}, {@code MetricsService/Export}, {@code LogsService/Export}.
 *
 * <p>The methods are the ones of the grpc-java stubs in opentelemetry-proto, bound with a request marshaller that
 * keeps the raw message bytes: the same decoder as OTLP/HTTP then parses them, so that malformed input gets the same
 * INVALID_ARGUMENT message on both transports, admission sees the real message size, and the transport does not
 * build a protobuf object tree only for it to be converted again.
 */
public final class OtlpGrpcServices {
    private OtlpGrpcServices() {
    }

    public static List<ServerServiceDefinition> all(SpanReceiver receiver) {
        UnstoredSignals unstored = new UnstoredSignals(receiver.metrics());
        return List.of(
                service(TraceServiceGrpc.getExportMethod(), ExportTraceServiceResponse.getDefaultInstance(),
                        (body, observer) -> exportTraces(receiver, body, observer)),
                service(MetricsServiceGrpc.getExportMethod(), ExportMetricsServiceResponse.getDefaultInstance(),
                        (body, observer) -> exportUnstored(unstored, Signal.METRICS, body, observer)),
                service(LogsServiceGrpc.getExportMethod(), ExportLogsServiceResponse.getDefaultInstance(),
                        (body, observer) -> exportUnstored(unstored, Signal.LOGS, body, observer)));
    }

    private static <Q, R extends Message> ServerServiceDefinition service(
            MethodDescriptor<Q, R> stubMethod, R responsePrototype, ServerCalls.UnaryMethod<byte[], R> handler) {
        MethodDescriptor<byte[], R> method = stubMethod.toBuilder(RawBytesMarshaller.INSTANCE,
                ProtoUtils.marshaller(responsePrototype)).build();
        return ServerServiceDefinition.builder(stubMethod.getServiceName())
                .addMethod(method, ServerCalls.asyncUnaryCall(handler))
                .build();
    }

    @SuppressWarnings("unchecked")
    private static <R> void exportTraces(SpanReceiver receiver, byte[] body, StreamObserver<R> observer) {
        ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
        Executor decodeExecutor = ctx != null ? ctx.blockingTaskExecutor() : Runnable::run;
        BodyReservation reservation = BodyAdmission.reservation(ctx, receiver);
        CompletableFuture<ExportResult> result;
        try {
            result = receiver.receive(Transport.GRPC, OtlpDecoders.PROTOBUF, RequestBody.of(body), reservation,
                    decodeExecutor);
        } catch (RuntimeException e) {
            reservation.cancel();
            observer.onError(OtlpGrpcErrors.toException(ExportFailure.of(ExportFailure.Kind.INTERNAL,
                    receiver.errors().report("internal error", e))));
            return;
        }
        result.whenComplete((r, error) -> {
            if (error != null) {
                observer.onError(OtlpGrpcErrors.toException(ExportFailure.of(ExportFailure.Kind.INTERNAL,
                        receiver.errors().report("internal error", error))));
            } else {
                complete(r, (StreamObserver<Message>) observer);
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static <R> void exportUnstored(UnstoredSignals unstored, Signal signal, byte[] body,
                                           StreamObserver<R> observer) {
        ExportResult result = unstored.export(Transport.GRPC, signal, WireFormat.PROTOBUF, RequestBody.of(body));
        BodyAdmission.release(ServiceRequestContext.currentOrNull());
        complete(result, (StreamObserver<Message>) observer);
    }

    private static void complete(ExportResult result, StreamObserver<Message> observer) {
        switch (result) {
            case ExportResult.Accepted a -> {
                observer.onNext(OtlpResponses.response(a));
                observer.onCompleted();
            }
            case ExportResult.Failed f -> observer.onError(OtlpGrpcErrors.toException(f.failure()));
        }
    }

    /** Keeps the request message as bytes; parsing happens in the OTLP decoder. */
    static final class RawBytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {
        static final RawBytesMarshaller INSTANCE = new RawBytesMarshaller();

        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try (stream) {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
