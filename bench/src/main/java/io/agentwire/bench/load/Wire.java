package io.agentwire.bench.load;

/**
 * The bench app's messages as text frames, and a scanner for the frames the servers send back: pure functions, no
 * JSON library on the hot path (a fan-out delivers hundreds of thousands of frames a second to one generator thread).
 *
 * <p>Socket.IO: {@code 42["publish",seq,sent,"pad"]} → every room member gets {@code 42["m",seq,sent,"pad"]} (plus
 * the recovery offset as a last string argument where the server keeps one); {@code 42<id>["echo",sent]} → {@code
 * 43<id>[sent]}. Plain WebSocket ({@code ws} peer): the same arrays without the packet prefix, the echo answered
 * {@code ["ack",sent]}. {@code sent} is {@code System.nanoTime()} of the generator, relative to its start.
 */
public final class Wire {
    private Wire() { }

    /** What a received frame said. One instance per generator thread, refilled by every parse. */
    public static final class In {
        public Kind kind;
        /** Event name (or {@code null}), then the other string arguments: pad, recovery offset. */
        public final String[] strings = new String[3];
        public int stringCount;
        public final long[] numbers = new long[2];
        public int numberCount;
        /** For Socket.IO CONNECT: the raw JSON object ({@code {"sid":…,"pid":…}}); for an ACK its id. */
        public String connectJson;
        public long ackId;

        void reset(Kind k) {
            kind = k;
            stringCount = 0;
            numberCount = 0;
            connectJson = null;
            ackId = -1;
        }

        /** The recovery offset of a Socket.IO event: its third string argument (after name and pad). */
        public String offset() {
            return stringCount >= 3 ? strings[2] : null;
        }
    }

    public enum Kind { EIO_OPEN, EIO_PING, EIO_CLOSE, CONNECT, CONNECT_ERROR, DISCONNECT, EVENT, ACK, OTHER }

    public static String publish(Proto proto, long seq, long sent, String pad) {
        String array = "[\"publish\"," + seq + "," + sent + ",\"" + pad + "\"]";
        return proto == Proto.SIO ? "42" + array : array;
    }

    public static String echo(Proto proto, long ackId, long sent) {
        return proto == Proto.SIO ? "42" + ackId + "[\"echo\"," + sent + "]" : "[\"echo\"," + sent + "]";
    }

    /** Socket.IO CONNECT to the main namespace; with {@code pid} (and the last offset seen) it asks for recovery. */
    public static String sioConnect(String pid, String offset) {
        if (pid == null) return "40";
        return "40{\"pid\":\"" + pid + "\"" + (offset == null ? "" : ",\"offset\":\"" + offset + "\"") + "}";
    }

    /** A string field of a small flat JSON object, e.g. {@code sid} of a CONNECT answer ({@code null} if absent). */
    public static String field(String json, String name) {
        if (json == null) return null;
        String key = "\"" + name + "\":\"";
        int i = json.indexOf(key);
        if (i < 0) return null;
        int start = i + key.length();
        int end = json.indexOf('"', start);
        return end < 0 ? null : json.substring(start, end);
    }

    /** Parses an Engine.IO/Socket.IO text frame into {@code in}. */
    public static In parseSio(String text, In in) {
        if (text.isEmpty()) {
            in.reset(Kind.OTHER);
            return in;
        }
        char eio = text.charAt(0);
        switch (eio) {
            case '0' -> in.reset(Kind.EIO_OPEN);
            case '1' -> in.reset(Kind.EIO_CLOSE);
            case '2' -> in.reset(Kind.EIO_PING);
            case '4' -> parseSioPacket(text, in);
            default -> in.reset(Kind.OTHER);
        }
        return in;
    }

    private static void parseSioPacket(String text, In in) {
        if (text.length() < 2) {
            in.reset(Kind.OTHER);
            return;
        }
        char type = text.charAt(1);
        int i = 2;
        if (i < text.length() && text.charAt(i) == '/') { // a namespace other than "/": up to the comma
            int comma = text.indexOf(',', i);
            i = comma < 0 ? text.length() : comma + 1;
        }
        switch (type) {
            case '0' -> {
                in.reset(Kind.CONNECT);
                in.connectJson = text.substring(i);
            }
            case '1' -> in.reset(Kind.DISCONNECT);
            case '4' -> {
                in.reset(Kind.CONNECT_ERROR);
                in.connectJson = text.substring(i);
            }
            case '2', '3' -> {
                in.reset(type == '2' ? Kind.EVENT : Kind.ACK);
                long id = 0;
                boolean hasId = false;
                while (i < text.length() && Character.isDigit(text.charAt(i))) {
                    id = id * 10 + (text.charAt(i++) - '0');
                    hasId = true;
                }
                if (hasId) in.ackId = id;
                scanArray(text, i, in);
            }
            default -> in.reset(Kind.OTHER);
        }
    }

    /** Parses a plain-WebSocket frame of the {@code ws} peer: {@code ["m",…]} is an EVENT, {@code ["ack",…]} an ACK. */
    public static In parseWs(String text, In in) {
        in.reset(Kind.EVENT);
        scanArray(text, 0, in);
        if (in.stringCount > 0 && "ack".equals(in.strings[0])) in.kind = Kind.ACK;
        return in;
    }

    /** Collects the top-level strings and integers of a JSON array starting at {@code from}; skips nested values. */
    static void scanArray(String s, int from, In in) {
        int i = s.indexOf('[', from);
        if (i < 0) return;
        i++;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '"') {
                StringBuilder sb = null;
                int start = ++i;
                while (i < n && s.charAt(i) != '"') {
                    if (s.charAt(i) == '\\') {
                        if (sb == null) sb = new StringBuilder();
                        sb.append(s, start, i).append(s.charAt(i + 1));
                        i += 2;
                        start = i;
                    } else {
                        i++;
                    }
                }
                String value = sb == null ? s.substring(start, Math.min(i, n)) : sb.append(s, start, i).toString();
                if (in.stringCount < in.strings.length) in.strings[in.stringCount++] = value;
                i++;
            } else if (c == '-' || (c >= '0' && c <= '9')) {
                boolean negative = c == '-';
                if (negative) i++;
                long v = 0;
                while (i < n && Character.isDigit(s.charAt(i))) v = v * 10 + (s.charAt(i++) - '0');
                while (i < n && ".eE+-".indexOf(s.charAt(i)) >= 0 || i < n && Character.isDigit(s.charAt(i))) i++;
                if (in.numberCount < in.numbers.length) in.numbers[in.numberCount++] = negative ? -v : v;
            } else if (c == '{' || c == '[') {
                i = skipNested(s, i);
            } else if (c == ']') {
                return;
            } else {
                i++;
            }
        }
    }

    private static int skipNested(String s, int i) {
        int depth = 0;
        boolean inString = false;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (inString) {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if ((c == '}' || c == ']') && --depth == 0) {
                return i + 1;
            }
        }
        return i;
    }
}
