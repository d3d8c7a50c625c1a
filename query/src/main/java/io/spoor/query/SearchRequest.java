package io.spoor.query;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A search as a client asked for it, before validation: parsed values, no defaults applied yet. {@link
 * QueryService#search} checks it and turns it into a storage query.
 *
 * @param tags      raw {@code key=value} strings
 * @param limit     empty for the default ({@link QueryService#DEFAULT_LIMIT})
 */
public record SearchRequest(
        Optional<String> service,
        Optional<String> operation,
        List<String> tags,
        OptionalLong minDurationNanos,
        OptionalLong maxDurationNanos,
        OptionalLong startEpochNanos,
        OptionalLong endEpochNanos,
        Optional<Integer> limit) {

    public SearchRequest {
        tags = List.copyOf(tags);
    }

    public static SearchRequest any() {
        return new SearchRequest(Optional.empty(), Optional.empty(), List.of(), OptionalLong.empty(),
                OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), Optional.empty());
    }
}
