package io.agentwire.dialect.rooms;

import io.agentwire.core.Principal;
import java.util.Objects;

/**
 * A room of spec 004: {@code user:<user_id>}, {@code project:<project_id>}, {@code agent:<agent_id>} or
 * {@code global}. An id is 1..{@value #MAX_ID} characters with no whitespace or control character; anything else
 * is not a room ({@code INVALID_ROOM}). Socket ids (the Socket.IO room of one socket) never parse as rooms.
 *
 * @param kind the room type
 * @param id the id after the colon; empty for {@code global}
 */
public record RoomName(Kind kind, String id) {
    /** The longest id a room name may carry. */
    public static final int MAX_ID = Principal.MAX_ID;
    public static final RoomName GLOBAL = new RoomName(Kind.GLOBAL, "");

    /** The room types of spec 004's "Room Types" table. */
    public enum Kind {
        USER("user"), PROJECT("project"), AGENT("agent"), GLOBAL("global");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }

        public String prefix() {
            return prefix;
        }
    }

    public RoomName {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        if (kind == Kind.GLOBAL ? !id.isEmpty() : !validId(id)) {
            throw new IllegalArgumentException("not a valid id for a " + kind.prefix() + " room");
        }
    }

    public static RoomName user(String id) {
        return new RoomName(Kind.USER, id);
    }

    public static RoomName project(String id) {
        return new RoomName(Kind.PROJECT, id);
    }

    public static RoomName agent(String id) {
        return new RoomName(Kind.AGENT, id);
    }

    /** The room {@code text} names, or null when it names none. */
    public static RoomName parse(String text) {
        if (text == null) return null;
        if (text.equals(Kind.GLOBAL.prefix())) return GLOBAL;
        int colon = text.indexOf(':');
        if (colon < 0) return null;
        String prefix = text.substring(0, colon);
        String id = text.substring(colon + 1);
        if (!validId(id)) return null;
        for (Kind k : Kind.values()) {
            if (k != Kind.GLOBAL && k.prefix().equals(prefix)) return new RoomName(k, id);
        }
        return null;
    }

    /** 1..{@value #MAX_ID} characters, none of them whitespace or a control character. */
    public static boolean validId(String id) {
        return Principal.validId(id); // the same rule: a user room is named by its principal's id
    }

    /** The room's name on the wire, e.g. {@code project:550e8400-…} or {@code global}. */
    public String name() {
        return kind == Kind.GLOBAL ? Kind.GLOBAL.prefix() : kind.prefix() + ":" + id;
    }

    @Override
    public String toString() {
        return name();
    }
}
