package io.agentwire.transport.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agentwire.protocol.socketio.SocketIo5Codec;

/** Turns emit arguments into a JSON array: Jackson trees as they are, {@code byte[]} as binary, the rest via Jackson. */
final class Args {
    private static final ObjectMapper MAPPER = SocketIo5Codec.mapper();

    private Args() { }

    static ArrayNode array(String event, Object... args) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode(args.length + 1);
        if (event != null) a.add(event);
        for (Object o : args) a.add(node(o));
        return a;
    }

    static JsonNode node(Object o) {
        if (o == null) return JsonNodeFactory.instance.nullNode();
        if (o instanceof JsonNode n) return n;
        if (o instanceof byte[] b) return JsonNodeFactory.instance.binaryNode(b);
        return MAPPER.valueToTree(o);
    }
}
