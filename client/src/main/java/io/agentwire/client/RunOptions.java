package io.agentwire.client;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How a run starts: which agent ({@code metadata.agent}: {@code demo}, {@code pipeline}, or a remote agent's
 * registered name), whether to ask for the plan confirmation ({@code metadata.confirm}), and any more metadata.
 *
 * @param agent    the agent's name, or {@code null} for the server's default
 * @param confirm  ask for (true) or skip (false) the plan confirmation, or {@code null} for the agent's default
 * @param metadata more metadata for the run, or {@code null}
 */
public record RunOptions(String agent, Boolean confirm, ObjectNode metadata) {
    /** The server's default agent, with its default confirmation. */
    public static final RunOptions DEFAULT = new RunOptions(null, null, null);

    /** Runs the agent named {@code agent}. */
    public static RunOptions agent(String agent) {
        return new RunOptions(agent, null, null);
    }

    /** The same, asking for the plan confirmation or not. */
    public RunOptions confirm(boolean confirm) {
        return new RunOptions(agent, confirm, metadata);
    }

    ObjectNode toMetadata() {
        ObjectNode m = metadata == null ? Json.MAPPER.createObjectNode() : metadata.deepCopy();
        if (agent != null) m.put("agent", agent);
        if (confirm != null) m.put("confirm", confirm);
        return m;
    }
}
