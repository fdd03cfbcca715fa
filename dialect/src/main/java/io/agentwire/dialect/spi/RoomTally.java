package io.agentwire.dialect.spi;

import io.agentwire.dialect.spi.ConsoleView.ConnectionRow;
import io.agentwire.dialect.spi.ConsoleView.Page;
import io.agentwire.dialect.spi.ConsoleView.Query;
import io.agentwire.dialect.spi.ConsoleView.RoomRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rooms counted from their members in one pass (the console views' {@link ConsoleView#rooms}): each room matching the
 * query with its member count and the first {@link ConnectionRow#ROOMS_SHOWN} member ids. Holds one entry per room,
 * never the member lists.
 */
final class RoomTally {
    private final Query query;
    private final Map<String, Members> rooms = new HashMap<>();

    RoomTally(Query query) {
        this.query = query;
    }

    /** A member of a room. */
    void add(String room, String member) {
        if (query.matches(room)) rooms.computeIfAbsent(room, k -> new Members()).add(member);
    }

    /** The page of rooms, by name. */
    Page<RoomRow> page() {
        return Page.of(rooms.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> new RoomRow(e.getKey(), e.getValue().count, e.getValue().sample)), r -> true, query);
    }

    private static final class Members {
        int count;
        final List<String> sample = new ArrayList<>(2);

        void add(String id) {
            if (count++ < ConnectionRow.ROOMS_SHOWN) sample.add(id);
        }
    }
}
