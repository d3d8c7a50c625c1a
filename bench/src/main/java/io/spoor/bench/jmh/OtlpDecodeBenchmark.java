package io.spoor.bench.jmh;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.spoor.bench.load.ShopTraceGenerator;
import io.spoor.model.Span;
import io.spoor.protocol.otlp.DecodedTraces;
import io.spoor.protocol.otlp.OtlpTraceDecoder;
import io.spoor.protocol.otlp.OtlpTraceEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The ingest decode path on one OTLP batch of demo-shop spans (the load generator's batches):
 * protobuf-java's generated parser alone, Spoor's protobuf decoder (bytes → model spans) and Spoor's
 * JSON decoder, plus the JSON encoder. Scores are microseconds per batch; spans/s = spans / score × 1e6.
 * Add {@code -prof gc} for bytes allocated per batch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class OtlpDecodeBenchmark {

    @Param({"512"})
    public int spans;

    private byte[] protobuf;
    private byte[] json;
    private List<Span> model;

    @Setup(Level.Trial)
    public void setUp() {
        ShopTraceGenerator generator = new ShopTraceGenerator(42, 0.02);
        protobuf = generator.batch(spans, System.currentTimeMillis() * 1_000_000L).toByteArray();
        DecodedTraces decoded = OtlpTraceDecoder.decodeProtobuf(protobuf);
        if (decoded.spans().size() != spans || decoded.hasRejections()) {
            throw new IllegalStateException("decoder lost spans: " + decoded.spans().size() + " of " + spans);
        }
        model = decoded.spans();
        json = OtlpTraceEncoder.encodeJson(model);
        if (OtlpTraceDecoder.decodeJson(json).spans().size() != spans) {
            throw new IllegalStateException("JSON round trip lost spans");
        }
    }

    /** Baseline: the generated message classes, no model conversion. */
    @Benchmark
    public ExportTraceServiceRequest protobufJavaParse() throws Exception {
        return ExportTraceServiceRequest.parseFrom(protobuf);
    }

    @Benchmark
    public DecodedTraces spoorDecodeProtobuf() {
        return OtlpTraceDecoder.decodeProtobuf(protobuf);
    }

    @Benchmark
    public DecodedTraces spoorDecodeJson() {
        return OtlpTraceDecoder.decodeJson(json);
    }

    @Benchmark
    public byte[] spoorEncodeJson() {
        return OtlpTraceEncoder.encodeJson(model);
    }
}
