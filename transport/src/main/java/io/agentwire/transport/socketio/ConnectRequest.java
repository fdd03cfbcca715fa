package io.agentwire.transport.socketio;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.core.Authenticator;
import io.agentwire.core.Principal;

/**
 * What a namespace's {@link Middleware} sees of a socket that asks to connect.
 *
 * @param namespace the namespace name, e.g. {@code /chat}
 * @param auth the CONNECT packet's auth payload ({@code {}} when the client sent none)
 * @param request the Engine.IO handshake request (headers, query parameters, remote address)
 * @param principal who the server's authenticator accepted at the Engine.IO handshake
 * @param recovering whether the client asks to recover an earlier socket (it sent a {@code pid})
 */
public record ConnectRequest(String namespace, ObjectNode auth, Authenticator.Request request, Principal principal,
                             boolean recovering) {
}
