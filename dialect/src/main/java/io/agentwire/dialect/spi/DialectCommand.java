package io.agentwire.dialect.spi;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A command a dialect adds to the {@code agentwire} command line (e.g. {@code agentwire mesh user add}), declared
 * without a CLI library: the server turns it into a subcommand under {@link #path} with its {@link #options}, parses
 * the arguments and calls {@link #action}. Contributed by {@link DialectProvider#commands()}.
 *
 * @param path the words after {@code agentwire}, e.g. {@code ["mesh", "user", "add"]}
 * @param description one line for {@code --help}
 * @param options its {@code --name VALUE} options
 * @param action what it does; returns the exit code (0 done, 1 failed, 2 usage)
 */
public record DialectCommand(List<String> path, String description, List<Option> options, Action action) {

    /** An option {@code --name VALUE}; a flag takes no value (its value is "true" when given). */
    public record Option(String name, String description, boolean required, boolean flag, String defaultValue) {
        public Option {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(description, "description");
        }
    }

    /** Runs the command with the options given (by name without dashes; defaults filled in). */
    @FunctionalInterface
    public interface Action {
        int run(Map<String, String> options, Io io) throws Exception;
    }

    /** What a command may use: output, the environment, and a secret read without echo (console or stdin). */
    public interface Io {
        PrintWriter out();

        PrintWriter err();

        Map<String, String> env();

        /** A secret: read from the console without echo, else the first line of standard input; null if none. */
        String readSecret(String prompt);
    }

    public DialectCommand {
        path = List.copyOf(path);
        options = List.copyOf(options);
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(action, "action");
        if (path.isEmpty()) throw new IllegalArgumentException("a command needs a path");
    }
}
