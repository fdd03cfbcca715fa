package io.agentwire.server;

import io.agentwire.core.FatalErrors;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;

/**
 * The {@code agentwire} command line: {@code agentwire serve [--config FILE] [--host H] [--port N] [--data-dir DIR]
 * [--dev]}, {@code agentwire echo [--host H] [--port N]} (the Socket.IO echo server), {@code agentwire token --sub USER
 * [--projects P1,P2] [--roles R1] [--ttl 1h]} (a JWT signed with the configured secret), {@code agentwire check-config
 * [--config FILE] [--dev]} (the effective configuration, secrets masked), {@code agentwire --version},
 * {@code agentwire --help}. Exit codes: 0 success, 1 the server could not
 * start (or failed unexpectedly), 2 a usage or configuration error. Errors are one line on stderr.
 */
public final class Main {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;

    private Main() { }

    public static void main(String[] args) {
        FatalErrors.install(); // a thread that dies of OutOfMemoryError ends the process (exit 3), see docs/limits.md
        int code = execute(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true),
                ServeCommand.untilSignalled());
        System.exit(code);
    }

    /** Runs the command line in-process (for tests: any environment, any output, any lifetime). */
    static int execute(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err,
                       ServeCommand.Lifetime lifetime) {
        CommandLine cli = new CommandLine(new AgentWireCommand())
                .addSubcommand("serve", new ServeCommand(env, lifetime))
                .addSubcommand("echo", new EchoCommand())
                .addSubcommand("token", new TokenCommand(env, java.time.Clock.systemUTC()))
                .addSubcommand("check-config", new CheckConfigCommand(env))
                .addSubcommand("health", new HealthCommand());
        cli = DialectCommands.install(cli, env) // the dialects' own, e.g. 'agentwire mesh user add'
                .setOut(out)
                .setErr(err)
                .setParameterExceptionHandler((e, a) -> {
                    CommandLine cmd = e.getCommandLine();
                    cmd.getErr().println("agentwire: " + e.getMessage() + " (see '"
                            + cmd.getCommandSpec().qualifiedName() + " --help')");
                    return EXIT_USAGE;
                })
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("agentwire: unexpected error: " + e);
                    e.printStackTrace(cmd.getErr());
                    return EXIT_FAILURE;
                });
        return cli.execute(args);
    }
}
