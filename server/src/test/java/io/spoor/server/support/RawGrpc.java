package io.spoor.server.support;

import com.google.protobuf.InvalidProtocolBufferException;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;

/**
 * Sends hand-made gRPC frames over h2c, so that tests can send exactly the bytes they want (truncated messages,
 * other message types, oversized messages) and read the raw status and details.
 */
public final class RawGrpc {
    public static final String TRACES = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
    public static final String METRICS = "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export";
    public static final String LOGS = "/opentelemetry.proto.collector.logs.v1.LogsService/Export";

    private final WebClient client;

    public RawGrpc(int port) {
        client = WebClient.builder("h2c://127.0.0.1:" + port).factory(ClientFactory.ofDefault())
                .responseTimeoutMillis(30_000).maxResponseLength(0).build();
    }

    public record Reply(int status, String message, byte[] message0, byte[] details) {
        public com.google.rpc.Status statusDetails() throws InvalidProtocolBufferException {
            return com.google.rpc.Status.parseFrom(details == null ? new byte[0] : details);
        }
    }

    public Reply call(String path, byte[] message, boolean gzip) {
        return callAsync(path, message, gzip).join();
    }

    public java.util.concurrent.CompletableFuture<Reply> callAsync(String path, byte[] message, boolean gzip) {
        byte[] payload = gzip ? gzip(message) : message;
        ByteBuffer frame = ByteBuffer.allocate(5 + payload.length);
        frame.put((byte) (gzip ? 1 : 0)).putInt(payload.length).put(payload);
        com.linecorp.armeria.common.RequestHeadersBuilder h = RequestHeaders.builder(HttpMethod.POST, path)
                .contentType(MediaType.parse("application/grpc")).add("te", "trailers");
        if (gzip) {
            h.add("grpc-encoding", "gzip");
        }
        return client.execute(h.build(), HttpData.wrap(frame.array())).aggregate().thenApply(RawGrpc::reply);
    }

    private static Reply reply(AggregatedHttpResponse r) {
        HttpHeaders trailers = r.trailers().isEmpty() ? r.headers() : r.trailers();
        String status = trailers.get("grpc-status");
        String msg = trailers.get("grpc-message");
        String details = trailers.get("grpc-status-details-bin");
        byte[] body = r.content().array();
        byte[] first = body.length >= 5 ? java.util.Arrays.copyOfRange(body, 5, body.length) : new byte[0];
        return new Reply(status == null ? -1 : Integer.parseInt(status),
                msg == null ? "" : URLDecoder.decode(msg.replace("+", "%2B"), StandardCharsets.UTF_8), first,
                details == null ? null : Base64.getDecoder().decode(padded(details)));
    }

    private static String padded(String b64) {
        int pad = (4 - b64.length() % 4) % 4;
        return b64 + "=".repeat(pad);
    }

    public static byte[] gzip(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(out)) {
            g.write(b);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
        return out.toByteArray();
    }
}
