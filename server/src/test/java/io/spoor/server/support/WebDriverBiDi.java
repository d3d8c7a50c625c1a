package io.spoor.server.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A minimal client of the W3C WebDriver BiDi protocol over a WebSocket: commands are JSON objects
 * {@code {id, method, params}} answered by {@code {type: success|error, id, ...}}; events arrive as
 * {@code {type: event, method, params}}. Firefox speaks it natively (no geckodriver, which this machine cannot
 * download), so Firefox can be driven with nothing but Debian's {@code firefox-esr}.
 */
public final class WebDriverBiDi implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    /** An {@code error} answer: the protocol's error code and message. */
    public static final class BiDiException extends RuntimeException {
        public final String error;

        BiDiException(String method, String error, String message) {
            super(method + ": " + error + ": " + message);
            this.error = error;
        }
    }

    private final WebSocket socket;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Map<String, Consumer<JsonNode>> eventHandlers = new ConcurrentHashMap<>();
    private volatile Throwable closedBy;

    private WebDriverBiDi(WebSocket socket) {
        this.socket = socket;
    }

    /** Connects to {@code ws://host:port/session} (the endpoint Firefox prints) and starts a session. */
    public static WebDriverBiDi connect(URI sessionEndpoint) {
        Receiver receiver = new Receiver();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(sessionEndpoint, receiver).join();
        WebDriverBiDi bidi = new WebDriverBiDi(ws);
        receiver.owner = bidi;
        bidi.send("session.new", JSON.createObjectNode().set("capabilities", JSON.createObjectNode()));
        return bidi;
    }

    /** Calls {@code handler} with the params of every event named {@code method} (after subscribing to it). */
    public void onEvent(String method, Consumer<JsonNode> handler) {
        eventHandlers.put(method, handler);
    }

    /** Sends a command and waits for its result; an error answer is thrown as {@link BiDiException}. */
    public JsonNode send(String method, JsonNode params) {
        long id = ids.incrementAndGet();
        ObjectNode command = JSON.createObjectNode().put("id", id).put("method", method);
        command.set("params", params);
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        try {
            if (closedBy != null) {
                throw new IllegalStateException("the WebDriver BiDi connection is closed", closedBy);
            }
            socket.sendText(command.toString(), true).get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            JsonNode reply = answer.get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if ("error".equals(reply.path("type").asText())) {
                throw new BiDiException(method, reply.path("error").asText(), reply.path("message").asText());
            }
            return reply.path("result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(method + " got no answer", e);
        } finally {
            pending.remove(id);
        }
    }

    private void dispatch(String text) {
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (Exception e) {
            return; // not JSON: nothing a command waits for
        }
        if (message.has("id") && !message.path("id").isNull()) {
            CompletableFuture<JsonNode> waiting = pending.get(message.path("id").asLong());
            if (waiting != null) {
                waiting.complete(message);
            }
        } else if ("event".equals(message.path("type").asText())) {
            Consumer<JsonNode> handler = eventHandlers.get(message.path("method").asText());
            if (handler != null) {
                handler.accept(message.path("params"));
            }
        }
    }

    private void closed(Throwable cause) {
        closedBy = cause;
        pending.values().forEach(f -> f.completeExceptionally(cause));
    }

    @Override
    public void close() {
        try {
            send("session.end", JSON.createObjectNode());
        } catch (RuntimeException e) {
            // the browser may already be gone; closing the socket is all that is left
        }
        socket.abort();
    }

    /** Reassembles fragmented text frames into whole messages. */
    private static final class Receiver implements WebSocket.Listener {
        volatile WebDriverBiDi owner;
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String whole = partial.toString();
                partial.setLength(0);
                // the owner is set before the first command is sent, and the browser speaks only when asked
                owner.dispatch(whole);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            WebDriverBiDi o = owner;
            if (o != null) {
                o.closed(new IllegalStateException("WebDriver BiDi socket closed: " + statusCode + " " + reason));
            }
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            WebDriverBiDi o = owner;
            if (o != null) {
                o.closed(error);
            }
        }
    }
}
