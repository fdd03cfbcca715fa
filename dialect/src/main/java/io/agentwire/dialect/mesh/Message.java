package io.agentwire.dialect.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One message between agents, and its two wire forms: the document's ({@code message} / {@code direct_message}:
 * {@code {messageId, channelId, from, content, metadata, timestamp, type?}}) and the real SDK's ChannelMessage /
 * AgentMessage inside the envelope ({@code {toolType, senderId, metadata:{messageId, timestamp}, content:{format,
 * data}, context:{channelId}}}); a real sender's own data is kept as sent. MXP content (at {@code content}, or at
 * {@code content.data} in a real message) is replaced by its processed form.
 *
 * @param inner whether the MXP content sits at {@code content.data}
 * @param mxp the processed MXP content, or null
 * @param realOriginal the real sender's data, or null
 */
record Message(String messageId, String channelId, String from, JsonNode content, boolean inner, ObjectNode mxp,
               ObjectNode metadata, String type, ObjectNode realOriginal, long timestamp, long seq) {

    Message withMxp(ObjectNode processed) {
        return new Message(messageId, channelId, from, content, inner, processed, metadata, type, realOriginal, timestamp, seq);
    }

    /** With the message's offset in its channel's stream. */
    Message withSeq(long offset) {
        return new Message(messageId, channelId, from, content, inner, mxp, metadata, type, realOriginal, timestamp, offset);
    }

    /** The content as the document shows it: text, an MXP object, or the data of a real {format, data} content. */
    private JsonNode specContent() {
        if (mxp != null) return mxp;
        if (content.isObject() && content.has("format") && content.has("data")) return content.get("data");
        return content;
    }

    ObjectNode spec() {
        ObjectNode o = Json.obj().put("messageId", messageId);
        if (channelId != null) o.put("channelId", channelId);
        o.put("from", from);
        o.set("content", specContent());
        o.set("metadata", metadata);
        o.put("timestamp", Call.iso(timestamp));
        if (type != null) o.put("type", type);
        if (seq > 0) o.put("seq", seq);
        return o;
    }

    ObjectNode realData() {
        ObjectNode d;
        if (realOriginal != null) {
            d = realOriginal.deepCopy();
            if (seq > 0 && d.path("metadata").isObject()) ((ObjectNode) d.get("metadata")).put("seq", seq);
            if (mxp != null) {
                if (inner) ((ObjectNode) d.get("content")).set("data", mxp); else d.set("content", mxp);
            }
        } else {
            d = Json.obj().put("toolType", "channelMessage").put("senderId", from);
            ObjectNode meta = metadata.deepCopy().put("messageId", messageId).put("timestamp", timestamp);
            if (seq > 0) meta.put("seq", seq);
            if (type != null) meta.put("type", type);
            d.set("metadata", meta);
            JsonNode c = mxp != null ? mxp : content;
            d.putObject("content").put("format", c.isTextual() ? "text" : "json").set("data", c);
            if (channelId != null) d.putObject("context").put("channelId", channelId);
        }
        return d;
    }

    ObjectNode real() {
        return Call.envelope("message:channel", from, channelId, realData(), timestamp);
    }

    /** The message as JSON (to hand it to another node). */
    ObjectNode toJson() {
        ObjectNode o = Json.obj().put("messageId", messageId).put("channelId", channelId).put("from", from)
                .put("inner", inner).put("type", type).put("timestamp", timestamp).put("seq", seq);
        o.set("content", content);
        o.set("mxp", mxp);
        o.set("metadata", metadata);
        o.set("realOriginal", realOriginal);
        return o;
    }

    static Message fromJson(JsonNode o) {
        return new Message(Json.text(o, "messageId"), Json.text(o, "channelId"), Json.text(o, "from"), o.get("content"),
                o.path("inner").asBoolean(), object(o.get("mxp")), object(o.get("metadata")), Json.text(o, "type"),
                object(o.get("realOriginal")), o.path("timestamp").asLong(), o.path("seq").asLong());
    }

    private static ObjectNode object(JsonNode n) {
        return n != null && n.isObject() ? (ObjectNode) n : null;
    }
}
