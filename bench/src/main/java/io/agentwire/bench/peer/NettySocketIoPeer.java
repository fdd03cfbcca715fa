package io.agentwire.bench.peer;

import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.SocketIOServer;

/**
 * The bench app on netty-socketio (the Java Socket.IO server users would otherwise pick), the same as every peer's:
 * join {@code bench} on connect, {@code publish [seq, sentNanos, payload]} broadcasts {@code m} with those arguments to
 * the room, {@code echo [sentNanos]} acknowledges it. netty-socketio has no connection state recovery.
 *
 * <pre>java -cp benchmarks.jar io.agentwire.bench.peer.NettySocketIoPeer PORT MAX_SECONDS</pre>
 */
public final class NettySocketIoPeer {
    private NettySocketIoPeer() { }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Configuration config = new Configuration();
        config.setHostname("127.0.0.1");
        config.setPort(port);
        config.setUseLinuxNativeEpoll(true);
        SocketIOServer server = new SocketIOServer(config);
        server.addConnectListener(client -> client.joinRoom("bench"));
        server.addMultiTypeEventListener("publish",
                (client, data, ack) -> server.getRoomOperations("bench").sendEvent("m", data.getArgs().toArray()),
                Long.class, Long.class, String.class);
        server.addMultiTypeEventListener("echo", (client, data, ack) -> ack.sendAckData(data.getArgs()), Long.class);
        server.start();
        Peers.ready("netty-socketio", port);
        Peers.stopAfter(args, server::stop);
    }
}
