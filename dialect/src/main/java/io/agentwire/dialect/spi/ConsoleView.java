package io.agentwire.dialect.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * What a dialect shows in the web console (docs/console.md): the connections it owns, its rooms or channels, and
 * the agents it knows, each as a {@link Page} of a search. Every method is optional (the defaults show nothing);
 * the server calls them on its console thread, never an event loop, and must not block there: implementations read
 * the dialect's own live maps. A page is built in one pass over them that keeps at most {@link Query#limit()} rows,
 * so a console looking at 100 000 connections holds 50 of them (see {@link Page#of}).
 */
public interface ConsoleView {
    /** Shows nothing. */
    ConsoleView NONE = new ConsoleView() { };

    /** The connections this dialect owns on this node that match {@code query}. */
    default Page<ConnectionRow> connections(Query query) {
        return Page.empty(query);
    }

    /** This dialect's open connections on this node by transport (e.g. {@code websocket: 3}); none by default. */
    default Map<String, Integer> transports() {
        return Map.of();
    }

    /**
     * Closes the connection {@code id} of this dialect (the operator's "disconnect"), as the server's shutdown would
     * close it: the client may reconnect and resume. Any thread, never blocks. {@code false}: no such connection.
     */
    default boolean disconnect(String id) {
        return false;
    }

    /** The rooms or channels of this dialect on this node that match {@code query}, with their member counts. */
    default Page<RoomRow> rooms(Query query) {
        return Page.empty(query);
    }

    /** Agents this dialect knows (e.g. mesh agents) that match {@code query}. */
    default Page<AgentRow> agents(Query query) {
        return Page.empty(query);
    }

    /**
     * A search: rows whose text contains {@code search} (case-insensitive; blank matches all), from {@code offset},
     * at most {@code limit} of them (0..{@link #MAX_LIMIT}).
     */
    record Query(String search, int offset, int limit) {
        public static final int MAX_LIMIT = 200;

        public Query {
            search = search == null ? "" : search.strip().toLowerCase(Locale.ROOT);
            if (offset < 0) throw new IllegalArgumentException("offset must not be negative, was " + offset);
            if (limit < 0 || limit > MAX_LIMIT) {
                throw new IllegalArgumentException("limit must be 0.." + MAX_LIMIT + ", was " + limit);
            }
        }

        /** Whether any of {@code fields} contains the search. */
        public boolean matches(String... fields) {
            if (search.isEmpty()) return true;
            for (String f : fields) if (f != null && f.toLowerCase(Locale.ROOT).contains(search)) return true;
            return false;
        }
    }

    /**
     * One page of rows and how many matched in all.
     *
     * @param items at most the query's limit
     * @param total every matching row
     * @param offset where the page starts
     */
    record Page<T>(List<T> items, int total, int offset) {
        public Page {
            items = List.copyOf(items);
        }

        public static <T> Page<T> empty(Query query) {
            return new Page<>(List.of(), 0, query.offset());
        }

        /**
         * The page of {@code rows} that match: one pass, counting every match and keeping only those from the offset
         * up to the limit (the rest are looked at and dropped, never collected).
         */
        public static <T> Page<T> of(Stream<T> rows, Predicate<? super T> matches, Query query) {
            List<T> kept = new ArrayList<>(Math.min(query.limit(), 64));
            int[] total = {0};
            rows.filter(matches).forEach(r -> {
                int i = total[0]++;
                if (i >= query.offset() && kept.size() < query.limit()) kept.add(r);
            });
            return new Page<>(kept, total[0], query.offset());
        }

        /**
         * The page {@code sources} make together, in order (the rows of the first, then the second …): each is asked
         * once, for what is left of the offset and the limit; the totals add up.
         */
        public static <T> Page<T> across(List<? extends Function<Query, Page<T>>> sources, Query query) {
            int skip = query.offset();
            int total = 0;
            List<T> items = new ArrayList<>();
            for (Function<Query, Page<T>> source : sources) {
                Page<T> p = source.apply(new Query(query.search(), skip, query.limit() - items.size()));
                total += p.total();
                items.addAll(p.items());
                skip = Math.max(0, skip - p.total());
            }
            return new Page<>(items, total, query.offset());
        }
    }

    /**
     * One live connection.
     *
     * @param id the connection's id (the one {@link #disconnect} takes)
     * @param principal who is connected
     * @param transport {@code websocket}, {@code polling} …
     * @param remoteAddress the peer's address
     * @param rooms the rooms or channels it is in (at most a few; {@code roomCount} says how many)
     * @param roomCount how many rooms it is in
     * @param queued messages waiting in its send queue, -1 if unknown
     * @param openedAtMillis when it opened (epoch millis), 0 if unknown
     */
    record ConnectionRow(String id, String principal, String transport, String remoteAddress, List<String> rooms,
                         int roomCount, int queued, long openedAtMillis) {
        public static final int ROOMS_SHOWN = 8;

        public ConnectionRow {
            rooms = List.copyOf(rooms.size() > ROOMS_SHOWN ? rooms.subList(0, ROOMS_SHOWN) : rooms);
        }
    }

    /** A room or channel and (some of) its members: at most {@link ConnectionRow#ROOMS_SHOWN} member ids shown. */
    record RoomRow(String name, int members, List<String> sample) {
        public RoomRow {
            sample = List.copyOf(sample.size() > ConnectionRow.ROOMS_SHOWN
                    ? sample.subList(0, ConnectionRow.ROOMS_SHOWN) : sample);
        }
    }

    /** An agent a dialect knows: its name, kind (e.g. {@code mesh}), status and a short detail. */
    record AgentRow(String name, String kind, String status, String detail) { }
}
