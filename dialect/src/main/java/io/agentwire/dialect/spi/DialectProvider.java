package io.agentwire.dialect.spi;

/**
 * A protocol AgentWire speaks, found with {@link java.util.ServiceLoader} (one line in
 * {@code META-INF/services/io.agentwire.dialect.spi.DialectProvider}). The server never names a dialect: it loads
 * every provider, reads each one's settings from its own configuration section, creates the enabled ones and serves
 * what they declare (docs/architecture.md, "Adding a dialect").
 *
 * <pre>{@code
 * public final class RoomsProvider implements DialectProvider<RoomsSettings> {
 *     public String name() { return "rooms"; }                          // agentwire.rooms, its reference.conf fragment
 *     public RoomsSettings settings(Settings s) { ... }                   // typed, validated, errors name the key
 *     public Dialect create(DialectContext ctx, RoomsSettings s) { ... }   // listeners, API, metrics, checks, banner
 * }
 * }</pre>
 *
 * @param <S> the dialect's immutable settings record
 */
public interface DialectProvider<S> {

    /** The dialect's name and configuration section ({@code agentwire.<name>}): lower case, unique. */
    String name();

    /**
     * The classpath resource of the dialect's {@code reference.conf} fragment: a HOCON document rooted at
     * {@code agentwire.<name>} that holds every key of the section with its default, documented in place, each
     * followed by its {@code key = ${?AGENTWIRE_…}} environment binding. The server merges it under its own
     * {@code reference.conf}, so unknown keys, environment variables and precedence work as for every other key.
     */
    default String referenceConf() {
        return getClass().getPackageName().replace('.', '/') + "/reference.conf";
    }

    /**
     * Reads and validates the section. Called at configuration load (also by {@code check-config}), before anything
     * is opened; a bad value is reported with {@link Settings#refuse} naming its key.
     */
    S settings(Settings section);

    /** Whether the dialect is served at all; by default its {@code enabled} key when it has one, else true. */
    default boolean enabled(Settings section) {
        return !section.has("enabled") || section.bool("enabled");
    }

    /**
     * Prefixes of the streams whose publications must be durable (kept in the event log, on SQLite or Redis, and read
     * back with {@code Node.durableHistory} after a restart) — how a dialect keeps state without a store of its own:
     * it appends changes to such a stream and folds them back at start, as the rooms dialect does with its grants
     * ({@code access:}). None by default. {@code session:} streams are always durable.
     */
    default java.util.List<String> durableStreams(S settings) {
        return java.util.List.of();
    }

    /**
     * Commands the dialect adds to the {@code agentwire} command line (e.g. {@code agentwire mesh user add}); none by
     * default. They run without the server (a command that changes a running server calls its HTTP API).
     */
    default java.util.List<DialectCommand> commands() {
        return java.util.List.of();
    }

    /**
     * Creates the dialect. It may open what it needs (observers on the node, its own stores through the context) but
     * serves nothing until the server has bound its listeners. A problem the operator must fix is thrown as
     * {@link DialectStartException}.
     */
    Dialect create(DialectContext context, S settings);
}
