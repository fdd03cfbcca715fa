package io.agentwire.dialect.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.dialect.spi.StreamState;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encrypted MXP channel messages sealed for each recipient on the recipient's node. A message is published once,
 * sealed as it is stored, on the live cluster stream {@value #STREAM}; every node (this one too) follows it, opens the
 * message with the shared key and seals it under a fresh IV for each of its own members of the channel. So a member
 * on another node gets a message encrypted for it, never the plain payload and never another member's ciphertext.
 */
final class MxpFanout implements AutoCloseable {
    static final String STREAM = "mesh:mxp";
    private static final Logger log = LoggerFactory.getLogger(MxpFanout.class);

    private final MeshDialect d;
    private final StreamState feed;

    MxpFanout(MeshDialect d) {
        this.d = d;
        this.feed = new StreamState(d.context.node(), STREAM, "mesh mxp", change -> () -> deliver(change));
    }

    CompletableFuture<Void> start() {
        return feed.start();
    }

    /** Hands a numbered message whose MXP content is sealed (as stored) to every node's members of its channel. */
    CompletableFuture<?> publish(Message sealed) {
        return feed.append(sealed.toJson());
    }

    private void deliver(JsonNode change) {
        Message msg = Message.fromJson(change);
        ObjectNode plain;
        try {
            plain = d.mxp.open(msg.mxp());
        } catch (Mxp.MxpException e) { // another node's key differs: nothing to forward but garbage
            log.warn("mesh: an MXP message in channel {} can not be opened here ({}); not delivered on this node",
                    msg.channelId(), e.getMessage());
            return;
        }
        for (Member r : d.members()) { // a fresh IV for every recipient
            if (!r.channels.contains(msg.channelId())) continue;
            Message sealed = msg.withMxp(d.mxp.seal(plain));
            if (r.real()) r.socket.emit("message:channel", sealed.real()); else r.socket.emit("message", sealed.spec());
        }
    }

    @Override
    public void close() {
        feed.close();
    }
}
