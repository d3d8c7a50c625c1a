package io.spoor.pipeline.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spoor.model.Attribute;
import io.spoor.model.AttributeValue;
import io.spoor.model.Attributes;
import io.spoor.model.InstrumentationScope;
import io.spoor.model.Resource;
import io.spoor.model.Span;
import io.spoor.model.SpanEvent;
import io.spoor.model.SpanKind;
import io.spoor.model.SpanLink;
import io.spoor.model.Status;
import io.spoor.model.StatusCode;
import io.spoor.model.TraceId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpanLimiterTest {
    static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    static final long NOW_NANOS = NOW.getEpochSecond() * 1_000_000_000L;
    static final long MS = 1_000_000L;
    static final TraceId TRACE = TraceId.fromHex("4bf92f3577b34da6a3ce929d0e0e4736");
    static final Resource RESOURCE = new Resource(Attributes.of("service.name", "checkout", "host.name", "h1"), "");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    private SpanLimiter limiter(SpanLimitsSettings settings) {
        return new SpanLimiter(settings, Duration.ofDays(7), clock, registry);
    }

    private SpanLimiter limiter() {
        return limiter(SpanLimitsSettings.DEFAULTS);
    }

    static Span span(long id) {
        return Span.builder(TRACE, id).name("GET /checkout").kind(SpanKind.SERVER).startEpochNanos(NOW_NANOS - 60_000 * MS)
                .endEpochNanos(NOW_NANOS - 59_000 * MS).attributes(Attributes.of("http.request.method", "GET"))
                .resource(RESOURCE).build();
    }

    private double counter(String name, String tag, String value) {
        var c = tag == null ? registry.find(name).counter() : registry.find(name).tag(tag, value).counter();
        return c == null ? Double.NaN : c.count();
    }

    @Test
    void keepsSpansWithinTheLimitsAsTheyAreWithoutCopyingTheList() {
        List<Span> spans = List.of(span(1), span(2), span(3));

        LimitedSpans out = limiter().apply(spans);

        assertThat(out.spans()).isSameAs(spans);
        assertThat(out.refusedSpans()).isZero();
        assertThat(out.message()).isEmpty();
        assertThat(counter("spoor.limits.truncated.values", "field", "attribute_value")).isZero();
    }

    @Test
    void truncatesStringValuesAndEachStringOfAnArrayOrMapToTheValueLengthLimit() {
        SpanLimiter limiter = limiter(SpanLimitsSettings.DEFAULTS.toBuilder().attributeValueLengthLimit(4).build());
        Span s = span(1).toBuilder().attributes(new Attributes(List.of(
                new Attribute("s", AttributeValue.of("abcdefgh")),
                new Attribute("short", AttributeValue.of("abc")),
                new Attribute("n", AttributeValue.of(123456789L)),
                new Attribute("arr", new AttributeValue.ArrayValue(List.of(AttributeValue.of("123456"),
                        AttributeValue.of("ok"), AttributeValue.of(true)))),
                new Attribute("map", new AttributeValue.MapValue(Attributes.of("inner", "xxxxxx"))),
                new Attribute("bytes", new AttributeValue.BytesValue(new byte[] {1, 2, 3, 4, 5, 6}))))).build();

        LimitedSpans out = limiter.apply(List.of(s));

        Attributes a = out.spans().getFirst().attributes();
        assertThat(a.getString("s")).hasValue("abcd");
        assertThat(a.getString("short")).hasValue("abc");
        assertThat(a.get("n")).hasValue(AttributeValue.of(123456789L));
        assertThat(a.get("arr")).hasValue(new AttributeValue.ArrayValue(List.of(AttributeValue.of("1234"),
                AttributeValue.of("ok"), AttributeValue.of(true))));
        assertThat(a.get("map")).hasValue(new AttributeValue.MapValue(Attributes.of("inner", "xxxx")));
        assertThat(a.get("bytes")).hasValue(new AttributeValue.BytesValue(new byte[] {1, 2, 3, 4}));
        // truncation is not dropping: the span's dropped count stays, as in the OpenTelemetry SDK
        assertThat(out.spans().getFirst().droppedAttributesCount()).isZero();
        assertThat(out.refusedSpans()).isZero();
        assertThat(out.changeMessage()).startsWith("Spoor's limits truncated 4 values")
                .contains("span 0000000000000001 of trace 4bf92f3577b34da6a3ce929d0e0e4736 \"GET /checkout\"")
                .contains("attribute_value_length_limit 4");
        assertThat(counter("spoor.limits.truncated.values", "field", "attribute_value")).isEqualTo(4);
    }

    @Test
    void neverCutsASurrogatePairInHalf() {
        SpanLimiter limiter = limiter(SpanLimitsSettings.DEFAULTS.toBuilder().spanNameLengthLimit(3).build());
        Span s = span(1).toBuilder().name("ab\uD83D\uDE00cd").build(); // "ab😀cd": the cut falls inside the emoji

        String name = limiter.apply(List.of(s)).spans().getFirst().name();

        assertThat(name).isEqualTo("ab");
    }

    @Test
    void truncatesSpanEventServiceNamesAndKeysToTheirOwnLimits() {
        SpanLimiter limiter = limiter(SpanLimitsSettings.DEFAULTS.toBuilder().spanNameLengthLimit(5)
                .serviceNameLengthLimit(3).attributeKeyLengthLimit(32).eventNameLengthLimit(2).build());
        Resource resource = new Resource(Attributes.of("service.name", "checkout", "r".repeat(40), "h1"), "");
        Span s = span(1).toBuilder().name("GET /checkout").resource(resource)
                .attributes(Attributes.of("a".repeat(33), 1L, "http.request.method", "GET"))
                .events(List.of(new SpanEvent(NOW_NANOS - 59_500 * MS, "exception", Attributes.EMPTY, 0))).build();

        Span out = limiter.apply(List.of(s)).spans().getFirst();

        assertThat(out.name()).isEqualTo("GET /");
        assertThat(out.serviceName()).isEqualTo("che");
        assertThat(out.resource().attributes().asList().get(1).key()).isEqualTo("r".repeat(32));
        assertThat(out.attributes()).isEqualTo(Attributes.of("a".repeat(32), 1L, "http.request.method", "GET"));
        assertThat(out.events().getFirst().name()).isEqualTo("ex");
        assertThat(counter("spoor.limits.truncated.values", "field", "span_name")).isEqualTo(1);
        assertThat(counter("spoor.limits.truncated.values", "field", "service_name")).isEqualTo(1);
        assertThat(counter("spoor.limits.truncated.values", "field", "attribute_key")).isEqualTo(2);
        assertThat(counter("spoor.limits.truncated.values", "field", "event_name")).isEqualTo(1);
    }

    @Test
    void attributeKeysMayNotBeLimitedBelow32CharactersSoThatServiceNameStaysWhole() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SpanLimitsSettings.DEFAULTS.toBuilder()
                .attributeKeyLengthLimit(8).build()).hasMessageContaining("attribute_key_length_limit must be at "
                + "least 32");
    }

    @Test
    void keepsTheFirstAttributesEventsAndLinksAndCountsTheRestAsDropped() {
        SpanLimiter limiter = limiter(SpanLimitsSettings.DEFAULTS.toBuilder().attributeCountLimit(2)
                .eventCountLimit(1).linkCountLimit(1).eventAttributeCountLimit(1).linkAttributeCountLimit(0)
                .build());
        Resource resource = new Resource(Attributes.of("service.name", "checkout", "a", 1L, "b", 2L), "", 5);
        InstrumentationScope scope = new InstrumentationScope("lib", "1", Attributes.of("x", 1L, "y", 2L, "z", 3L));
        Span s = span(1).toBuilder().resource(resource).scope(scope)
                .attributes(Attributes.of("a1", 1L, "a2", 2L, "a3", 3L)).droppedAttributesCount(1)
                .events(List.of(new SpanEvent(NOW_NANOS - 59_500 * MS, "e1", Attributes.of("k1", 1L, "k2", 2L), 0),
                        new SpanEvent(NOW_NANOS - 59_400 * MS, "e2", Attributes.EMPTY, 0)))
                .droppedEventsCount(3)
                .links(List.of(new SpanLink(TRACE, 7, "", Attributes.of("l", 1L), 0, 0),
                        new SpanLink(TRACE, 8, "", Attributes.EMPTY, 0, 0)))
                .build();

        Span out = limiter.apply(List.of(s)).spans().getFirst();

        assertThat(out.attributes()).isEqualTo(Attributes.of("a1", 1L, "a2", 2L));
        assertThat(out.droppedAttributesCount()).isEqualTo(2); // 1 from the sender + 1 here
        assertThat(out.resource()).isEqualTo(new Resource(Attributes.of("service.name", "checkout", "a", 1L), "", 6));
        assertThat(out.scope()).isEqualTo(new InstrumentationScope("lib", "1", Attributes.of("x", 1L, "y", 2L), 1));
        assertThat(out.events()).containsExactly(new SpanEvent(NOW_NANOS - 59_500 * MS, "e1",
                Attributes.of("k1", 1L), 1));
        assertThat(out.droppedEventsCount()).isEqualTo(4);
        assertThat(out.links()).containsExactly(new SpanLink(TRACE, 7, "", Attributes.EMPTY, 1, 0));
        assertThat(out.droppedLinksCount()).isEqualTo(1);
        assertThat(counter("spoor.limits.dropped.attributes", "of", "span")).isEqualTo(1);
        assertThat(counter("spoor.limits.dropped.attributes", "of", "resource")).isEqualTo(1);
        assertThat(counter("spoor.limits.dropped.attributes", "of", "scope")).isEqualTo(1);
        assertThat(counter("spoor.limits.dropped.attributes", "of", "event")).isEqualTo(1);
        assertThat(counter("spoor.limits.dropped.attributes", "of", "link")).isEqualTo(1);
        assertThat(counter("spoor.limits.dropped.events", null, null)).isEqualTo(1);
        assertThat(counter("spoor.limits.dropped.links", null, null)).isEqualTo(1);
    }

    @Test
    void aResourceKeepsItsServiceNameWhateverTheCountLimit() {
        Resource sorted = new Resource(Attributes.of("a", 1L, "b", 2L, "c", 3L, "service.name", "checkout"), "");
        Span s = span(1).toBuilder().resource(sorted).build();

        Resource two = limiter(SpanLimitsSettings.DEFAULTS.toBuilder().attributeCountLimit(2).build())
                .apply(List.of(s)).spans().getFirst().resource();
        Resource none = limiter(SpanLimitsSettings.DEFAULTS.toBuilder().attributeCountLimit(0).build())
                .apply(List.of(s)).spans().getFirst().resource();

        assertThat(two).isEqualTo(new Resource(Attributes.of("a", 1L, "service.name", "checkout"), "", 2));
        assertThat(none).isEqualTo(new Resource(Attributes.of("service.name", "checkout"), "", 3));
    }

    @Test
    void droppedCountsSaturateAtTheLargestUint32RatherThanWrap() {
        SpanLimiter limiter = limiter(SpanLimitsSettings.DEFAULTS.toBuilder().attributeCountLimit(0).build());
        Span s = span(1).toBuilder().droppedAttributesCount(-2).build(); // 2^32 - 2 dropped by the sender

        assertThat(limiter.apply(List.of(s)).spans().getFirst().droppedAttributesCount()).isEqualTo(-1);
        assertThat(SpanTrimmer.addUnsigned(-1, 5)).isEqualTo(-1);
        assertThat(SpanTrimmer.addUnsigned(3, 4)).isEqualTo(7);
    }

    @Test
    void aResourceSharedBySpansIsTrimmedOnceAndStaysShared() {
        SpanLimiter limiter = limiter(SpanLimitsSettings.DEFAULTS.toBuilder().serviceNameLengthLimit(8).build());
        Resource big = new Resource(Attributes.of("service.name", "x".repeat(40_000)), "");
        List<Span> spans = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            spans.add(span(i).toBuilder().resource(big).build());
        }

        LimitedSpans out = limiter.apply(spans);

        assertThat(out.spans()).hasSize(5).allSatisfy(s -> assertThat(s.serviceName()).isEqualTo("xxxxxxxx"));
        assertThat(out.spans().get(4).resource()).isSameAs(out.spans().get(0).resource());
        assertThat(counter("spoor.limits.truncated.values", "field", "service_name")).isEqualTo(1);
        assertThat(out.changeMessage()).contains("the resource of service \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…\" "
                + "(40000 characters)").contains("service_name_length_limit 8");
    }

    @Test
    void refusesTheSpansPastMaxSpansPerRequestAndKeepsTheFirst() {
        SpanLimiter limiter = limiter(SpanLimitsSettings.DEFAULTS.toBuilder().maxSpansPerRequest(2).build());

        LimitedSpans out = limiter.apply(List.of(span(1), span(2), span(3), span(4)));

        assertThat(out.spans()).extracting(Span::spanId).containsExactly(1L, 2L);
        assertThat(out.refusedSpans()).isEqualTo(2);
        assertThat(out.refusalMessage()).isEqualTo("2 spans refused by Spoor's limits: 2 spans_per_request (first: "
                + "span 0000000000000003 of trace 4bf92f3577b34da6a3ce929d0e0e4736 \"GET /checkout\": the export has "
                + "more than max_spans_per_request 2 spans)");
        assertThat(counter("spoor.limits.refused.spans", "reason", "spans_per_request")).isEqualTo(2);
    }

    @Test
    void refusesSpansWhoseTimesCannotBeStoredAndNamesEachReason() {
        Span negative = span(1).toBuilder().startEpochNanos(Long.MIN_VALUE + 5).build(); // ≥ 2^63 unsigned
        Span backwards = span(2).toBuilder().endEpochNanos(NOW_NANOS - 61_000 * MS).build();
        Span old = span(3).toBuilder().startEpochNanos(NOW_NANOS - Duration.ofDays(8).toNanos())
                .endEpochNanos(NOW_NANOS - Duration.ofDays(8).toNanos() + MS).build();
        Span future = span(4).toBuilder().endEpochNanos(NOW_NANOS + Duration.ofHours(2).toNanos()).build();
        Span fine = span(5);

        LimitedSpans out = limiter().apply(List.of(negative, backwards, old, future, fine));

        assertThat(out.spans()).containsExactly(fine);
        assertThat(out.refusedSpans()).isEqualTo(4);
        assertThat(out.refusalMessage()).startsWith("4 spans refused by Spoor's limits: ")
                .contains("1 time_out_of_range (first: span 0000000000000001 of trace "
                        + "4bf92f3577b34da6a3ce929d0e0e4736 \"GET /checkout\": start 9223372036854775813 ns")
                .contains("1 end_before_start (first: span 0000000000000002")
                .contains("ends (2026-11-20T11:58:59Z) before it starts (2026-11-20T11:59:00Z)")
                .contains("1 too_old (first: span 0000000000000003")
                .contains("starts 2026-11-12T12:00:00Z, older than max_span_age 7d (the store would delete it)")
                .contains("1 too_far_ahead (first: span 0000000000000004")
                .contains("more than max_time_ahead 1h after the server's clock");
        for (Refusal r : List.of(Refusal.TIME_OUT_OF_RANGE, Refusal.END_BEFORE_START, Refusal.TOO_OLD,
                Refusal.TOO_FAR_AHEAD)) {
            assertThat(counter("spoor.limits.refused.spans", "reason", r.tag())).as(r.tag()).isEqualTo(1);
        }
    }

    @Test
    void maxSpanAgeDefaultsToTheStoreRetentionAndCanBeSetApart() {
        Span twoDaysOld = span(1).toBuilder().startEpochNanos(NOW_NANOS - Duration.ofDays(2).toNanos())
                .endEpochNanos(NOW_NANOS - Duration.ofDays(2).toNanos() + MS).build();
        SpanLimiter shortRetention = new SpanLimiter(SpanLimitsSettings.DEFAULTS, Duration.ofDays(1), clock,
                new SimpleMeterRegistry());
        SpanLimiter ownAge = new SpanLimiter(SpanLimitsSettings.DEFAULTS.toBuilder().maxSpanAge(Duration.ofDays(3))
                .build(), Duration.ofDays(1), clock, new SimpleMeterRegistry());

        assertThat(shortRetention.apply(List.of(twoDaysOld)).refusedSpans()).isEqualTo(1);
        assertThat(ownAge.apply(List.of(twoDaysOld)).spans()).containsExactly(twoDaysOld);
    }

    @Test
    void refusesTheSpansOfATraceOverItsByteBudgetUntilItsWindowHasPassed() {
        Instant[] now = {NOW};
        clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        LimitScan sizer = new LimitScan(SpanLimitsSettings.DEFAULTS);
        sizer.spanFits(span(1));
        long spanBytes = sizer.bytes;
        SpanLimiter limiter = limiter(SpanLimitsSettings.DEFAULTS.toBuilder().maxBytesPerTrace(3 * spanBytes)
                .traceBytesWindow(Duration.ofMinutes(5)).build());
        TraceId other = TraceId.fromHex("00000000000000000000000000000abc");

        LimitedSpans first = limiter.apply(List.of(span(1), span(2)));
        LimitedSpans second = limiter.apply(List.of(span(3), span(4), span(5).toBuilder().build(),
                Span.builder(other, 9).name("other trace").startEpochNanos(NOW_NANOS - MS).endEpochNanos(NOW_NANOS)
                        .build()));
        now[0] = NOW.plus(Duration.ofMinutes(5));
        LimitedSpans later = limiter.apply(List.of(span(6)));

        assertThat(first.refusedSpans()).isZero();
        assertThat(second.spans()).extracting(Span::spanId).containsExactly(3L, 9L);
        assertThat(second.refusedSpans()).isEqualTo(2);
        assertThat(second.refusalMessage()).contains("2 bytes_per_trace (first: span 0000000000000004 of trace "
                + "4bf92f3577b34da6a3ce929d0e0e4736 \"GET /checkout\" (" + spanBytes + " bytes): its trace has received "
                + "max_bytes_per_trace " + 3 * spanBytes + " within trace_bytes_window 5m)");
        assertThat(later.spans()).extracting(Span::spanId).containsExactly(6L);
        assertThat(counter("spoor.limits.refused.spans", "reason", "bytes_per_trace")).isEqualTo(2);
    }

    @Test
    void aTrimmedSpanIsCountedAtItsTrimmedSize() {
        SpanLimiter limiter = limiter(SpanLimitsSettings.DEFAULTS.toBuilder().spanNameLengthLimit(10)
                .maxBytesPerTrace(1000).build());
        Span huge = span(1).toBuilder().name("n".repeat(40_000)).build();

        LimitedSpans out = limiter.apply(List.of(huge, span(2)));

        assertThat(out.refusedSpans()).isZero();
        assertThat(out.spans()).hasSize(2);
    }

    @Test
    void refusalsAndTrimmingInOneRequestAreReportedTogether() {
        SpanLimiter limiter = limiter(SpanLimitsSettings.DEFAULTS.toBuilder().spanNameLengthLimit(3).build());
        Span backwards = span(2).toBuilder().endEpochNanos(0).build();

        LimitedSpans out = limiter.apply(List.of(span(1), backwards, span(3).toBuilder()
                .status(new Status(StatusCode.ERROR, "")).build()));

        assertThat(out.spans()).extracting(Span::name).containsExactly("GET", "GET");
        assertThat(out.message()).startsWith("1 span refused by Spoor's limits: 1 end_before_start")
                .contains("; Spoor's limits truncated 2 values (first: span 0000000000000001");
    }
}
