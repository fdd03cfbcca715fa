package io.agentwire.transport.socketio;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.Set;

/**
 * What an instrument of a server ({@link AdminUi}) is told about its connections and sockets. A server without one
 * pays a null check per hook. Calls come on the connection's event loop (joins and leaves: on the caller's thread);
 * an observer must not block and must not throw.
 */
interface SocketObserver {
    /** An Engine.IO connection opened. */
    void opened();

    /** An Engine.IO connection closed for {@code reason}. */
    void closed(String reason);

    /** A message of {@code bytes} bytes came in. */
    void packetIn(int bytes);

    /** {@code packets} Engine.IO packets of {@code bytes} bytes went out. */
    void packetsOut(int packets, long bytes);

    /** A socket joined its namespace (its rooms are set). */
    void connected(Socket socket);

    /** A connected socket left its namespace; it was in {@code rooms}. */
    void disconnected(Socket socket, String reason, Set<String> rooms);

    /** The socket's connection moved to its WebSocket. */
    void upgraded(Socket socket);

    void joined(Socket socket, String room);

    void left(Socket socket, String room);

    /** An event from the client: its name, then its arguments. */
    void received(Socket socket, ArrayNode eventAndArgs);

    /** An event to the client: its name, then its arguments. */
    void sent(Socket socket, ArrayNode eventAndArgs);
}
