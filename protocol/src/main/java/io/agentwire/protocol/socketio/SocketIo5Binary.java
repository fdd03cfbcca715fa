package io.agentwire.protocol.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Binary attachments: {@link #deconstruct} swaps every {@code BinaryNode} of a tree for a placeholder
 * {@code {"_placeholder":true,"num":n}} and collects the bytes; {@link #reconstruct} puts the bytes back.
 * {@code deconstruct} copies (the caller's tree is never changed); {@code reconstruct} works in place on a freshly
 * decoded tree.
 */
final class SocketIo5Binary {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SocketIo5Binary() { }

    static boolean hasBinary(JsonNode node) {
        if (node == null) return false;
        if (node.isBinary()) return true;
        if (node.isContainerNode()) {
            for (JsonNode child : node) if (hasBinary(child)) return true;
        }
        return false;
    }

    /** A copy of {@code node} with placeholders; the bytes are appended to {@code buffers} in placeholder order. */
    static JsonNode deconstruct(JsonNode node, List<byte[]> buffers) {
        if (node.isBinary()) {
            ObjectNode placeholder = NODES.objectNode();
            placeholder.put("_placeholder", true);
            placeholder.put("num", buffers.size());
            buffers.add(((BinaryNode) node).binaryValue());
            return placeholder;
        }
        if (node.isArray()) {
            ArrayNode out = NODES.arrayNode(node.size());
            for (JsonNode child : node) out.add(deconstruct(child, buffers));
            return out;
        }
        if (node.isObject()) {
            ObjectNode out = NODES.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.set(e.getKey(), deconstruct(e.getValue(), buffers));
            }
            return out;
        }
        return node;
    }

    /** {@code node} with each placeholder replaced by its attachment; a placeholder out of range is an error. */
    static JsonNode reconstruct(JsonNode node, List<byte[]> buffers) throws SocketIo5ParseException {
        if (node.isArray()) {
            ArrayNode a = (ArrayNode) node;
            for (int i = 0; i < a.size(); i++) a.set(i, reconstruct(a.get(i), buffers));
            return a;
        }
        if (node.isObject()) {
            JsonNode flag = node.get("_placeholder");
            if (flag != null && flag.isBoolean() && flag.booleanValue()) {
                JsonNode num = node.get("num");
                if (num == null || !num.isNumber() || !isIndex(num.asDouble(), buffers.size())) {
                    throw new SocketIo5ParseException("illegal attachments: placeholder " + num);
                }
                return NODES.binaryNode(buffers.get(num.intValue()));
            }
            ObjectNode o = (ObjectNode) node;
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                e.setValue(reconstruct(e.getValue(), buffers));
            }
            return o;
        }
        return node;
    }

    private static boolean isIndex(double d, int size) {
        return d >= 0 && d < size && d == Math.floor(d);
    }
}
