package io.spoor.server.receiver;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.cors.CorsService;
import com.linecorp.armeria.server.cors.CorsServiceBuilder;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Browsers and the receivers. Exporters in services send no {@code Origin}; a browser always does on a cross-origin
 * POST, so a receiver refuses (403) a request whose origin its {@code cors.allowed_origins} does not list, and
 * answers CORS preflights only for listed origins. By default none is listed: a web page the user happens to open
 * cannot store spans, whether its request is "simple" or preflighted, and whatever else on the same port answers a
 * preflight. OpenTelemetry JS web users list their app's origin (or {@code *}).
 */
public final class CrossOrigin {
    private CrossOrigin() {
    }

    /** True for requests without an {@code Origin} (not from a browser) and from an allowed origin. */
    public static boolean allowed(RequestHeaders headers, List<String> allowedOrigins) {
        String origin = headers.get(HttpHeaderNames.ORIGIN);
        if (origin == null) {
            return true;
        }
        for (String allowed : allowedOrigins) {
            if (allowed.equals("*") || allowed.equalsIgnoreCase(origin.strip())) {
                return true;
            }
        }
        return false;
    }

    /** The 403 for a request from an origin that is not allowed, naming the setting that allows it. */
    public static ExportFailure forbidden(RequestHeaders headers, String settingKey) {
        return ExportFailure.of(ExportFailure.Kind.FORBIDDEN, "cross-origin requests from '"
                + headers.get(HttpHeaderNames.ORIGIN) + "' are not allowed; list the origin in " + settingKey);
    }

    /** Answers preflights for the allowed origins; nothing (no CORS at all) when none is allowed. */
    public static Function<? super HttpService, ? extends HttpService> preflights(List<String> allowedOrigins) {
        if (allowedOrigins.isEmpty()) {
            return Function.identity();
        }
        CorsServiceBuilder b = allowedOrigins.contains("*") ? CorsService.builderForAnyOrigin()
                : CorsService.builder(allowedOrigins.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList());
        return b.allowRequestMethods(HttpMethod.POST).allowRequestHeaders("content-type", "content-encoding")
                .maxAge(3600).newDecorator();
    }
}
