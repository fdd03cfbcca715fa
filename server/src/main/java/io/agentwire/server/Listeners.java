package io.agentwire.server;

import io.agentwire.dialect.spi.Bound;
import io.agentwire.dialect.spi.Listener;
import io.agentwire.transport.Routes;
import io.agentwire.transport.ServerConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The listeners the dialects ask for, grouped by host and port: one Netty server per address, serving every
 * dialect that asked for it when their paths do not overlap ({@code tracking} and {@code rooms} share 8000 this way).
 * The main HTTP port is one group of its own (the server's routes are on it); a dialect that asks for the main
 * port's configured host and port joins it. A listener configured on port 0 gets a free port of its own (never
 * shared).
 */
final class Listeners {
    /** Who claims a path on a listener: a dialect, its API, or the server itself. */
    private record Owned(Routes.Claim claim, String owner) { }

    /** One address to bind: its settings and routes, and the dialect listeners it serves. */
    static final class Group {
        final String host;
        final int port;
        final boolean main;
        final Routes.Builder routes = Routes.builder();
        final List<String> owners = new ArrayList<>();
        private final List<Owned> claims = new ArrayList<>();
        private int maxFrameBytes;
        private int maxHttpBodyBytes;

        private Group(String host, int port, boolean main, int maxFrameBytes, int maxHttpBodyBytes) {
            this.host = host;
            this.port = port;
            this.main = main;
            this.maxFrameBytes = maxFrameBytes;
            this.maxHttpBodyBytes = maxHttpBodyBytes;
        }

        /** Adds {@code owner}'s routes, refusing any path another owner on this address already answers. */
        void add(String owner, Routes.Builder theirs) {
            for (Routes.Claim c : theirs.claims()) {
                for (Owned o : claims) {
                    if (o.claim().overlaps(c) && !o.owner().equals(owner)) {
                        throw new StartupException(o.owner() + " and " + owner + " both serve " + (o.claim().equals(c)
                                ? c : o.claim() + " and " + c) + " on " + address() + ": give one of them another "
                                + "port (or path)", null);
                    }
                }
                claims.add(new Owned(c, owner));
            }
            routes.addAll(theirs);
            if (!owners.contains(owner)) owners.add(owner);
        }

        ServerConfig config(ServerConfig base) {
            return new ServerConfig(host, port, maxFrameBytes, maxHttpBodyBytes, base.writer(), base.limits());
        }

        String address() {
            String hostPort = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
            return main ? "the HTTP port (" + hostPort + ")" : hostPort;
        }
    }

    private final ServerConfig http;
    private final Group main;
    private final Map<String, Group> byAddress = new LinkedHashMap<>();
    /** Each dialect's listeners by address ({@code dialect@host:port}): port 0 is a different port per dialect. */
    private final Map<String, Group> byListener = new LinkedHashMap<>();
    private boolean mainFrameSet;

    Listeners(ServerConfig http) {
        this.http = Objects.requireNonNull(http, "http");
        this.main = new Group(http.host(), http.port(), true, http.maxFrameBytes(), http.maxHttpBodyBytes());
        if (http.port() != 0) byAddress.put(key(new Listener.Address(http.host(), http.port())), main);
    }

    /** The main HTTP port's group (health, metrics, the dialects' HTTP APIs). */
    Group main() {
        return main;
    }

    /** Adds a dialect's listener to the group of its address (a new group for a new address). */
    void add(String dialect, Listener listener) {
        Listener.Address a = listener.address();
        // port 0 asks for a free port of the listener's own: it is never shared (two dialects both on port 0 get two)
        String key = a.port() == 0 ? key(a) + "#" + dialect : key(a);
        Group g = a.main() ? main : byAddress.computeIfAbsent(key,
                k -> new Group(a.host(), a.port(), false, listener.maxFrameBytes(), listener.maxHttpBodyBytes()));
        byListener.put(dialect + "@" + key(a), g);
        if (g == main && !mainFrameSet) { // the main port's frame limit is its dialects', not the default
            g.maxFrameBytes = listener.maxFrameBytes();
            mainFrameSet = true;
        } else {
            g.maxFrameBytes = Math.max(g.maxFrameBytes, listener.maxFrameBytes());
        }
        g.maxHttpBodyBytes = Math.max(g.maxHttpBodyBytes, listener.maxHttpBodyBytes());
        Routes.Builder theirs = Routes.builder();
        listener.routes().accept(theirs);
        g.add("agentwire." + dialect, theirs);
    }

    /** Every group to bind, the main one first. */
    List<Group> groups() {
        List<Group> out = new ArrayList<>(List.of(main));
        byAddress.values().stream().filter(g -> g != main).forEach(out::add);
        return out;
    }

    /** Where {@code dialect}'s addresses are bound, once every group's server started. */
    Bound bound(Map<Group, Integer> ports, String dialect) {
        return new Bound() {
            @Override
            public int port(Listener.Address address) {
                Group g = address.main() ? main : byListener.get(dialect + "@" + key(address));
                return g == null ? -1 : ports.getOrDefault(g, -1);
            }

            @Override
            public String mainHost() {
                return http.host();
            }
        };
    }

    private String key(Listener.Address a) {
        String host = a.host().contains(":") ? "[" + a.host() + "]" : a.host();
        return host + ":" + a.port();
    }
}
