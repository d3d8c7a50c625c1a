package io.spoor.server.http;

import com.linecorp.armeria.common.QueryParams;
import io.spoor.model.TraceId;
import io.spoor.query.InvalidQueryException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * One request's query parameters, read through {@link Parameters}. A single-valued parameter given twice is a 400;
 * with {@link #lenient} an empty (or blank) value counts as absent, as Jaeger and Zipkin treat {@code service=},
 * while the native API ({@link #strict}) refuses it where it matters.
 */
public final class Params {
    private final QueryParams params;
    private final boolean blankIsAbsent;

    private Params(QueryParams params, boolean blankIsAbsent) {
        this.params = params;
        this.blankIsAbsent = blankIsAbsent;
    }

    /** An empty value is a value (the native API names it in its error). */
    public static Params strict(QueryParams params) {
        return new Params(params, false);
    }

    /** An empty or blank value is as if the parameter were not given (Jaeger, Zipkin). */
    public static Params lenient(QueryParams params) {
        return new Params(params, true);
    }

    /** Refuses any parameter not in {@code known}, naming it and the supported ones. */
    public Params onlyKnown(Set<String> known) {
        for (String name : params.names()) {
            if (!known.contains(name)) {
                throw new InvalidQueryException(name, "unknown parameter '" + name + "'; supported: "
                        + known.stream().sorted().toList());
            }
        }
        return this;
    }

    public Set<String> names() {
        return params.names();
    }

    /** The value of a parameter given at most once. */
    public Optional<String> string(String name) {
        List<String> all = params.getAll(name);
        if (all.size() > 1) {
            throw new InvalidQueryException(name, name + " may be given once");
        }
        if (all.isEmpty() || blankIsAbsent && all.get(0).isBlank()) {
            return Optional.empty();
        }
        return Optional.of(blankIsAbsent ? all.get(0).strip() : all.get(0));
    }

    /**
     * A parameter under either of two names (Jaeger's api_v3 takes camelCase and snake_case); both given with
     * different values is a 400.
     */
    public Optional<String> string(String camel, String snake) {
        Optional<String> a = string(camel);
        Optional<String> b = camel.equals(snake) ? Optional.empty() : string(snake);
        if (a.isPresent() && b.isPresent() && !a.get().equals(b.get())) {
            throw new InvalidQueryException(snake, camel + " and " + snake + " disagree");
        }
        return a.or(() -> b);
    }

    public String required(String name) {
        return string(name).orElseThrow(() -> new InvalidQueryException(name, name + " is required"));
    }

    /** Every value of a repeatable parameter, at most {@code max} of them. */
    public List<String> all(String name, int max) {
        List<String> all = params.getAll(name);
        if (all.size() > max) {
            throw new InvalidQueryException(name, "at most " + max + " " + name + " per request, got " + all.size());
        }
        return all;
    }

    public OptionalInt wholeNumber(String name, int min, int max) {
        Optional<String> v = string(name);
        return v.isEmpty() ? OptionalInt.empty() : OptionalInt.of(Parameters.wholeNumber(name, v.get(), min, max));
    }

    public OptionalLong wholeNumber(String name, long min, long max) {
        return map(name, (n, v) -> Parameters.wholeNumber(n, v, min, max));
    }

    public OptionalLong durationNanos(String name) {
        return map(name, Parameters::durationNanos);
    }

    public OptionalLong epochNanos(String name) {
        return map(name, Parameters::epochNanos);
    }

    public OptionalLong epochMicrosAsNanos(String name) {
        return map(name, Parameters::epochMicrosAsNanos);
    }

    public OptionalLong positiveMillisAsNanos(String name) {
        return map(name, Parameters::positiveMillisAsNanos);
    }

    public boolean bool(String name, boolean absent) {
        return string(name).map(v -> Parameters.bool(name, v)).orElse(absent);
    }

    public Optional<TraceId> traceId(String name, boolean padShort) {
        return string(name).map(v -> Parameters.traceId(name, v, padShort));
    }

    private OptionalLong map(String name, BiFunction<String, String, Long> parse) {
        Optional<String> v = string(name);
        return v.isEmpty() ? OptionalLong.empty() : OptionalLong.of(parse.apply(name, v.get()));
    }
}
