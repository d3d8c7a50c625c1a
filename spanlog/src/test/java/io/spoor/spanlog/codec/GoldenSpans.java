package io.spoor.spanlog.codec;

import io.spoor.model.Span;
import io.spoor.model.TraceId;
import io.spoor.storage.contract.TestSpans;
import java.util.List;

/** The spans of {@code codec/fragment-v1.bin}, a fragment written by the version-1 encoder (commit 9aa962f). */
public final class GoldenSpans {
    private GoldenSpans() {
    }

    public static List<Span> spans(TraceId id) {
        return List.of(
                TestSpans.everyField(id, -5L, 77L, 1_700_000_000_123_456_789L),
                TestSpans.everyField(id, 1L, 0L, 1_700_000_000_000_000_000L),
                TestSpans.span(id, 9, 1, "svc", "", 5, -3),
                TestSpans.span(id, Long.MIN_VALUE, Long.MAX_VALUE, "svc", "n", Long.MIN_VALUE / 2, 10),
                TestSpans.span(id, 2, 1, "checkout", "pay", 1_700_000_000_001_000_000L, 30_000_000L,
                        "http.status_code", 500L, "user.id", "u-1", "s", "välue ünïcode ✓"),
                TestSpans.span(id, 3, 1, "", "anonymous", 1_700_000_000_002_000_000L, 2_000_000L, "flag", true));
    }
}
