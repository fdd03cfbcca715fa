package io.agentwire.server;

import io.agentwire.dialect.spi.DialectCommand;
import io.agentwire.dialect.spi.DialectProvider;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Adds the commands the dialect providers contribute ({@link DialectProvider#commands()}) to the command line, as
 * picocli subcommands built from their declarations (intermediate words become commands that only hold others).
 */
final class DialectCommands {
    private DialectCommands() { }

    static CommandLine install(CommandLine root, Map<String, String> env) {
        for (DialectProvider<?> p : ServiceLoader.load(DialectProvider.class)) {
            for (DialectCommand c : p.commands()) add(root, c, env);
        }
        return root;
    }

    private static void add(CommandLine root, DialectCommand c, Map<String, String> env) {
        CommandLine parent = root;
        for (int i = 0; i < c.path().size() - 1; i++) {
            String word = c.path().get(i);
            CommandLine next = parent.getSubcommands().get(word);
            if (next == null) {
                CommandLine[] holder = new CommandLine[1];
                CommandSpec group = CommandSpec.wrapWithoutInspection((Callable<Integer>) () -> {
                    holder[0].getErr().println("agentwire: missing command (see '"
                            + holder[0].getCommandSpec().qualifiedName() + " --help')");
                    return Main.EXIT_USAGE;
                }).name(word).mixinStandardHelpOptions(true);
                group.usageMessage().description("'" + word + "' commands: see --help of each.");
                next = new CommandLine(group);
                holder[0] = next;
                parent.addSubcommand(word, next);
            }
            parent = next;
        }
        CommandLine[] self = new CommandLine[1];
        CommandSpec spec = CommandSpec.wrapWithoutInspection((Callable<Integer>) () -> run(c, self[0], env))
                .name(c.path().getLast()).mixinStandardHelpOptions(true);
        spec.usageMessage().description(c.description());
        for (DialectCommand.Option o : c.options()) {
            OptionSpec.Builder b = OptionSpec.builder("--" + o.name()).description(o.description()).required(o.required());
            if (o.flag()) b.type(boolean.class).arity("0"); else b.type(String.class).paramLabel("VALUE");
            if (o.defaultValue() != null) b.defaultValue(o.defaultValue());
            spec.addOption(b.build());
        }
        CommandLine cmd = new CommandLine(spec);
        self[0] = cmd;
        parent.addSubcommand(c.path().getLast(), cmd);
    }

    private static int run(DialectCommand c, CommandLine cmd, Map<String, String> env) {
        Map<String, String> values = new LinkedHashMap<>();
        for (OptionSpec o : cmd.getCommandSpec().options()) {
            Object v = o.getValue();
            if (v != null && !o.usageHelp() && !o.versionHelp()) values.put(o.longestName().substring(2), String.valueOf(v));
        }
        try {
            return c.action().run(values, io(cmd.getOut(), cmd.getErr(), env));
        } catch (Exception e) {
            cmd.getErr().println("agentwire: " + String.join(" ", c.path()) + ": " + e.getMessage());
            return Main.EXIT_FAILURE;
        }
    }

    private static DialectCommand.Io io(PrintWriter out, PrintWriter err, Map<String, String> env) {
        return new DialectCommand.Io() {
            @Override public PrintWriter out() { return out; }
            @Override public PrintWriter err() { return err; }
            @Override public Map<String, String> env() { return env; }
            @Override public String readSecret(String prompt) {
                Console console = System.console();
                if (console != null) {
                    char[] s = console.readPassword("%s", prompt);
                    return s == null ? null : new String(s);
                }
                try {
                    return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                } catch (IOException e) {
                    return null;
                }
            }
        };
    }
}
