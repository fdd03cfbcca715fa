package io.agentwire.dialect.mesh;

import io.agentwire.transport.socketio.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One authenticated socket: who it is (a user, or an agent holding a key bound to one channel), the agent it acts
 * as, its channels and the vocabulary it speaks. Its deliveries go to rooms named by vocabulary
 * ({@code ch:<channel>:s|r}, {@code ag:<agent>:s|r}, {@code us:<user>:s|r}): a socket is in the rooms of its
 * vocabulary only, so a broadcast in both vocabularies reaches it once, in the names it understands.
 */
final class Member {
    final Socket socket;
    final String userId;       // null for an agent key
    final String username;
    final String authType;     // password | jwt | key
    final String boundChannel; // the key's channel, null for users
    final String keyId;        // the agent key, null for users
    private volatile String agentId;
    private volatile boolean real;
    final Set<String> channels = ConcurrentHashMap.newKeySet();

    Member(Socket socket, String userId, String username, String authType, String agentId, String boundChannel,
           String keyId, boolean real) {
        this.keyId = keyId;
        this.socket = socket;
        this.userId = userId;
        this.username = username;
        this.authType = authType;
        this.agentId = agentId;
        this.boundChannel = boundChannel;
        this.real = real;
    }

    String agentId() {
        return agentId;
    }

    boolean real() {
        return real;
    }

    boolean isKey() {
        return boundChannel != null;
    }

    /** The principal, for agent ownership: {@code key:<keyId>} or {@code user:<userId>}. */
    String owner() {
        return isKey() ? "key:" + socket.handshake().auth().path("keyId").asText() : "user:" + userId;
    }

    /** Who acts, for rate limits, memory and task ownership: the agent, else the user. */
    String subject() {
        return agentId != null ? agentId : "user:" + userId;
    }

    /** The room base of this member's direct deliveries. */
    String home() {
        return agentId != null ? "ag:" + agentId : "us:" + userId;
    }

    static String suffix(boolean real) {
        return real ? ":r" : ":s";
    }

    /** Acts as {@code id} from now on (agent:register on a user socket). */
    synchronized void actAs(String id) {
        if (id.equals(agentId)) return;
        socket.leave(home() + suffix(real));
        agentId = id;
        socket.join(home() + suffix(real));
    }

    void join(String channelId) {
        channels.add(channelId);
        socket.join("ch:" + channelId + suffix(real));
    }

    void leave(String channelId) {
        channels.remove(channelId);
        socket.leave("ch:" + channelId + ":s");
        socket.leave("ch:" + channelId + ":r");
    }

    /** Switches the vocabulary its deliveries use (it sent an event of the other one). */
    synchronized void speak(boolean realNow) {
        if (realNow == real) return;
        String from = suffix(real);
        String to = suffix(realNow);
        real = realNow;
        socket.join(home() + to);
        for (String c : channels) socket.join("ch:" + c + to);
        socket.leave(home() + from);
        for (String c : channels) socket.leave("ch:" + c + from);
    }
}
