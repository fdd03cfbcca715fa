package io.agentwire.agent.toolsmith;

import io.agentwire.agent.Agent;
import io.agentwire.agent.AgentContext;
import io.agentwire.agent.RunRequest;
import io.agentwire.agent.model.ModelCalls;
import io.agentwire.core.ToolCatalog;
import io.agentwire.core.ToolStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code toolsmith} agent: a self-engineering agent after spec 001's system. For each request it plans
 * (single tool, multi-tool workflow, a learned pattern or composite tool, or forced synthesis), finds tools by
 * meaning in its durable registry, writes the tools it lacks test-first (specification → pytest tests →
 * implementation → verification in the sandbox → one repair → registration, experimental if the tests still
 * fail), runs them in the sandbox, answers from the result through the model, and learns which tools work together
 * (patterns promoted to composite tools). Every step is a {@code toolsmith.<event_type>} event
 * ({@link ToolsmithEvents}); docs/toolsmith.md.
 */
public final class ToolsmithAgent implements Agent, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ToolsmithAgent.class);

    /** The toolsmith agent's name. */
    public static final String NAME = "toolsmith";

    /** What a run works with. */
    record Parts(ToolsmithConfig config, ModelCalls model, ToolRegistry registry, ToolSearch search, PythonTools python,
                 Synthesizer synthesizer, Planner planner, PatternMiner miner) { }

    private final Parts parts;
    private final Sandbox sandbox;
    private final ToolCatalog catalog;

    /**
     * Opens the registry under the config's data directory; embeddings by {@link MiniLmEmbedder#shared()}, loaded
     * on the first search (so a server that never runs the toolsmith never loads the model).
     */
    public ToolsmithAgent(ModelCalls model, ToolsmithConfig config) {
        this(model, config, text -> MiniLmEmbedder.shared().embed(text));
    }

    /** With the registry in {@code store} (cluster mode); embeddings as {@link #ToolsmithAgent(ModelCalls, ToolsmithConfig)}. */
    public ToolsmithAgent(ModelCalls model, ToolsmithConfig config, ToolStore store) {
        this(model, config, text -> MiniLmEmbedder.shared().embed(text), store);
    }

    public ToolsmithAgent(ModelCalls model, ToolsmithConfig config, Embedder embedder) {
        this(model, config, embedder, SqliteToolStore.open(config.dataDir()));
    }

    /**
     * With the registry in {@code store} (cluster mode: shared by every node; the agent closes it); the tools' files
     * under the config's data directory.
     */
    public ToolsmithAgent(ModelCalls model, ToolsmithConfig config, Embedder embedder, ToolStore store) {
        ToolRegistry registry = new ToolRegistry(store, config.dataDir());
        ToolSearch search = new ToolSearch(registry, embedder);
        sandbox = Sandbox.create(config.sandbox(), config.limits());
        PythonTools python = new PythonTools(sandbox, config.python());
        parts = new Parts(config, model, registry, search, python, new Synthesizer(model, python, registry, search),
                new Planner(model, search, registry, config), new PatternMiner(registry, config.promotion()));
        catalog = new ToolsmithCatalog(registry, config.promotion().confidenceFrequency());
        if (sandbox.available()) {
            log.info("toolsmith agent ready: {} tools in {}; sandbox: {}", registry.count(),
                    store.shared() ? "the cluster's shared registry" : config.dataDir(), sandbox.describe());
        } else {
            log.warn("toolsmith agent: {}", sandbox.describe());
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(RunRequest request, AgentContext ctx) throws Exception {
        new ToolsmithRun(request, ctx, parts).play();
    }

    /** The registry (tools, executions, patterns). */
    public ToolRegistry registry() {
        return parts.registry();
    }

    /** The registry as dialects read it (spec 001's tool count, tool list and analytics). */
    public ToolCatalog catalog() {
        return catalog;
    }

    /** The sandbox's one-line description (for the start-up banner). */
    public String sandboxDescription() {
        return sandbox.describe();
    }

    public boolean sandboxAvailable() {
        return sandbox.available();
    }

    @Override
    public void close() {
        parts.registry().close();
        sandbox.close();
    }
}
