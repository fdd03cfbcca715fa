package io.agentwire.dialect.spi;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds one of the modules' immutable config records ({@code EnvelopeConfig}, {@code HistoryConfig} …) from
 * configuration {@link Setting}s, keeping the record as the only place its rules live: AgentWire does not repeat
 * them. When the record refuses the values, the binder finds which key is to blame — the keys whose value the
 * record refuses even alone, with every other component at its default — and reports the record's message under
 * that key, e.g. {@code agentwire.envelope.heartbeat-interval: heartbeat interval must be > 0, was 0s}. When no
 * single value is wrong (two values contradict each other), it names every key whose value is not the default.
 */
public final class RecordBinder<R extends Record> {
    private final R defaults;
    private final RecordComponent[] components;
    private final Map<String, Setting> settings = new LinkedHashMap<>();
    private final Map<String, Object> derived = new HashMap<>();

    private RecordBinder(R defaults) {
        this.defaults = Objects.requireNonNull(defaults, "defaults");
        this.components = defaults.getClass().getRecordComponents();
    }

    /** A binder whose unset components take their value from {@code defaults}. */
    public static <R extends Record> RecordBinder<R> from(R defaults) {
        return new RecordBinder<>(defaults);
    }

    /** Sets {@code component} from a configuration key. */
    public RecordBinder<R> bind(String component, Setting setting) {
        check(component);
        settings.put(component, setting);
        return this;
    }

    /** Sets {@code component} to a value no key holds directly (computed, or another record). */
    public RecordBinder<R> derive(String component, Object value) {
        check(component);
        derived.put(component, value);
        return this;
    }

    /** The record; {@link SettingsException} naming the key if the record refuses the values. */
    public R build() {
        Map<String, Object> all = new HashMap<>(derived);
        settings.forEach((c, s) -> all.put(c, s.value()));
        try {
            return construct(all);
        } catch (IllegalArgumentException refused) {
            throw blame(refused.getMessage());
        }
    }

    private SettingsException blame(String message) {
        List<Setting> alone = new ArrayList<>();
        settings.forEach((component, setting) -> {
            Map<String, Object> one = new HashMap<>(derived);
            one.put(component, setting.value());
            try {
                construct(one);
            } catch (IllegalArgumentException e) {
                alone.add(setting);
            }
        });
        List<Setting> blamed = !alone.isEmpty() ? alone : settings.entrySet().stream()
                .filter(e -> !Objects.equals(e.getValue().value(), defaultOf(e.getKey())))
                .map(Map.Entry::getValue).toList();
        if (blamed.size() == 1) {
            Setting s = blamed.get(0);
            String was = "was " + s.value();
            String text = message.endsWith(was)
                    ? message.substring(0, message.length() - was.length()) + "was " + s.raw() : message;
            return new SettingsException(s.key() + ": " + text + " (" + s.origin() + ")");
        }
        String keys = blamed.isEmpty() ? "configuration"
                : String.join(", ", blamed.stream().map(s -> s.key() + " (" + s.origin() + ")").toList());
        return new SettingsException(keys + ": " + message);
    }

    @SuppressWarnings("unchecked")
    private R construct(Map<String, Object> values) {
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            String name = components[i].getName();
            types[i] = components[i].getType();
            args[i] = values.containsKey(name) ? values.get(name) : defaultOf(name);
        }
        try {
            Constructor<?> canonical = defaults.getClass().getDeclaredConstructor(types);
            return (R) canonical.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("can not build " + defaults.getClass().getSimpleName(), e);
        }
    }

    private Object defaultOf(String component) {
        for (RecordComponent c : components) {
            if (c.getName().equals(component)) {
                try {
                    return c.getAccessor().invoke(defaults);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new IllegalStateException("no component " + component);
    }

    private void check(String component) {
        if (Arrays.stream(components).noneMatch(c -> c.getName().equals(component))) {
            throw new IllegalArgumentException(defaults.getClass().getSimpleName() + " has no component " + component);
        }
    }
}
