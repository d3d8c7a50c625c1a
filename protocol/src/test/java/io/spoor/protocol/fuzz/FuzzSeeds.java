package io.spoor.protocol.fuzz;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs; import io.opentelemetry.proto.logs.v1.ScopeLogs; import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint; import io.opentelemetry.proto.metrics.v1.ResourceMetrics; import io.opentelemetry.proto.metrics.v1.ScopeMetrics; import io.opentelemetry.proto.metrics.v1.Metric; import io.opentelemetry.proto.metrics.v1.Gauge; import io.opentelemetry.proto.metrics.v1.Sum; import io.opentelemetry.proto.metrics.v1.Histogram; import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.spoor.model.*;
import io.spoor.protocol.otlp.OtlpTraceEncoder;
import java.nio.file.*;
import java.util.List;
import zipkin2.Endpoint;
import zipkin2.codec.SpanBytesEncoder;

/**
 * Writes the seed corpus of the decoders' fuzz tests (run once by hand; the files are kept in the repository): the
 * OpenTelemetry SDKs' exports from the shared samples, spans with every field, metrics and logs, and Zipkin reports
 * written by Zipkin's own library. Arguments: the seed root ({@code protocol/src/test/resources/io/spoor/protocol/fuzz})
 * and the samples folder.
 */
public final class FuzzSeeds {
  private FuzzSeeds() {
  }

  static void write(Path dir, String name, byte[] b) throws Exception {
    Files.createDirectories(dir);
    Files.write(dir.resolve(name), b);
    System.out.println(dir.resolve(name) + " " + b.length);
  }
  static byte[] prefixed(int p, byte[] b) {
    byte[] out = new byte[b.length + 1]; out[0] = (byte) p; System.arraycopy(b, 0, out, 1, b.length); return out;
  }
  public static void main(String[] a) throws Exception {
    Path res = Path.of(a[0]);            // protocol/src/test/resources/io/spoor/protocol/fuzz
    Path samples = Path.of(a[1]);        // /work/shared/research/samples
    String m = "decodesAnyBytesIntoValidSpansOrRefusesThem";
    // OTLP protobuf: the JS SDK's export, and Spoor's encoding of spans with every field and value type
    write(res.resolve("OtlpProtobufTraceFuzzTestInputs").resolve(m), "js-sdk-export.pb", Files.readAllBytes(samples.resolve("otlp-traces-from-js-sdk.pb")));
    TraceId id = TraceId.fromHex("5b8efff798038103d269b633813fc60c");
    Resource r = new Resource(Attributes.of("service.name", "checkout", "host.name", "h1"), "https://opentelemetry.io/schemas/1.21.0", 2);
    InstrumentationScope sc = new InstrumentationScope("io.shop", "1.0", Attributes.of("k", "v"), 1);
    Span full = Span.builder(id, 0xeee19b7ec3c1b174L).parentSpanId(0xeee19b7ec3c1b173L).traceState("a=b").flags(0x301)
        .name("GET /checkout").kind(SpanKind.SERVER).startEpochNanos(1_763_000_000_000_000_000L).endEpochNanos(1_763_000_000_100_000_000L)
        .attributes(new Attributes(List.of(new Attribute("s", AttributeValue.of("x")), new Attribute("l", AttributeValue.of(-5L)),
            new Attribute("d", AttributeValue.of(2.5)), new Attribute("b", AttributeValue.of(true)),
            new Attribute("bytes", new AttributeValue.BytesValue(new byte[]{1,2,3})),
            new Attribute("arr", new AttributeValue.ArrayValue(List.of(AttributeValue.of("a"), AttributeValue.of(1L)))),
            new Attribute("map", new AttributeValue.MapValue(Attributes.of("inner", "v"))))))
        .droppedAttributesCount(3)
        .events(List.of(new SpanEvent(1_763_000_000_050_000_000L, "exception", Attributes.of("exception.message", "boom"), 1)))
        .links(List.of(new SpanLink(TraceId.fromHex("0af7651916cd43dd8448eb211c80319c"), 7, "x=y", Attributes.of("l", 1L), 0, 1)))
        .status(new Status(StatusCode.ERROR, "failed")).resource(r).scope(sc).build();
    Span child = Span.builder(id, 2).parentSpanId(0xeee19b7ec3c1b174L).name("SELECT").kind(SpanKind.CLIENT)
        .startEpochNanos(1_763_000_000_010_000_000L).endEpochNanos(1_763_000_000_020_000_000L).resource(r).build();
    write(res.resolve("OtlpProtobufTraceFuzzTestInputs").resolve(m), "every-field.pb", OtlpTraceEncoder.encodeProtobuf(List.of(full, child)));
    // OTLP JSON: the JS and Java SDKs' exports, and the same every-field spans
    Path json = res.resolve("OtlpJsonTraceFuzzTestInputs").resolve(m);
    write(json, "js-sdk-export.json", Files.readAllBytes(samples.resolve("otlp-traces-from-js-sdk.json")));
    write(json, "java-sdk-export.json", Files.readAllBytes(samples.resolve("otlp-traces-from-java-sdk.json")));
    write(json, "every-field.json", OtlpTraceEncoder.encodeJson(List.of(full, child)));
    // metrics and logs: first byte 0 metrics/protobuf, 1 metrics/JSON, 2 logs/protobuf, 3 logs/JSON
    Path sig = res.resolve("OtlpSignalFuzzTestInputs").resolve("countsTheItemsOfAnyExportOrRefusesIt");
    NumberDataPoint p = NumberDataPoint.newBuilder().setAsInt(1).setTimeUnixNano(1).build();
    ExportMetricsServiceRequest metrics = ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName("g").setGauge(Gauge.newBuilder().addDataPoints(p)))
            .addMetrics(Metric.newBuilder().setName("s").setSum(Sum.newBuilder().addDataPoints(p).addDataPoints(p)))
            .addMetrics(Metric.newBuilder().setName("h").setHistogram(Histogram.newBuilder().addDataPoints(HistogramDataPoint.newBuilder().setCount(3))))))
        .build();
    write(sig, "metrics.pb", prefixed(0, metrics.toByteArray()));
    write(sig, "js-sdk-metrics.json", prefixed(1, Files.readAllBytes(samples.resolve("otlp-metrics-from-js-sdk.json"))));
    ExportLogsServiceRequest logs = ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
        .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(LogRecord.newBuilder().setBody(AnyValue.newBuilder().setStringValue("hello")))
            .addLogRecords(LogRecord.newBuilder().setSeverityText("WARN")))).build();
    write(sig, "logs.pb", prefixed(2, logs.toByteArray()));
    write(sig, "logs.json", prefixed(3, "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":{\"stringValue\":\"hello\"}},{\"severityText\":\"WARN\"}]}]}]}".getBytes()));
    // Zipkin, written by Zipkin's own library: a client/server pair sharing an id, annotations, tags, both endpoints
    long ts = 1_763_000_000_000_000L;
    Endpoint fe = Endpoint.newBuilder().serviceName("frontend").ip("192.168.99.101").port(9000).build();
    Endpoint be = Endpoint.newBuilder().serviceName("backend").ip("2001:db8::c001").port(9000).build();
    zipkin2.Span root = zipkin2.Span.newBuilder().traceId("86154a4ba6e91385").id("86154a4ba6e91385").name("get /")
        .kind(zipkin2.Span.Kind.SERVER).localEndpoint(fe).timestamp(ts).duration(1500).putTag("http.path", "/").build();
    zipkin2.Span client = zipkin2.Span.newBuilder().traceId("86154a4ba6e91385").parentId("86154a4ba6e91385").id("4d1e00c0db9010db")
        .name("get /api").kind(zipkin2.Span.Kind.CLIENT).localEndpoint(fe).remoteEndpoint(be).timestamp(ts + 100).duration(1000)
        .addAnnotation(ts + 150, "wire.send").addAnnotation(ts + 900, "wire.recv").putTag("error", "timeout").build();
    zipkin2.Span server = client.toBuilder().kind(zipkin2.Span.Kind.SERVER).shared(true).localEndpoint(be).remoteEndpoint(fe)
        .timestamp(ts + 200).duration(600).clearAnnotations().clearTags().putTag("otel.status_code", "ERROR").debug(true).build();
    zipkin2.Span wide = zipkin2.Span.newBuilder().traceId("5b8efff798038103d269b633813fc60c").id("0000000000000001")
        .name("producer").kind(zipkin2.Span.Kind.PRODUCER).localEndpoint(Endpoint.newBuilder().serviceName("queue").build())
        .timestamp(ts).addAnnotation(ts + 1, "\"event\":{\"k\":1,\"arr\":[1,2]}").putTag("otel.scope.name", "io.shop")
        .putTag("otel.dropped_attributes_count", "2").build();
    List<zipkin2.Span> report = List.of(root, client, server, wide);
    write(res.resolve("ZipkinJsonFuzzTestInputs").resolve(m), "zipkin-report.json", SpanBytesEncoder.JSON_V2.encodeList(report));
    write(res.resolve("ZipkinJsonFuzzTestInputs").resolve(m), "one-span.json", SpanBytesEncoder.JSON_V2.encodeList(List.of(root)));
    write(res.resolve("ZipkinProto3FuzzTestInputs").resolve(m), "zipkin-report.proto3", SpanBytesEncoder.PROTO3.encodeList(report));
    write(res.resolve("ZipkinProto3FuzzTestInputs").resolve(m), "one-span.proto3", SpanBytesEncoder.PROTO3.encodeList(List.of(client)));
  }
}
