package io.agentwire.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of the server, so a test can break the link the way a network does: {@link #cut()} resets
 * both sockets (no WebSocket close frame), {@link #blackhole()} stops the bytes without telling anyone (a half-open
 * connection), {@link #refuse(boolean)} turns new connections away.
 */
final class TcpProxy implements AutoCloseable {
    private record Link(Socket client, Socket upstream, boolean[] blackholed) { }

    private final ServerSocket listener;
    private final int targetPort;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final Set<Link> holes = ConcurrentHashMap.newKeySet();
    private volatile boolean refusing;

    TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("proxy-accept").start(this::accept);
    }

    URI ws() {
        return URI.create("ws://127.0.0.1:" + listener.getLocalPort() + "/ws");
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (refusing) {
                    reset(client);
                    continue;
                }
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                Link link = new Link(client, upstream, new boolean[1]);
                links.add(link);
                Thread.ofVirtual().start(() -> pipe(link, client, upstream));
                Thread.ofVirtual().start(() -> pipe(link, upstream, client));
            } catch (IOException e) {
                // closed
            }
        }
    }

    private void pipe(Link link, Socket from, Socket to) {
        byte[] buf = new byte[16 * 1024];
        try (InputStream in = from.getInputStream()) {
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                synchronized (link) {
                    if (link.blackholed[0]) continue;
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the link is gone
        }
        synchronized (link) {
            if (link.blackholed[0]) return;
        }
        links.remove(link);
        reset(link.client);
        reset(link.upstream);
    }

    /** Resets every open link at once; returns how many there were. */
    int cut() {
        int n = 0;
        for (Link l : links) {
            links.remove(l);
            reset(l.client);
            reset(l.upstream);
            n++;
        }
        return n;
    }

    /** Stops forwarding on every open link, closing nothing; returns how many there were. */
    int blackhole() {
        int n = 0;
        for (Link l : links) {
            synchronized (l) {
                l.blackholed[0] = true;
            }
            links.remove(l);
            holes.add(l);
            n++;
        }
        return n;
    }

    void refuse(boolean on) {
        refusing = on;
    }

    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0); // RST, not FIN
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        cut();
        for (Link l : holes) {
            reset(l.client);
            reset(l.upstream);
        }
    }
}
