package io.agentwire.dialect.spi;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One dialect's configuration section ({@code agentwire.<name>}), resolved (defaults from the dialect's
 * {@code reference.conf} fragment, then the {@code --config} file, environment variables and flags), read with its
 * types. Every problem is a {@link SettingsException} whose message starts with the full key and ends with where the
 * value came from, so an operator can find it. Keys are relative to the section ({@code "port"},
 * {@code "recovery.enabled"}); {@link #global()} reads keys under {@code agentwire} ({@code "http.host"}).
 */
public final class Settings {
    private final Config root;
    private final String prefix;

    /**
     * @param root the resolved configuration (with the {@code agentwire} root)
     * @param section the section's path under the root, e.g. {@code agentwire.rooms}
     */
    public Settings(Config root, String section) {
        this.root = Objects.requireNonNull(root, "root");
        this.prefix = Objects.requireNonNull(section, "section");
    }

    /** The section's full path, e.g. {@code agentwire.rooms}. */
    public String path() {
        return prefix;
    }

    /** Keys relative to {@code agentwire} (settings every part of the server shares). */
    public Settings global() {
        int dot = prefix.indexOf('.');
        return new Settings(root, dot < 0 ? prefix : prefix.substring(0, dot));
    }

    public boolean has(String key) {
        return root.hasPath(full(key));
    }

    public String string(String key) {
        return read(key, () -> root.getString(full(key)));
    }

    public Optional<String> optional(String key) {
        return has(key) ? Optional.of(string(key)).filter(v -> !v.isBlank()) : Optional.empty();
    }

    public int integer(String key) {
        return read(key, () -> root.getInt(full(key)));
    }

    /** An integer within {@code min..max}. */
    public int integer(String key, int min, int max) {
        int n = integer(key);
        if (n < min || n > max) throw refuse(key, "must be " + min + ".." + max);
        return n;
    }

    public double number(String key) {
        return read(key, () -> root.getDouble(full(key)));
    }

    public boolean bool(String key) {
        return read(key, () -> root.getBoolean(full(key)));
    }

    public Duration duration(String key) {
        return read(key, () -> root.getDuration(full(key)));
    }

    /** A size ({@code 64KiB}, {@code 1MB}, {@code 1024}). */
    public long bytes(String key) {
        return read(key, () -> root.getBytes(full(key)));
    }

    /** A size that fits an int. */
    public int intBytes(String key) {
        long n = bytes(key);
        if (n > Integer.MAX_VALUE) throw refuse(key, "must be less than 2GiB");
        return (int) n;
    }

    /** A list: a HOCON list, or a comma-separated string; blanks dropped. */
    public List<String> list(String key) {
        return read(key, () -> {
            ConfigValue v = root.getValue(full(key));
            if (v.unwrapped() instanceof List<?>) return root.getStringList(full(key)).stream().map(String::trim)
                    .filter(s -> !s.isEmpty()).toList();
            String text = root.getString(full(key)).trim();
            return text.isEmpty() ? List.<String>of()
                    : Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        });
    }

    /**
     * A value read from {@code key}, with the text the operator wrote and where it came from, for a
     * {@link RecordBinder}: {@code binder.bind("path", s.setting("path", s.string("path")))}.
     */
    public Setting setting(String key, Object value) {
        String k = full(key);
        return new Setting(k, value, String.valueOf(root.getValue(k).unwrapped()), origin(k));
    }

    /** {@link #setting} of a string key. */
    public Setting stringSetting(String key) {
        return setting(key, string(key));
    }

    /** {@link #setting} of a duration key. */
    public Setting durationSetting(String key) {
        return setting(key, duration(key));
    }

    /** {@link #setting} of an integer key. */
    public Setting intSetting(String key) {
        return setting(key, integer(key));
    }

    /** {@link #setting} of a size key that fits an int. */
    public Setting bytesSetting(String key) {
        return setting(key, intBytes(key));
    }

    /** The section's {@code host} and {@code port} (a bad port refused under {@code port}). */
    public Listener.Address address() {
        return check("port", () -> new Listener.Address(string("host"), integer("port")));
    }

    /**
     * Builds a value from settings, turning the {@link IllegalArgumentException} of a record's validation into a
     * refusal of {@code key}: {@code s.check("port", () -> new Address(host, port))}.
     */
    public <T> T check(String key, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            String problem = String.valueOf(e.getMessage());
            int was = problem.lastIndexOf(", was ");
            throw refuse(key, was > 0 ? problem.substring(0, was) : problem);
        }
    }

    /** The error for a bad value of {@code key}: {@code agentwire.rooms.port: must be 0..65535, was 70000 (file:3)}. */
    public SettingsException refuse(String key, String problem) {
        String k = full(key);
        String was = root.hasPath(k) ? ", was " + root.getValue(k).unwrapped() + " (" + origin(k) + ")" : "";
        return new SettingsException(k + ": " + problem + was);
    }

    /** The full key of a relative one. */
    public String full(String key) {
        return prefix + "." + key;
    }

    private <T> T read(String key, Supplier<T> read) {
        try {
            return read.get();
        } catch (ConfigException.Missing e) {
            throw new SettingsException(full(key) + ": missing (no default in the dialect's reference.conf?)", e);
        } catch (ConfigException e) {
            throw new SettingsException(e.getMessage(), e);
        }
    }

    private String origin(String key) {
        ConfigValue v = root.getValue(key);
        String resource = v.origin().resource();
        return resource != null && resource.endsWith("reference.conf") ? "default" : v.origin().description();
    }
}
