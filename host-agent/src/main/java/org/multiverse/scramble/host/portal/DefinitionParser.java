package org.multiverse.scramble.host.portal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.multiverse.scramble.protocol.agent.AgentBuilder;
import org.multiverse.scramble.protocol.config.TomlEntry;
import org.multiverse.scramble.protocol.config.TomlSubset;

/**
 * Reads portal definitions and templates: every field is checked, unknown keys and bad
 * values are refused with {@code file:line} and the reason.
 *
 * <pre>
 * name        = "firefox.browser.app"    # required in a definition, absent in a template
 * type        = "application"            # application | service | controller
 * template    = "application/browser/firefox"
 * description = "Firefox, nothing kept"
 * cpus        = 2                        # 1..64
 * memory_mib  = 2048                     # 64..1048576, fixed (no balloon)
 * image       = "browser/firefox.qcow2"  # under the agent's image directory, read-only
 * kernel      = "linux/vmlinuz"          # direct boot (optional), with initrd and cmdline
 * initrd      = "linux/initrd.img"
 * cmdline     = "console=ttyS0 quiet"
 * ephemeral   = true                     # new disk overlay at every start (default true)
 * network     = "star"                   # universe | galaxy | star | none (default none)
 * mac         = "52:54:00:12:34:56"      # default: derived from the name
 * channels    = ["org.multiverse.host.0"]
 * share       = true                     # the 9p share (default true)
 * console_log = true                     # serial console to status.out (default true)
 * serve       = ["org.multiverse.host.0"] # controller portals: the host agent serves its commands here
 * routes      = ["router=org.multiverse.controller.0"]  # controller portals: relay route 'router' here
 * autostart   = true                     # started when the host agent starts (default false)
 * autostart_order = 10                   # lower first (default 100; ties by name)
 * </pre>
 *
 * <p>{@code serve} and {@code routes} name channels of the same portal, and only a
 * {@code controller} portal may have them: an agent channel lets whoever runs inside the VM send
 * (signed) commands to the host agent, a door the person opens only to their own controllers.
 */
public final class DefinitionParser {

    /** Every key a definition may hold. */
    static final Set<String> KEYS = Set.of(
            "name",
            "type",
            "template",
            "description",
            "cpus",
            "memory_mib",
            "image",
            "kernel",
            "initrd",
            "cmdline",
            "ephemeral",
            "network",
            "mac",
            "channels",
            "share",
            "console_log",
            "serve",
            "routes",
            "autostart",
            "autostart_order");

    /** A host has few cores to give; 64 is more than any portal needs and bounds mistakes. */
    static final int MAX_CPUS = 64;
    /** Below 64 MiB not even a router kernel boots. */
    static final int MIN_MEMORY_MIB = 64;
    /** 1 TiB: beyond any host this runs on; the memory budget enforces the real limit. */
    static final int MAX_MEMORY_MIB = 1024 * 1024;
    /** Image references are relative paths under the image directory. */
    static final int MAX_REFERENCE_CHARS = 255;
    /** Linux's own command line limit on x86 is 2048 bytes. */
    static final int MAX_CMDLINE_CHARS = 2048;

    static final int MAX_DESCRIPTION_CHARS = 200;
    /** A portal talks to a handful of agents at most. */
    static final int MAX_CHANNELS = 8;
    /** Autostart order bounds: enough room to slot a portal between two others. */
    static final int MAX_AUTOSTART_ORDER = 999;

    static final int DEFAULT_AUTOSTART_ORDER = 100;

    private static final Pattern TEMPLATE_PATH = Pattern.compile("[a-z0-9-]+(/[a-z0-9-]+)*");
    private static final Pattern REFERENCE_SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*");
    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");
    private static final Pattern CHANNEL = Pattern.compile("org\\.multiverse\\.[a-z0-9]([a-z0-9.-]{0,46}[a-z0-9])?");
    /** QEMU's locally administered prefix for derived MACs. */
    private static final String MAC_PREFIX = "52:54:00";

    private DefinitionParser() {}

    /**
     * Parses a portal definition file.
     *
     * @param source the file name for error messages
     */
    public static PortalDefinition parse(String source, String text) throws DefinitionException {
        return bind(source, TomlSubset.parse(source, text, DefinitionException::new), true);
    }

    /** Parses a template: a definition without a name (and without a template key). */
    static Map<String, TomlEntry> parseTemplate(String source, String text) throws DefinitionException {
        Map<String, TomlEntry> entries = TomlSubset.parse(source, text, DefinitionException::new);
        for (String forbidden : List.of("name", "template")) {
            TomlEntry e = entries.get(forbidden);
            if (e != null) {
                throw new DefinitionException(source, e.line(), "a template may not set '" + forbidden + "'");
            }
        }
        Map<String, TomlEntry> probe = new LinkedHashMap<>(entries);
        probe.put("name", new TomlEntry("name", "template.check", 0));
        bind(source, probe, true);
        return entries;
    }

    /**
     * Builds a definition from a template's entries, a name and overrides given as text
     * ({@code cpus=2}, {@code channels=a,b}).
     */
    static PortalDefinition fromTemplate(
            String templatePath, Map<String, TomlEntry> template, String name, Map<String, String> overrides)
            throws DefinitionException {
        Map<String, TomlEntry> entries = new LinkedHashMap<>(template);
        entries.put("name", new TomlEntry("name", name, 0));
        entries.put("template", new TomlEntry("template", templatePath, 0));
        for (Map.Entry<String, String> o : overrides.entrySet()) {
            String key = o.getKey();
            if (key == null || !KEYS.contains(key)) {
                throw new DefinitionException(
                        "overrides",
                        0,
                        "unknown field " + Printable.quote(key) + " (known: "
                                + String.join(", ", new java.util.TreeSet<>(KEYS)) + ")");
            }
            if (key.equals("name") || key.equals("template")) {
                throw new DefinitionException("overrides", 0, "'" + key + "' cannot be overridden");
            }
            if (o.getValue() == null) {
                throw new DefinitionException("overrides", 0, key + ": a value is required");
            }
            entries.put(key, new TomlEntry(key, overrideValue(key, o.getValue()), 0));
        }
        return bind("overrides", entries, true);
    }

    private static Object overrideValue(String key, String text) throws DefinitionException {
        switch (key) {
            case "cpus", "memory_mib" -> {
                if (!text.matches("[0-9]{1,10}")) {
                    throw new DefinitionException(
                            "overrides", 0, key + ": " + Printable.quote(text) + " is not a number");
                }
                return Long.parseLong(text);
            }
            case "autostart_order" -> {
                if (!text.matches("[0-9]{1,10}")) {
                    throw new DefinitionException(
                            "overrides", 0, key + ": " + Printable.quote(text) + " is not a number");
                }
                return Long.parseLong(text);
            }
            case "ephemeral", "share", "console_log", "autostart" -> {
                if (text.equals("true") || text.equals("false")) {
                    return Boolean.valueOf(text);
                }
                throw new DefinitionException(
                        "overrides", 0, key + ": " + Printable.quote(text) + " is not true or false");
            }
            case "channels", "serve", "routes" -> {
                List<String> items = new ArrayList<>();
                for (String part : text.split(",", -1)) {
                    if (!part.isBlank()) {
                        items.add(part.strip());
                    }
                }
                return items;
            }
            default -> {
                return text;
            }
        }
    }

    private static PortalDefinition bind(String source, Map<String, TomlEntry> e, boolean requireName)
            throws DefinitionException {
        for (TomlEntry entry : e.values()) {
            if (!KEYS.contains(entry.key())) {
                throw new DefinitionException(
                        source,
                        entry.line(),
                        "unknown key '" + entry.key() + "' (known: " + String.join(", ", new java.util.TreeSet<>(KEYS))
                                + ")");
            }
        }
        Fields f = new Fields(source, e);
        String name = f.string("name", null);
        if (name == null && requireName) {
            throw new DefinitionException(source, 0, "'name' is required");
        }
        String problem = PortalName.problem(name);
        if (problem != null) {
            throw f.error("name", problem);
        }
        PortalType type = f.choice("type", PortalType.class, null);
        String template = f.string("template", null);
        if (template != null
                && (template.length() > MAX_REFERENCE_CHARS
                        || !TEMPLATE_PATH.matcher(template).matches())) {
            throw f.error(
                    "template",
                    "template " + Printable.quote(template)
                            + " is not a template path like application/browser/firefox");
        }
        String description = f.string("description", "");
        if (description.length() > MAX_DESCRIPTION_CHARS || hasControl(description)) {
            throw f.error(
                    "description",
                    "description must be at most " + MAX_DESCRIPTION_CHARS + " characters without control characters");
        }
        int cpus = f.integer("cpus", null, 1, MAX_CPUS);
        int memory = f.integer("memory_mib", null, MIN_MEMORY_MIB, MAX_MEMORY_MIB);
        String image = f.reference("image");
        String kernel = f.reference("kernel");
        String initrd = f.reference("initrd");
        String cmdline = f.string("cmdline", null);
        if (cmdline != null) {
            if (cmdline.length() > MAX_CMDLINE_CHARS || !cmdline.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
                throw f.error(
                        "cmdline", "cmdline must be printable ASCII of at most " + MAX_CMDLINE_CHARS + " characters");
            }
        }
        if ((initrd != null || cmdline != null) && kernel == null) {
            throw f.error(initrd != null ? "initrd" : "cmdline", "initrd and cmdline need a kernel");
        }
        boolean ephemeral = f.bool("ephemeral", true);
        Network network = f.choice("network", Network.class, Network.NONE);
        String mac = f.string("mac", null);
        if (mac == null) {
            mac = derivedMac(name);
        } else {
            mac = mac.toLowerCase(Locale.ROOT);
            if (!MAC.matcher(mac).matches()) {
                throw f.error("mac", "mac " + Printable.quote(mac) + " is not six hex pairs joined by ':'");
            }
            if ((Integer.parseInt(mac.substring(0, 2), 16) & 1) != 0) {
                throw f.error("mac", "mac " + mac + " is a multicast address; a NIC needs a unicast one");
            }
        }
        List<String> channels = f.list("channels");
        if (channels.size() > MAX_CHANNELS) {
            throw f.error("channels", "at most " + MAX_CHANNELS + " channels");
        }
        Set<String> seen = new HashSet<>();
        for (String c : channels) {
            if (!CHANNEL.matcher(c).matches()) {
                throw f.error(
                        "channels",
                        "channel " + Printable.quote(c)
                                + " is not a port name like org.multiverse.host.0 (a-z, 0-9, '.', '-', at most 62 characters)");
            }
            if (!seen.add(c)) {
                throw f.error("channels", "channel " + c + " is listed twice");
            }
        }
        boolean share = f.bool("share", true);
        boolean consoleLog = f.bool("console_log", true);
        List<String> serve = f.list("serve");
        Map<String, String> routes = new LinkedHashMap<>();
        Set<String> agentChannels = new HashSet<>();
        for (String c : serve) {
            if (!channels.contains(c)) {
                throw f.error("serve", "serve: " + Printable.quote(c) + " is not one of this portal's channels");
            }
            if (!agentChannels.add(c)) {
                throw f.error("serve", "serve: channel " + c + " is listed twice");
            }
        }
        for (String r : f.list("routes")) {
            int eq = r.indexOf('=');
            String route = eq < 0 ? r : r.substring(0, eq);
            String channel = eq < 0 ? "" : r.substring(eq + 1);
            if (eq < 0 || !AgentBuilder.isRouteName(route)) {
                throw f.error(
                        "routes",
                        "routes: " + Printable.quote(r)
                                + " is not ROUTE=CHANNEL with a route name like router (a-z, 0-9, '-', at most 32)");
            }
            if (!channels.contains(channel)) {
                throw f.error(
                        "routes", "routes: " + Printable.quote(channel) + " is not one of this portal's channels");
            }
            if (!agentChannels.add(channel)) {
                throw f.error("routes", "routes: channel " + channel + " is already used by serve or another route");
            }
            if (routes.putIfAbsent(route, channel) != null) {
                throw f.error("routes", "routes: route " + route + " is listed twice");
            }
        }
        if (!agentChannels.isEmpty() && type != PortalType.CONTROLLER) {
            throw f.error(
                    serve.isEmpty() ? "routes" : "serve",
                    "only a controller portal may carry agent channels"
                            + " (serve, routes): they let the VM talk to the host agent");
        }
        boolean autostart = f.bool("autostart", false);
        int autostartOrder = f.integer("autostart_order", DEFAULT_AUTOSTART_ORDER, 0, MAX_AUTOSTART_ORDER);
        return new PortalDefinition(
                name,
                type,
                template,
                description,
                cpus,
                memory,
                image,
                kernel,
                initrd,
                cmdline,
                ephemeral,
                network,
                mac,
                channels,
                share,
                consoleLog,
                serve,
                routes,
                autostart,
                autostartOrder);
    }

    /** A stable, locally administered MAC from the name, so a portal keeps its address. */
    static String derivedMac(String name) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return String.format("%s:%02x:%02x:%02x", MAC_PREFIX, h[0] & 0xff, h[1] & 0xff, h[2] & 0xff);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static boolean hasControl(String s) {
        return s.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
    }

    /** Typed access to the entries with errors that carry the entry's line. */
    private record Fields(String source, Map<String, TomlEntry> entries) {

        DefinitionException error(String key, String reason) {
            TomlEntry e = entries.get(key);
            return new DefinitionException(source, e == null ? 0 : e.line(), reason);
        }

        String string(String key, String fallback) throws DefinitionException {
            TomlEntry e = entries.get(key);
            if (e == null) {
                return fallback;
            }
            if (!(e.value() instanceof String s)) {
                throw error(key, "'" + key + "' must be a string (in quotes)");
            }
            return s;
        }

        int integer(String key, Integer fallback, int min, int max) throws DefinitionException {
            TomlEntry e = entries.get(key);
            if (e == null) {
                if (fallback == null) {
                    throw new DefinitionException(source, 0, "'" + key + "' is required");
                }
                return fallback;
            }
            if (!(e.value() instanceof Long n)) {
                throw error(key, "'" + key + "' must be an integer (without quotes)");
            }
            if (n < min || n > max) {
                throw error(key, "'" + key + "' must be between " + min + " and " + max + ", got " + n);
            }
            return n.intValue();
        }

        boolean bool(String key, boolean fallback) throws DefinitionException {
            TomlEntry e = entries.get(key);
            if (e == null) {
                return fallback;
            }
            if (!(e.value() instanceof Boolean b)) {
                throw error(key, "'" + key + "' must be true or false (without quotes)");
            }
            return b;
        }

        <T extends Enum<T>> T choice(String key, Class<T> type, T fallback) throws DefinitionException {
            String word = string(key, null);
            List<String> allowed = new ArrayList<>();
            for (T c : type.getEnumConstants()) {
                allowed.add(c.name().toLowerCase(Locale.ROOT));
            }
            if (word == null) {
                if (fallback == null) {
                    throw new DefinitionException(
                            source, 0, "'" + key + "' is required (one of " + String.join(", ", allowed) + ")");
                }
                return fallback;
            }
            int i = allowed.indexOf(word);
            if (i < 0) {
                throw error(
                        key,
                        "'" + key + "' must be one of " + String.join(", ", allowed) + ", got "
                                + Printable.quote(word));
            }
            return type.getEnumConstants()[i];
        }

        @SuppressWarnings("unchecked")
        List<String> list(String key) throws DefinitionException {
            TomlEntry e = entries.get(key);
            if (e == null) {
                return List.of();
            }
            if (!(e.value() instanceof List<?>)) {
                throw error(key, "'" + key + "' must be an array of strings, like [\"org.multiverse.host.0\"]");
            }
            return (List<String>) e.value();
        }

        /** A relative path under the image directory: no '..', no absolute path, plain file name characters. */
        String reference(String key) throws DefinitionException {
            String ref = string(key, null);
            if (ref == null) {
                return null;
            }
            if (ref.isEmpty() || ref.length() > MAX_REFERENCE_CHARS) {
                throw error(key, "'" + key + "' must be 1 to " + MAX_REFERENCE_CHARS + " characters");
            }
            if (ref.startsWith("/")) {
                throw error(key, "'" + key + "' " + Printable.quote(ref) + " must be relative to the image directory");
            }
            for (String segment : ref.split("/", -1)) {
                if (segment.equals("..") || segment.equals(".")) {
                    throw error(key, "'" + key + "' " + Printable.quote(ref) + " may not contain '.' or '..' segments");
                }
                if (!REFERENCE_SEGMENT.matcher(segment).matches()) {
                    throw error(
                            key,
                            "'" + key + "' " + Printable.quote(ref)
                                    + " may use only letters, digits, '.', '_', '-' and '/' between names");
                }
            }
            return ref;
        }
    }
}
