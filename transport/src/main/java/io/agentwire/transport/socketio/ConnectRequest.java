package io.agentwire.transport.socketio;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.Authenticator;
import io.agentwire.core.Principal;

/**
 * What a namespace's {@link Middleware} sees of a socket that asks to connect.
 *
 * @param namespace the namespace name, e.g. {@code /chat}
 * @param auth the CONNECT packet's auth payload ({@code {}} when the client sent none or an empty one)
 * @param request the Engine.IO handshake request (headers, query parameters, remote address)
 * @param principal who the server's authenticator accepted at the Engine.IO handshake
 * @param recovering whether the client asks to recover an earlier socket (it sent a {@code pid})
 */
public record ConnectRequest(String namespace, ObjectNode auth, Authenticator.Request request, Principal principal,
                             boolean recovering) {
    /**
     * A socket keeps the auth for as long as it is connected (and makes its request from it,
     * {@link Socket#handshake()}), and most clients send none: an empty one is kept as null (an empty
     * {@code ObjectNode} is 88 bytes) and read as a new {@code {}}.
     */
    public ConnectRequest {
        if (auth != null && auth.isEmpty()) auth = null;
    }

    @Override
    public ObjectNode auth() {
        return auth != null ? auth : JsonNodeFactory.instance.objectNode();
    }
}
