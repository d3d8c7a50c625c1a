package io.spoor.server.support;

import io.spoor.server.SpoorServer;
import io.spoor.server.StoreOpener;
import io.spoor.server.config.SpoorConfig;
import java.net.URI;
import java.nio.file.Path;

/** Starts a real {@link SpoorServer} in-process on ephemeral 127.0.0.1 ports. */
public final class Harness implements AutoCloseable {
    public final SpoorServer server;
    public final Http http = new Http();

    private Harness(SpoorServer server) {
        this.server = server;
    }

    public static SpoorConfig config(Path dataDir) {
        return SpoorConfig.defaults().withDataDir(dataDir)
                .withNetwork(new SpoorConfig.Network("127.0.0.1", 0, 0, 0, 0));
    }

    public static Harness start(SpoorConfig config, StoreOpener opener) {
        return new Harness(new SpoorServer(config, opener).start());
    }

    /** With the real embedded engine. */
    public static Harness start(SpoorConfig config) {
        return start(config, StoreOpener.configured());
    }

    public URI otlpHttp(String path) {
        return URI.create("http://127.0.0.1:" + server.otlpHttpPort() + path);
    }

    public URI api(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.httpPort() + pathAndQuery);
    }

    public URI zipkin(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.zipkinPort() + pathAndQuery);
    }

    public String grpcTarget() {
        return "127.0.0.1:" + server.otlpGrpcPort();
    }

    public RawGrpc grpc() {
        return new RawGrpc(server.otlpGrpcPort());
    }

    @Override
    public void close() {
        server.close();
    }
}
