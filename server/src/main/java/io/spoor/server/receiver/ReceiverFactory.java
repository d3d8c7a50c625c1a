package io.spoor.server.receiver;

import io.spoor.pipeline.config.ComponentFactory;

/**
 * A receiver type ({@code otlp}): reads its section under {@code receivers} and creates the receiver, which opens
 * its listeners through the context and hands what it decodes to the traces pipeline. Spoor runs one receiver of
 * each registered type, configured or not. Registered in {@link io.spoor.server.config.SpoorComponents#builtIn()}.
 */
public interface ReceiverFactory<C> extends ComponentFactory<C> {

    void create(String id, C config, ReceiverContext context);
}
