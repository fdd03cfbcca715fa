package io.agentwire.server;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code agentwire}: the top-level command; it only holds the subcommands, {@code --help} and {@code --version}. */
@Command(name = "agentwire", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class,
        description = "AgentWire: the real-time server for AI-agent event streams.",
        footer = "%nRun 'agentwire serve --help' for the server's options; docs/configuration.md lists every key.")
final class AgentWireCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** No subcommand: a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("agentwire: missing command (see 'agentwire --help')");
        return Main.EXIT_USAGE;
    }
}
