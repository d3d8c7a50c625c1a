package io.spoor.server;

/**
 * A start-up problem the operator can fix, in one line that names the cause and the flag that changes it
 * ({@code port 4317 on 127.0.0.1 is already in use (--otlp-grpc-port)}). {@link Main} prints the message alone; the
 * cause, if any, is for {@code --verbose}.
 */
public final class StartupException extends RuntimeException {
    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
