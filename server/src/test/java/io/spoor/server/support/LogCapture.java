package io.spoor.server.support;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Captures what one logger writes, so that a test can find a line (e.g. by the reference a client was given). */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    public LogCapture(Class<?> loggerOf) {
        logger = (Logger) LoggerFactory.getLogger(loggerOf);
        appender.start();
        logger.addAppender(appender);
    }

    /** Each event's formatted message, followed by its exception's text when it has one. */
    public List<String> lines() {
        synchronized (appender.list) {
            return appender.list.stream().map(e -> e.getFormattedMessage()
                    + (e.getThrowableProxy() != null ? " " + e.getThrowableProxy().getClassName() + ": "
                    + e.getThrowableProxy().getMessage() : "")).toList();
        }
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
    }
}
