package io.agentwire.dialect.tracking;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A dashboard that has gone away without closing: a raw WebSocket client (RFC 6455 handshake over a plain socket)
 * that reads every frame the server sends but never writes one after the handshake — no pong message, and no pong
 * frame to the server's ping frames (which the JDK's and every browser's client send by themselves).
 */
final class DeadDashboard implements AutoCloseable {
    final List<String> texts = new CopyOnWriteArrayList<>();
    final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    volatile int pingFrames;
    private final Socket socket;

    DeadDashboard(int port, String path) throws IOException {
        socket = new Socket("127.0.0.1", port);
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce)
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        DataInputStream in = new DataInputStream(socket.getInputStream());
        String status = headers(in);
        if (!status.contains(" 101 ")) throw new IOException("no upgrade: " + status);
        Thread.ofVirtual().start(() -> read(in));
    }

    int awaitClose() throws Exception {
        return closeCode.get(20, TimeUnit.SECONDS);
    }

    private void read(DataInputStream in) {
        try {
            while (true) {
                int b0 = in.readUnsignedByte();
                int b1 = in.readUnsignedByte();
                long len = b1 & 0x7f;
                if (len == 126) len = in.readUnsignedShort();
                else if (len == 127) len = in.readLong();
                byte[] payload = new byte[(int) len];
                in.readFully(payload);
                switch (b0 & 0x0f) {
                    case 0x1 -> texts.add(new String(payload, StandardCharsets.UTF_8));
                    case 0x9 -> pingFrames++;
                    case 0x8 -> closeCode.complete(len >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005);
                    default -> { }
                }
            }
        } catch (EOFException e) {
            closeCode.complete(1006);
        } catch (IOException e) {
            closeCode.complete(1006);
        }
    }

    private static String headers(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int c = in.read();
            if (c < 0) throw new EOFException("connection closed during the handshake");
            buf.write(c);
            matched = (c == '\r' && matched % 2 == 0) || (c == '\n' && matched % 2 == 1) ? matched + 1 : 0;
        }
        return buf.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
