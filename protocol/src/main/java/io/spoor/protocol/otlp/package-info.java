/**
 * OTLP codecs, no I/O: OTLP/protobuf and OTLP/JSON trace exports to and from {@link io.spoor.model.Span}, plus
 * validation and counting of metrics and logs exports.
 *
 * <ul>
 *   <li>{@link io.spoor.protocol.otlp.OtlpTraceDecoder}: bytes (or a parsed gRPC message) to spans. Spans with
 *       unusable ids are rejected one by one and reported in {@link io.spoor.protocol.otlp.DecodedTraces}
 *       (OTLP partial success); input that is not the message at all throws
 *       {@link io.spoor.protocol.otlp.OtlpDecodeException}.</li>
 *   <li>{@link io.spoor.protocol.otlp.OtlpTraceEncoder}: spans to OTLP, grouped by resource and scope.</li>
 *   <li>{@link io.spoor.protocol.otlp.OtlpSignalDecoder}: metrics/logs exports validated and counted.</li>
 * </ul>
 *
 * <p>Protobuf goes through the generated {@code opentelemetry-proto} classes; JSON is streamed with Jackson's
 * {@code JsonParser} straight into the model (no tree), following the proto3 JSON mapping as OTLP amends it:
 * hex ids, enums as numbers (names accepted), 64-bit integers as strings (numbers accepted), unknown fields
 * ignored. All entry points are static, stateless and thread-safe.
 */
package io.spoor.protocol.otlp;
