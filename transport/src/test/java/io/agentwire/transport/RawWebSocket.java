package io.agentwire.transport;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A bare-bones WebSocket client over a socket, for frames the JDK client never sends (one huge frame, bad UTF-8). */
final class RawWebSocket implements AutoCloseable {
    record Frame(int opcode, byte[] payload) {
        int closeCode() {
            return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }

        String closeReason() {
            return new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    RawWebSocket(int port, String pathAndQuery) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        out.write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) head.write(in.readUnsignedByte());
        if (!head.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101")) {
            throw new IOException("no upgrade: " + head);
        }
    }

    /** Writes one masked frame (mask 0: the payload goes out as is). */
    void send(int opcode, byte[] payload) throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(0x80 | opcode);
        if (payload.length < 126) {
            f.write(0x80 | payload.length);
        } else if (payload.length < 65_536) {
            f.write(0x80 | 126);
            f.write(payload.length >>> 8);
            f.write(payload.length);
        } else {
            f.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) f.write((int) ((long) payload.length >>> shift));
        }
        f.write(new byte[4]);
        f.write(payload);
        out.write(f.toByteArray());
        out.flush();
    }

    Frame read() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7f;
        if (len == 126) len = in.readUnsignedShort();
        else if (len == 127) len = in.readLong();
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
        return new Frame(b0 & 0x0f, payload);
    }

    /** One read from the socket: whatever the server's writes so far put there (at least one byte). */
    byte[] readOnce() throws IOException {
        byte[] buf = new byte[65_536];
        int n = in.read(buf);
        if (n < 0) throw new IOException("closed");
        return java.util.Arrays.copyOf(buf, n);
    }

    /** The text payloads of the server frames (unmasked) in {@code bytes}, which must end at a frame's end. */
    static List<String> frames(byte[] bytes) {
        List<String> out = new java.util.ArrayList<>();
        int i = 0;
        while (i < bytes.length) {
            int len = bytes[i + 1] & 0x7f;
            int at = i + 2;
            if (len == 126) {
                len = ((bytes[at] & 0xff) << 8) | (bytes[at + 1] & 0xff);
                at += 2;
            }
            out.add(new String(bytes, at, len, StandardCharsets.UTF_8));
            i = at + len;
        }
        return out;
    }

    /** -1 once the server closed the socket. */
    int readEof() throws IOException {
        return in.read();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
