package io.spoor.bench.load;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Command-line options of {@code spoor-bench load}. */
public record LoadOptions(
        Protocol protocol,
        String host,
        int port,
        int connections,
        int inFlight,
        Duration duration,
        Duration warmup,
        int batchSpans,
        int poolSize,
        double errorShare,
        long seed,
        int eventLoops,
        Duration requestTimeout,
        long serverPid,
        Path dataDir,
        URI metricsUrl,
        Duration drainTimeout,
        boolean json,
        List<String> commandLine) {

    public enum Protocol {
        GRPC, HTTP, ZIPKIN;

        public String label() {
            return switch (this) {
                case GRPC -> "otlp-grpc";
                case HTTP -> "otlp-http/protobuf";
                case ZIPKIN -> "zipkin-v2/json";
            };
        }
    }

    public static final String USAGE = """
            usage: spoor-bench load [options]
              --protocol grpc|http|zipkin
                                       OTLP/gRPC (TraceService/Export over h2c), OTLP/HTTP (POST /v1/traces,
                                       application/x-protobuf over HTTP/1.1) or Zipkin (POST /api/v2/spans,
                                       Zipkin v2 JSON over HTTP/1.1, any Zipkin server)   (default grpc)
              --target host:port       server address (default 127.0.0.1:4317 grpc, :4318 http, :9411 zipkin)
              --connections N          concurrent connections                                       (default 8)
              --in-flight K            requests in flight per connection (closed loop)               (default 1)
              --duration 60s           measured time (s, ms, m suffixes)                            (default 60s)
              --warmup 10s             load before measuring, excluded from every figure            (default 10s)
              --batch-spans 512        spans per export request                                    (default 512)
              --pool 64                distinct pre-encoded batches (ids and times are patched per send)
              --error-share 0.02       share of traces that fail with exception events
              --seed 42                generator seed
              --event-loops 1          loader network threads
              --timeout 30s            per-request response timeout
              --server-pid PID         report the server's CPU (/proc/PID/stat) and peak RSS (VmHWM)
              --data-dir DIR           with --metrics-url: report bytes on disk per stored span
              --metrics-url URL        Prometheus endpoint, e.g. http://127.0.0.1:16686/metrics
              --drain-timeout 60s      how long to wait for the server's pending writes to drain
              --json                   also print the result as one JSON line
            """;

    public static LoadOptions parse(String[] args) {
        Protocol protocol = Protocol.GRPC;
        String target = null;
        int connections = 8;
        int inFlight = 1;
        Duration duration = Duration.ofSeconds(60);
        Duration warmup = Duration.ofSeconds(10);
        int batchSpans = 512;
        int pool = 64;
        double errorShare = 0.02;
        long seed = 42;
        int eventLoops = 1;
        Duration timeout = Duration.ofSeconds(30);
        long serverPid = -1;
        Path dataDir = null;
        URI metricsUrl = null;
        Duration drain = Duration.ofSeconds(60);
        boolean json = false;
        List<String> cmd = new ArrayList<>(List.of(args));
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                v = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            switch (a) {
                case "--json" -> json = true;
                case "-h", "--help" -> throw new UsageException(null);
                default -> {
                    if (v == null) {
                        if (i + 1 >= args.length) {
                            throw new UsageException("missing value for " + a);
                        }
                        v = args[++i];
                    }
                    switch (a) {
                        case "--protocol" -> protocol = switch (v.toLowerCase(Locale.ROOT)) {
                            case "grpc" -> Protocol.GRPC;
                            case "http", "http/protobuf" -> Protocol.HTTP;
                            case "zipkin", "zipkin-json" -> Protocol.ZIPKIN;
                            default -> throw new UsageException("--protocol must be grpc, http or zipkin, not " + v);
                        };
                        case "--target" -> target = v;
                        case "--connections", "-c" -> connections = positiveInt(a, v);
                        case "--in-flight" -> inFlight = positiveInt(a, v);
                        case "--duration", "-d" -> duration = duration(a, v);
                        case "--warmup" -> warmup = duration(a, v);
                        case "--batch-spans" -> batchSpans = positiveInt(a, v);
                        case "--pool" -> pool = positiveInt(a, v);
                        case "--error-share" -> errorShare = Double.parseDouble(v);
                        case "--seed" -> seed = Long.parseLong(v);
                        case "--event-loops" -> eventLoops = positiveInt(a, v);
                        case "--timeout" -> timeout = duration(a, v);
                        case "--server-pid" -> serverPid = Long.parseLong(v);
                        case "--data-dir" -> dataDir = Path.of(v);
                        case "--metrics-url" -> metricsUrl = URI.create(v);
                        case "--drain-timeout" -> drain = duration(a, v);
                        default -> throw new UsageException("unknown option " + a);
                    }
                }
            }
        }
        if (target == null) {
            target = switch (protocol) {
                case GRPC -> "127.0.0.1:4317";
                case HTTP -> "127.0.0.1:4318";
                case ZIPKIN -> "127.0.0.1:9411";
            };
        }
        int colon = target.lastIndexOf(':');
        if (colon <= 0) {
            throw new UsageException("--target must be host:port, not " + target);
        }
        String host = target.substring(0, colon);
        int port = positiveInt("--target", target.substring(colon + 1));
        if (duration.isZero()) {
            throw new UsageException("--duration must be > 0");
        }
        return new LoadOptions(protocol, host, port, connections, inFlight, duration, warmup, batchSpans, pool,
                errorShare, seed, eventLoops, timeout, serverPid, dataDir, metricsUrl, drain, json, List.copyOf(cmd));
    }

    private static int positiveInt(String option, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n <= 0) {
                throw new UsageException(option + " must be > 0, not " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(option + " needs a number, not " + v);
        }
    }

    static Duration duration(String option, String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        try {
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            if (s.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
            }
            if (s.endsWith("m")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 60_000));
            }
            return Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
        } catch (NumberFormatException e) {
            throw new UsageException(option + " needs a duration like 60s, 500ms or 2m, not " + v);
        }
    }

    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }
}
