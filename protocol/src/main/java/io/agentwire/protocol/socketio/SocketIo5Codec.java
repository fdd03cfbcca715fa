package io.agentwire.protocol.socketio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Socket.IO v5 packets as text, as pure functions: {@code <type>[<attachments>-][<namespace>,][<ack id>][<json>]},
 * e.g. {@code 2/chat,12["message","hi"]} or {@code 51-["file",{"_placeholder":true,"num":0}]} followed by one
 * binary attachment. Decoding a binary packet needs its attachments, which arrive as separate Engine.IO messages:
 * {@link SocketIo5Decoder} does that per connection.
 *
 * <p>Validation follows the reference parser: CONNECT data must be an object, DISCONNECT has none, EVENT data
 * is an array whose first element is a number or a non-reserved event name, ACK data is an array, CONNECT_ERROR
 * a string or an object. Anything else is a {@link SocketIo5ParseException}, the only exception decoding throws.
 */
public final class SocketIo5Codec {
    /** Event names a client may not send: they mean something to the socket itself. */
    public static final Set<String> RESERVED_EVENTS =
            Set.of("connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener");
    /** Attachments per packet accepted by default (as the reference parser). */
    public static final int DEFAULT_MAX_ATTACHMENTS = 10;
    private static final int MAX_ACK_DIGITS = 15;

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(256).build());
    }

    private SocketIo5Codec() { }

    /** The mapper the codec reads and writes JSON with (for building payload trees). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** A packet on the wire: the text part and, for binary packets, the attachments that follow it in order. */
    public record Encoded(String text, List<byte[]> attachments) {
        public Encoded {
            attachments = List.copyOf(attachments);
        }
    }

    /** Encodes a packet; an EVENT or ACK whose data holds binary becomes BINARY_EVENT or BINARY_ACK. */
    public static Encoded encode(SocketIo5Packet packet) {
        SocketIo5Packet.Type type = packet.type();
        JsonNode data = packet.data();
        List<byte[]> buffers = new ArrayList<>();
        if (SocketIo5Binary.hasBinary(data)) {
            type = switch (type) {
                case EVENT, BINARY_EVENT -> SocketIo5Packet.Type.BINARY_EVENT;
                case ACK, BINARY_ACK -> SocketIo5Packet.Type.BINARY_ACK;
                default -> throw new IllegalArgumentException(type + " can not carry binary data");
            };
            data = SocketIo5Binary.deconstruct(data, buffers);
        } else if (type == SocketIo5Packet.Type.BINARY_EVENT) {
            type = SocketIo5Packet.Type.EVENT;
        } else if (type == SocketIo5Packet.Type.BINARY_ACK) {
            type = SocketIo5Packet.Type.ACK;
        }
        StringBuilder sb = new StringBuilder().append(type.code());
        if (!buffers.isEmpty()) sb.append(buffers.size()).append('-');
        if (!"/".equals(packet.namespace())) sb.append(packet.namespace()).append(',');
        if (packet.hasAck()) sb.append(packet.ackId());
        if (data != null) sb.append(json(data));
        return new Encoded(sb.toString(), buffers);
    }

    /** Encodes a packet that carries no binary data as its one text message. */
    public static String encodeText(SocketIo5Packet packet) {
        Encoded e = encode(packet);
        if (!e.attachments().isEmpty()) throw new IllegalArgumentException("the packet carries binary data");
        return e.text();
    }

    /** JSON text of a tree (no binary in it). */
    public static String json(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    /** The text part of a packet: the packet (placeholders still in place) and how many attachments follow. */
    record Header(SocketIo5Packet packet, int attachments) { }

    static Header decodeText(String s, int maxAttachments) throws SocketIo5ParseException {
        if (s.isEmpty()) throw new SocketIo5ParseException("empty packet");
        SocketIo5Packet.Type type = SocketIo5Packet.Type.of(s.charAt(0));
        if (type == null) throw new SocketIo5ParseException("unknown packet type");
        int i = 1;
        int attachments = 0;
        if (type == SocketIo5Packet.Type.BINARY_EVENT || type == SocketIo5Packet.Type.BINARY_ACK) {
            int dash = s.indexOf('-', i);
            if (dash < 0 || dash == i || dash - i > 9 || !digits(s, i, dash)) {
                throw new SocketIo5ParseException("illegal attachments");
            }
            attachments = Integer.parseInt(s, i, dash, 10);
            if (attachments < 1) throw new SocketIo5ParseException("illegal attachments");
            if (attachments > maxAttachments) throw new SocketIo5ParseException("too many attachments");
            i = dash + 1;
        }
        String namespace = "/";
        if (i < s.length() && s.charAt(i) == '/') {
            int comma = s.indexOf(',', i);
            int end = comma < 0 ? s.length() : comma;
            namespace = s.substring(i, end);
            i = comma < 0 ? s.length() : comma + 1;
        }
        long ackId = SocketIo5Packet.NO_ACK;
        int idStart = i;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') i++;
        if (i > idStart) {
            if (i - idStart > MAX_ACK_DIGITS) throw new SocketIo5ParseException("invalid ack id");
            ackId = Long.parseLong(s, idStart, i, 10);
        }
        JsonNode data = null;
        if (i < s.length()) {
            data = parseJson(s.substring(i));
            if (!payloadValid(type, data)) throw new SocketIo5ParseException("invalid payload for " + type);
        } else if (type == SocketIo5Packet.Type.EVENT || type == SocketIo5Packet.Type.BINARY_EVENT) {
            throw new SocketIo5ParseException("invalid payload for " + type);
        }
        if (type == SocketIo5Packet.Type.BINARY_EVENT) type = SocketIo5Packet.Type.EVENT;
        if (type == SocketIo5Packet.Type.BINARY_ACK) type = SocketIo5Packet.Type.ACK;
        return new Header(new SocketIo5Packet(type, namespace, ackId, data), attachments);
    }

    private static JsonNode parseJson(String text) throws SocketIo5ParseException {
        try {
            JsonNode n = MAPPER.readTree(text);
            if (n == null || n.isMissingNode()) throw new SocketIo5ParseException("invalid JSON payload");
            return n;
        } catch (JsonProcessingException e) {
            throw new SocketIo5ParseException("invalid JSON payload");
        } catch (RuntimeException e) { // Jackson's constraint violations and the like: still just bad input
            throw new SocketIo5ParseException("invalid JSON payload");
        }
    }

    private static boolean payloadValid(SocketIo5Packet.Type type, JsonNode data) {
        return switch (type) {
            case CONNECT -> data.isObject();
            case DISCONNECT -> false;
            case CONNECT_ERROR -> data.isTextual() || data.isObject();
            case EVENT, BINARY_EVENT -> data.isArray() && !data.isEmpty() && (data.get(0).isNumber()
                    || data.get(0).isTextual() && !RESERVED_EVENTS.contains(data.get(0).textValue()));
            case ACK, BINARY_ACK -> data.isArray();
        };
    }

    private static boolean digits(String s, int from, int to) {
        for (int k = from; k < to; k++) if (s.charAt(k) < '0' || s.charAt(k) > '9') return false;
        return true;
    }
}
