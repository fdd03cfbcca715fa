package io.agentwire.transport.socketio;

import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * Handles one event from a client: its arguments (without the event name; binary arguments as
 * {@code BinaryNode}s) and the acknowledgement to answer with. Runs on the connection's event loop: must not block.
 */
@FunctionalInterface
public interface EventHandler {
    void handle(ArrayNode args, Ack ack);
}
