package io.spoor.query;

import io.spoor.model.StatusCode;
import io.spoor.storage.TraceQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A search as an API parsed it from its parameters, before validation and defaults: the one value every query API
 * hands to {@link QueryService}, which alone turns it into a storage {@link TraceQuery}. Each API reads its own
 * syntax (Jaeger's {@code tags} JSON, Zipkin's {@code annotationQuery}, the native {@code tag=k=v}) into these
 * fields.
 *
 * @param tags   attribute criteria, {@code key = value}
 * @param keys   attribute keys or event names a span must have (Zipkin's {@code annotationQuery=error})
 * @param status a span status the span must have (Jaeger's {@code error=true})
 * @param limit  empty for {@link QueryService#DEFAULT_LIMIT}
 */
public record SearchRequest(
        Optional<String> service,
        Optional<String> operation,
        List<TraceQuery.Tag> tags,
        List<String> keys,
        Optional<StatusCode> status,
        OptionalLong minDurationNanos,
        OptionalLong maxDurationNanos,
        OptionalLong startEpochNanos,
        OptionalLong endEpochNanos,
        OptionalInt limit) {

    public SearchRequest {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(operation, "operation");
        tags = List.copyOf(tags);
        keys = List.copyOf(keys);
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(minDurationNanos, "minDurationNanos");
        Objects.requireNonNull(maxDurationNanos, "maxDurationNanos");
        Objects.requireNonNull(startEpochNanos, "startEpochNanos");
        Objects.requireNonNull(endEpochNanos, "endEpochNanos");
        Objects.requireNonNull(limit, "limit");
    }

    public static Builder builder() {
        return new Builder();
    }

    public static SearchRequest any() {
        return builder().build();
    }

    /** Fills a request field by field; what is not set is absent. */
    public static final class Builder {
        private Optional<String> service = Optional.empty();
        private Optional<String> operation = Optional.empty();
        private final List<TraceQuery.Tag> tags = new ArrayList<>();
        private final List<String> keys = new ArrayList<>();
        private Optional<StatusCode> status = Optional.empty();
        private OptionalLong minDuration = OptionalLong.empty();
        private OptionalLong maxDuration = OptionalLong.empty();
        private OptionalLong start = OptionalLong.empty();
        private OptionalLong end = OptionalLong.empty();
        private OptionalInt limit = OptionalInt.empty();

        private Builder() {
        }

        public Builder service(Optional<String> v) {
            service = v;
            return this;
        }

        public Builder operation(Optional<String> v) {
            operation = v;
            return this;
        }

        public Builder tag(String key, String value) {
            tags.add(new TraceQuery.Tag(key, value));
            return this;
        }

        public Builder tag(TraceQuery.Tag t) {
            tags.add(t);
            return this;
        }

        public Builder key(String k) {
            keys.add(k);
            return this;
        }

        public Builder status(StatusCode v) {
            status = Optional.of(v);
            return this;
        }

        public Builder minDurationNanos(OptionalLong v) {
            minDuration = v;
            return this;
        }

        public Builder maxDurationNanos(OptionalLong v) {
            maxDuration = v;
            return this;
        }

        public Builder start(OptionalLong v) {
            start = v;
            return this;
        }

        public Builder end(OptionalLong v) {
            end = v;
            return this;
        }

        public Builder limit(OptionalInt v) {
            limit = v;
            return this;
        }

        public Builder limit(int v) {
            limit = OptionalInt.of(v);
            return this;
        }

        public SearchRequest build() {
            return new SearchRequest(service, operation, tags, keys, status, minDuration, maxDuration, start, end,
                    limit);
        }
    }
}
