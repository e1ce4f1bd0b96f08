package org.multiverse.scramble.shell.registry;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The checked, converted arguments of one command line, by their {@link ArgSpec#name()}.
 * Repeatable options hold a {@code List<String>}.
 */
public final class ParsedArgs {

    private final Map<String, Object> values;

    public ParsedArgs(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public String text(String name) {
        return (String) require(name);
    }

    public String textOr(String name, String fallback) {
        Object v = values.get(name);
        return v == null ? fallback : (String) v;
    }

    /** A UINT as an int (values above 2^31-1 wrap as the protobuf uint32 they become). */
    public int uint(String name, int fallback) {
        Object v = values.get(name);
        return v == null ? fallback : (int) (long) (Long) v;
    }

    public long uint64(String name, long fallback) {
        Object v = values.get(name);
        return v == null ? fallback : (Long) v;
    }

    public double decimal(String name) {
        return (Double) require(name);
    }

    public boolean flag(String name) {
        return Boolean.TRUE.equals(values.get(name));
    }

    /** An INSTANT; "now" means now. */
    public Optional<Instant> instant(String name, Instant now) {
        Object v = values.get(name);
        if (v == null) {
            return Optional.empty();
        }
        return Optional.of("now".equals(v) ? now : (Instant) v);
    }

    @SuppressWarnings("unchecked")
    public List<String> list(String name) {
        Object v = values.get(name);
        return v == null ? List.of() : (List<String>) v;
    }

    /** Repeatable KEY=VALUE options as a map (a later key wins). */
    public Map<String, String> keyValues(String name) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String kv : list(name)) {
            int eq = kv.indexOf('=');
            out.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return out;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** Every value, for {@code --dry-run} and JSON output. */
    public Map<String, Object> all() {
        return values;
    }

    private Object require(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new IllegalStateException("argument " + name + " was not parsed");
        }
        return v;
    }
}
