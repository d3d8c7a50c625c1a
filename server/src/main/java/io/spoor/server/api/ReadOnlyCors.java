package io.spoor.server.api;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.cors.CorsService;
import java.util.function.Function;

/**
 * CORS for the read-only query APIs (native and Jaeger): GET and HEAD from any origin, so that a UI served elsewhere
 * (Grafana, a dev server on another port) can query Spoor; nothing these APIs answer changes state.
 */
public final class ReadOnlyCors {
    private ReadOnlyCors() {
    }

    public static Function<? super HttpService, CorsService> decorator() {
        return CorsService.builderForAnyOrigin().allowRequestMethods(HttpMethod.GET, HttpMethod.HEAD)
                .maxAge(3600).newDecorator();
    }
}
