package io.agentwire.server.console;

import io.agentwire.core.AgentGateway;
import io.agentwire.core.Node;
import io.agentwire.dialect.spi.ConsoleView;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * What the console reads from the running server (it names no dialect: each one's view comes through the SPI).
 *
 * @param dialects each enabled dialect's {@link ConsoleView}, by name
 * @param node the node whose session streams the run view follows
 * @param agents the agent runtime (cancel)
 * @param inProcessAgents the in-process agents' names
 * @param remoteAgents the registered remote agents: connected (true) or away (false)
 * @param checks the readiness checks {@code /readyz} reports
 * @param counter the total of a counter meter over all its tags (e.g. {@code agentwire.deliveries})
 * @param cluster one line describing the store and cluster (embedded SQLite file, or the Redis nodes)
 */
public record ConsoleSources(Map<String, ConsoleView> dialects, Node node, AgentGateway agents,
                             Supplier<SortedSet<String>> inProcessAgents,
                             Supplier<SortedMap<String, Boolean>> remoteAgents, Map<String, BooleanSupplier> checks,
                             ToDoubleFunction<String> counter, String cluster) {
    public ConsoleSources {
        dialects = Map.copyOf(dialects);
        checks = Map.copyOf(checks);
    }
}
