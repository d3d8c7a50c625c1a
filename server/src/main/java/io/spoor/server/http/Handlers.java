package io.spoor.server.http;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.spoor.query.InvalidQueryException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a query handler on the blocking executor (storage reads block) and turns what it throws into the API's
 * error: {@link InvalidQueryException} → 400 with its message (which names the parameter), {@link ApiException} →
 * its status and message, anything else → 500 with a generic message; the cause goes to the log only, never to
 * the client (an exception's text can name files, classes and internal state).
 */
public final class Handlers {
    private static final Logger log = LoggerFactory.getLogger(Handlers.class);
    /** What a client is told of an unexpected failure. */
    public static final String INTERNAL_ERROR = "internal error; the server log has the details";

    private Handlers() {
    }

    public static HttpResponse blocking(ServiceRequestContext ctx, ErrorStyle style, Supplier<HttpResponse> handler) {
        return HttpResponse.of(CompletableFuture.supplyAsync(() -> answer(ctx, style, handler),
                ctx.blockingTaskExecutor()));
    }

    static HttpResponse answer(ServiceRequestContext ctx, ErrorStyle style, Supplier<HttpResponse> handler) {
        try {
            return handler.get();
        } catch (InvalidQueryException e) {
            return style.render(HttpStatus.BAD_REQUEST, e.getMessage());
        } catch (ApiException e) {
            return style.render(e.status(), e.getMessage());
        } catch (RuntimeException e) {
            log.warn("query {} failed", ctx.path(), e);
            return style.render(HttpStatus.INTERNAL_SERVER_ERROR, INTERNAL_ERROR);
        }
    }
}
