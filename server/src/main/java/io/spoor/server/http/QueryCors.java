package io.spoor.server.http;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.server.ServiceBindingBuilder;
import com.linecorp.armeria.server.cors.CorsService;
import com.linecorp.armeria.server.cors.CorsServiceBuilder;
import java.util.List;

/**
 * Which web origins may read the query APIs (native, Jaeger, Zipkin's query routes) from a browser. With no
 * origin listed, none but the page's own: no CORS headers are sent, so a page from elsewhere (any site the user
 * opens, a dev server on another port) cannot read a trace. Listed origins may read (GET, HEAD); {@code *} lets
 * any origin read, as every query API did before.
 */
public final class QueryCors {
    private final List<String> origins;

    private QueryCors(List<String> origins) {
        this.origins = List.copyOf(origins);
    }

    /** {@code allowedOrigins} as configured: empty = same origin only, {@code *} = any. */
    public static QueryCors of(List<String> allowedOrigins) {
        return new QueryCors(allowedOrigins);
    }

    public static QueryCors sameOriginOnly() {
        return of(List.of());
    }

    public static QueryCors anyOrigin() {
        return of(List.of("*"));
    }

    /** The route with a CORS decorator for the allowed origins, or as it is when only the same origin may read. */
    public ServiceBindingBuilder route(ServiceBindingBuilder route) {
        if (origins.isEmpty()) {
            return route;
        }
        CorsServiceBuilder cors = origins.contains("*") ? CorsService.builderForAnyOrigin()
                : CorsService.builder(origins);
        return route.decorator(cors.allowRequestMethods(HttpMethod.GET, HttpMethod.HEAD).maxAge(3600)
                .newDecorator());
    }
}
