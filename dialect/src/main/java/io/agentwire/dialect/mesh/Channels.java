package io.agentwire.dialect.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentwire.dialect.mesh.MeshDialect.Vocab;
import io.agentwire.dialect.mesh.RateLimits.Category;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.UUID;

/**
 * Channels (create, join, leave, update, participants), agent keys ({@code key:generate}) and messages (channel,
 * direct, broadcast) in both vocabularies. A channel's messages go to its rooms in one order
 * ({@link Deliveries#channel}); nothing reaches a socket that is not in the channel, and an agent key acts in its
 * own channel only (PERMISSION_DENIED elsewhere).
 */
final class Channels {
    /** The prefix of each channel's message stream ({@code mesh:channel:<id>}, durable): order and history. */
    static final String STREAM = "mesh:channel:";
    private static final int HISTORY_MAX = 500;
    private final MeshDialect d;

    Channels(MeshDialect d) {
        this.d = d;
    }

    void register() {
        d.on("channel:create", "channel", Category.NONE, Vocab.EITHER, this::create);
        d.on("channel:join", "channel", Category.NONE, Vocab.SPEC, this::join);
        d.on("agent:join_channel", "channel", Category.NONE, Vocab.REAL, this::join);
        d.on("channel:leave", "channel", Category.NONE, Vocab.SPEC, this::leave);
        d.on("agent:leave_channel", "channel", Category.NONE, Vocab.REAL, this::leave);
        d.on("channel:update", "channel", Category.NONE, Vocab.EITHER, this::update);
        d.on("key:generate", "channel", Category.NONE, Vocab.EITHER, this::generateKey);
        d.on("channel:history", "channel", Category.NONE, Vocab.EITHER, this::history);
        d.on("message:send", "message", Category.MESSAGES, Vocab.SPEC, c -> send(c, null));
        d.on("message:broadcast", "message", Category.MESSAGES, Vocab.SPEC, c -> {
            String type = Json.text(c.data, "type");
            if (type == null || !List.of("announcement", "alert", "update").contains(type)) {
                throw Refusal.invalid("type", "'type' must be announcement, alert or update");
            }
            send(c, type);
        });
        d.on("message:channel", "message", Category.MESSAGES, Vocab.REAL, c -> send(c, null));
        d.on("message:direct", "message", Category.MESSAGES, Vocab.SPEC, this::direct);
        d.on("message:agent", "message", Category.MESSAGES, Vocab.REAL, this::direct);
    }

    /**
     * Whether the member may act in {@code channelId}: an agent key only in its own; the channel must exist (a user
     * naming a missing one creates it when {@code auto-create-channels} is on).
     */
    void check(Member m, String channelId, boolean mayCreate) throws Refusal {
        if (m.isKey() && !channelId.equals(m.boundChannel)) {
            throw new Refusal("PERMISSION_DENIED", "this agent key is bound to channel " + m.boundChannel,
                    Json.obj().put("channelId", channelId));
        }
        if (d.state.channel(channelId).isPresent()) return;
        if (mayCreate && !m.isKey() && d.settings.autoCreateChannels()) {
            d.state.putChannel(channel(channelId, channelId, "", Json.obj(), m.home()));
            return;
        }
        throw new Refusal("CHANNEL_NOT_FOUND", "Channel " + channelId + " does not exist", Json.obj().put("channelId", channelId));
    }

    private ObjectNode channel(String id, String name, String description, JsonNode metadata, String by) {
        ObjectNode c = Json.obj().put("channelId", id).put("name", name).put("description", description)
                .put("createdBy", by).put("createdAt", Call.iso(d.now()));
        c.set("metadata", metadata);
        return c;
    }

    /**
     * The member is in the channel: rooms, participants, the join events; {@code cameOnline}: its agent was offline
     * (the channel heard it leave), so the channel hears it join even when a recovered socket kept the room.
     */
    void enter(Member m, String channelId, boolean cameOnline) {
        boolean already = m.channels.contains(channelId) && !cameOnline;
        m.join(channelId);
        String agentId = m.agentId();
        if (agentId != null) {
            d.agents.get(agentId).channels.add(channelId);
            d.agents.changed(d.agents.get(agentId));
        }
        d.context.presence().joined(MeshDialect.SCOPE, m.socket.id(), "channel:" + channelId);
        long now = d.now();
        if (m.real()) {
            m.socket.emit("agent:join_channel", Call.envelope("agent:join_channel", agentId, channelId,
                    Json.obj().put("status", "joined").put("success", true).put("timestamp", now), now));
        } else {
            m.socket.emit("channel:joined", Json.obj().put("channelId", channelId).put("agentId", agentId));
            m.socket.emit("channel:participants", participants(channelId));
        }
        if (!already && agentId != null) {
            ObjectNode spec = Json.obj().put("channelId", channelId).put("agentId", agentId).put("timestamp", Call.iso(now));
            d.deliveries.channel(channelId, "channel:agent:joined", spec, "channel:agent:joined",
                    Call.envelope("channel:agent:joined", agentId, channelId, Json.obj().put("agentId", agentId), now));
        }
    }

    /** An agent left the channel (it asked, or its last socket went away). */
    void left(String agentId, String channelId, boolean asked) {
        if (asked) {
            d.agents.get(agentId).channels.remove(channelId);
            d.agents.changed(d.agents.get(agentId));
        }
        long now = d.now();
        ObjectNode spec = Json.obj().put("channelId", channelId).put("agentId", agentId).put("timestamp", Call.iso(now));
        d.deliveries.channel(channelId, "channel:agent:left", spec, "channel:agent:left",
                Call.envelope("channel:agent:left", agentId, channelId, Json.obj().put("agentId", agentId)
                        .put("reason", asked ? "left" : "disconnected"), now));
    }

    ObjectNode participants(String channelId) {
        ObjectNode p = Json.obj().put("channelId", channelId);
        var list = p.putArray("participants");
        d.agents.online(channelId).forEach(a -> list.add(a.toJson()));
        return p;
    }

    private void create(Call c) throws Refusal {
        if (c.member.isKey()) throw Refusal.of("PERMISSION_DENIED", "agent keys can not create channels");
        String id = Json.text(c.data, "channelId");
        if (id == null && c.envelope != null) id = Json.text(c.envelope, "channelId");
        if (id == null || id.isBlank()) id = "channel-" + UUID.randomUUID();
        String name = Json.text(c.data, "name");
        if (name == null || name.isBlank()) throw Refusal.invalid("name", "'name' is required (a non-empty string)");
        if (d.state.channel(id).isPresent()) {
            throw new Refusal("VALIDATION_ERROR", "Channel " + id + " already exists", Json.obj().put("field", "channelId"));
        }
        ObjectNode ch = channel(id, name, String.valueOf(Json.text(c.data, "description") == null ? "" : Json.text(c.data, "description")),
                c.data.path("metadata").isObject() ? c.data.get("metadata") : Json.obj(), c.member.home());
        for (String f : List.of("isPrivate", "requireApproval", "maxAgents", "allowAnonymous")) {
            if (c.data.has(f)) ch.set(f, c.data.get(f));
        }
        String channelId = id;
        d.state.putChannel(ch).whenComplete((x, e) -> {
            if (e != null) c.fail("channel", Refusal.of("INTERNAL_ERROR", "the channel could not be stored"));
            else replyIn(c, channelId, "channel:created", ch);
        });
    }

    /** A reply whose real envelope carries {@code channelId} at the top level (the SDK matches on it). */
    private static void replyIn(Call c, String channelId, String event, ObjectNode payload) {
        if (c.real) {
            c.member.socket.emit(event, Call.envelope(event, c.member.agentId(), channelId, payload, c.now));
            c.ok(payload);
        } else {
            c.reply(event, payload, null, null);
        }
    }

    private void join(Call c) throws Refusal {
        String ch = c.real ? c.channelId() : c.required("channelId");
        if (ch == null) throw Refusal.invalid("channelId", "'channelId' is required");
        String agentId = Json.text(c.data, "agentId");
        if (agentId != null && c.member.agentId() != null && !agentId.equals(c.member.agentId())) {
            throw Refusal.of("PERMISSION_DENIED", "a socket joins channels as its own agent only");
        }
        check(c.member, ch, true);
        if (agentId != null && c.member.agentId() == null) {
            d.mayActAs(c.member, agentId);
            c.member.actAs(agentId);
            d.agents.attach(agentId, c.member.socket.id(), c.member.owner(), c.now);
        }
        enter(c.member, ch, false);
        c.ok(Json.obj().put("channelId", ch));
    }

    private void leave(Call c) throws Refusal {
        String ch = c.real ? c.channelId() : c.required("channelId");
        if (ch == null) throw Refusal.invalid("channelId", "'channelId' is required");
        if (!c.member.channels.contains(ch)) throw Refusal.of("CHANNEL_NOT_FOUND", "not in channel " + ch);
        c.member.leave(ch);
        d.context.presence().left(MeshDialect.SCOPE, c.member.socket.id(), "channel:" + ch);
        if (c.member.agentId() != null) left(c.member.agentId(), ch, true);
        c.reply("channel:left", Json.obj().put("channelId", ch), "agent:leave_channel",
                Json.obj().put("status", "left").put("success", true));
    }

    private void update(Call c) throws Refusal {
        String ch = c.real ? c.channelId() : c.required("channelId");
        if (ch == null) throw Refusal.invalid("channelId", "'channelId' is required");
        check(c.member, ch, false);
        if (!c.member.channels.contains(ch) && c.member.isKey()) throw Refusal.of("PERMISSION_DENIED", "not in channel " + ch);
        JsonNode updates = c.data.get("updates");
        if (updates == null || !updates.isObject()) throw Refusal.invalid("updates", "'updates' must be an object");
        ObjectNode channel = d.state.channel(ch).orElseThrow();
        for (String f : List.of("name", "description")) {
            if (updates.has(f)) {
                if (!updates.get(f).isTextual()) throw Refusal.invalid("updates." + f, "'updates." + f + "' must be a string");
                channel.set(f, updates.get(f));
            }
        }
        if (updates.path("metadata").isObject()) channel.set("metadata", updates.get("metadata"));
        d.state.putChannel(channel).thenRun(() -> {
            long now = d.now();
            d.deliveries.channel(ch, "channel:updated", channel, "channel:update",
                    Call.envelope("channel:update", c.member.agentId(), ch, channel, now));
            c.ok(channel);
        });
    }

    private void generateKey(Call c) throws Refusal {
        if (c.member.isKey()) throw Refusal.of("PERMISSION_DENIED", "agent keys can not generate keys");
        String ch = c.real ? c.channelId() : c.required("channelId");
        if (ch == null) throw Refusal.invalid("channelId", "'channelId' is required");
        check(c.member, ch, false);
        long expires;
        String expiresAt = Json.text(c.data, "expiresAt");
        try {
            expires = expiresAt == null ? c.now + d.settings.keyTtl().toMillis() : Instant.parse(expiresAt).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw Refusal.invalid("expiresAt", "'expiresAt' must be an ISO-8601 instant");
        }
        ObjectNode key = newKey(ch, Json.text(c.data, "agentId"), Json.text(c.data, "name"), expires, c.member.home());
        d.state.addKey(new MeshState.AgentKey(key.path("keyId").asText(), Passwords.digest(key.path("secretKey").asText()),
                ch, Json.text(c.data, "agentId"), Json.text(c.data, "name"), expires, false, c.member.home(), null))
                .thenRun(() -> replyIn(c, ch, "key:generated", key));
    }

    /** A fresh key's public answer (the secret is shown once and kept only as a digest). */
    static ObjectNode newKey(String channelId, String agentId, String name, long expiresAt, String by) {
        ObjectNode k = Json.obj().put("keyId", "key_" + HexFormat.of().formatHex(Passwords.random(12)))
                .put("secretKey", Passwords.b64(Passwords.random(32))).put("channelId", channelId);
        if (agentId != null) k.put("agentId", agentId);
        if (name != null) k.put("name", name);
        k.put("expiresAt", Call.iso(expiresAt));
        return k;
    }

    /**
     * {@code channel:history {channelId, limit?}} (an AgentWire addition; the real SDK reads history over REST):
     * the channel's last {@code limit} (default 50, at most 500) messages in order, each with its {@code seq}.
     */
    private void history(Call c) throws Refusal {
        String ch = c.real ? c.channelId() : c.required("channelId");
        if (ch == null) throw Refusal.invalid("channelId", "'channelId' is required");
        check(c.member, ch, false);
        if (!c.member.channels.contains(ch)) throw new Refusal("PERMISSION_DENIED", "join channel " + ch + " first", Json.obj().put("channelId", ch));
        JsonNode l = c.data.get("limit");
        if (l != null && (!l.canConvertToInt() || l.asInt() < 1 || l.asInt() > HISTORY_MAX)) {
            throw Refusal.invalid("limit", "'limit' must be 1.." + HISTORY_MAX);
        }
        int limit = l == null ? 50 : l.asInt();
        last(d.context.node(), ch, limit).whenComplete((out, e) -> {
            if (e != null) c.fail("channel", Refusal.of("INTERNAL_ERROR", "the history could not be read"));
            else c.reply("channel:history", out, "channel:history:result", out);
        });
    }

    /** {@code {channelId, messages}}: the channel's last {@code limit} messages in order, each with its {@code seq}. */
    static CompletableFuture<ObjectNode> last(io.agentwire.core.Node node, String ch, int limit) {
        return node.top(STREAM + ch).thenCompose(top -> node.durableHistory(STREAM + ch, Math.max(0, top.offset() - limit), limit))
                .thenApply(page -> {
                    ObjectNode out = Json.obj().put("channelId", ch);
                    var list = out.putArray("messages");
                    page.forEach(p -> list.add(((ObjectNode) p.data().deepCopy()).put("seq", p.offset())));
                    return out;
                });
    }

    // ---- messages ----

    private void send(Call c, String broadcastType) throws Refusal {
        Member m = c.member;
        String ch = c.real ? channelOf(c) : c.required("channelId");
        if (ch == null) throw Refusal.invalid("channelId", "'channelId' is required");
        JsonNode content = c.real ? c.data.get("content") : c.data.get("content");
        if (content == null || !(content.isTextual() || content.isObject())) {
            throw Refusal.invalid("content", "'content' must be a string or an object");
        }
        check(m, ch, false);
        if (!m.channels.contains(ch)) throw new Refusal("PERMISSION_DENIED", "join channel " + ch + " first", Json.obj().put("channelId", ch));
        String from = m.agentId() != null ? m.agentId() : m.userId;
        String messageId = c.real && c.data.path("metadata").has("messageId")
                ? c.data.path("metadata").path("messageId").asText() : UUID.randomUUID().toString();
        // MXP: the content itself (document) or the ChannelMessage's content.data (real)
        Message msg = message(c, messageId, ch, from, content, broadcastType, false);
        publish(msg);
        c.ok(Json.obj().put("messageId", messageId).put("channelId", ch));
    }

    /**
     * A message posted over REST by an agent key ({@link MeshRest}), delivered as its {@code message:send}; its
     * {@code messageId}. MXP content is opened (a bad tag refused) as over the socket.
     */
    String post(String ch, String from, JsonNode content, JsonNode metadata, long now) throws Refusal {
        if (content == null || !(content.isTextual() || content.isObject())) {
            throw Refusal.invalid("content", "'content' must be a string or an object");
        }
        JsonNode mxpContent = mxpOf(content);
        String messageId = UUID.randomUUID().toString();
        publish(new Message(messageId, ch, from, content, mxpContent != null && content != mxpContent, opened(mxpContent, false),
                metadata != null && metadata.isObject() ? (ObjectNode) metadata.deepCopy() : Json.obj(), null, null, now, 0));
        return messageId;
    }

    /** Appends a channel message to its stream, then delivers it to the channel's members. */
    private void publish(Message msg) {
        String ch = msg.channelId();
        ObjectNode plain = msg.mxp();
        d.messages.incrementAndGet();
        boolean perRecipient = plain != null && d.mxp.enabled() && plain.path("encrypted").asBoolean(false);
        // the channel's own durable stream first (its offset is the message's seq: the channel's order and history),
        // then the members' rooms, in that order, whatever the vocabulary
        Message atRest = perRecipient ? msg.withMxp(d.mxp.seal(msg.mxp())) : msg; // encrypted at rest
        ObjectNode stored = atRest.spec();
        d.deliveries.inOrder(ch, () -> d.context.node().publish(STREAM + ch, stored).thenCompose(p -> {
            Message numbered = msg.withSeq(p.offset());
            // an encrypted MXP message is sealed for each recipient on the recipient's node (MxpFanout)
            CompletableFuture<?> sent = perRecipient ? d.mxpFanout.publish(atRest.withSeq(p.offset()))
                    : d.deliveries.to(List.of("ch:" + ch), "message", numbered.spec(), "message:channel", numbered.real());
            return sent;
        }));
    }

    /** The MXP part of a content: the content itself (document) or a real ChannelMessage's {@code content.data}. */
    private static JsonNode mxpOf(JsonNode content) {
        return Mxp.isMxp(content) ? content : Mxp.isMxp(content.get("data")) ? content.get("data") : null;
    }

    /** MXP content opened (and sealed again when {@code seal}); null for none; a bad tag or payload refused. */
    private ObjectNode opened(JsonNode mxpContent, boolean seal) throws Refusal {
        if (mxpContent == null) return null;
        try {
            ObjectNode plain = d.mxp.open((ObjectNode) mxpContent);
            return seal ? d.mxp.seal(plain) : plain;
        } catch (Mxp.MxpException e) {
            throw new Refusal("VALIDATION_ERROR", e.getMessage(), Json.obj().put("field", "content.payload").put("mxp", true));
        }
    }

    /**
     * The message of a request; MXP content (at {@code content}, or {@code content.data} of a real message) opened —
     * a bad tag or payload refused to the sender — and, for a direct message, sealed again for its one recipient.
     */
    private Message message(Call c, String messageId, String ch, String from, JsonNode content, String type, boolean seal)
            throws Refusal {
        JsonNode mxpContent = mxpOf(content);
        ObjectNode plain = opened(mxpContent, seal);
        ObjectNode metadata = c.data.path("metadata").isObject() ? (ObjectNode) c.data.get("metadata").deepCopy() : Json.obj();
        return new Message(messageId, ch, from, content, mxpContent != null && content != mxpContent, plain, metadata, type,
                c.real ? c.data : null, c.now, 0);
    }

    private static String channelOf(Call c) {
        String ch = Json.text(c.data.path("context"), "channelId");
        return ch != null ? ch : c.channelId();
    }

    private void direct(Call c) throws Refusal {
        Member m = c.member;
        String target = c.real ? firstText(c.data, "receiverId", "toAgentId", "targetAgentId") : c.required("targetAgentId");
        if (target == null) throw Refusal.invalid("receiverId", "'receiverId' is required");
        JsonNode content = c.data.get("content");
        if (content == null || !(content.isTextual() || content.isObject())) {
            throw Refusal.invalid("content", "'content' must be a string or an object");
        }
        Agents.Agent t = d.agents.find(target).orElseThrow(() -> Refusal.of("AGENT_NOT_FOUND", "no agent " + target));
        if (m.isKey() && !t.channels.contains(m.boundChannel)) {
            throw Refusal.of("PERMISSION_DENIED", "agent " + target + " is not in this key's channel");
        }
        String from = m.agentId() != null ? m.agentId() : m.userId;
        String messageId = UUID.randomUUID().toString();
        Message msg = message(c, messageId, null, from, content, null, true);
        d.messages.incrementAndGet();
        ObjectNode spec = msg.spec().put("to", target);
        ObjectNode realData = msg.realData();
        realData.put("receiverId", target).put("toolType", "agentMessage");
        d.deliveries.to(List.of("ag:" + target), "direct_message", spec, "message:agent",
                Call.envelope("message:agent", from, m.boundChannel, realData, c.now));
        c.ok(Json.obj().put("messageId", messageId).put("targetAgentId", target));
    }

    private static String firstText(JsonNode n, String... fields) {
        for (String f : fields) if (Json.text(n, f) != null) return Json.text(n, f);
        return null;
    }
}
