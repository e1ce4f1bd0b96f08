package org.multiverse.scramble.host.portal;

import java.util.ArrayList;
import java.util.List;

/** Writes a definition in the same TOML subset {@link DefinitionParser} reads. */
final class DefinitionWriter {

    private DefinitionWriter() {}

    static String write(PortalDefinition d) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Portal definition written by the host agent; edit with care, it is validated on load.\n");
        line(sb, "name", quote(d.name()));
        line(sb, "type", quote(d.type().tomlName()));
        if (d.template() != null) {
            line(sb, "template", quote(d.template()));
        }
        if (!d.description().isEmpty()) {
            line(sb, "description", quote(d.description()));
        }
        line(sb, "cpus", Integer.toString(d.cpus()));
        line(sb, "memory_mib", Integer.toString(d.memoryMiB()));
        if (d.image() != null) {
            line(sb, "image", quote(d.image()));
        }
        if (d.kernel() != null) {
            line(sb, "kernel", quote(d.kernel()));
        }
        if (d.initrd() != null) {
            line(sb, "initrd", quote(d.initrd()));
        }
        if (d.cmdline() != null) {
            line(sb, "cmdline", quote(d.cmdline()));
        }
        line(sb, "ephemeral", Boolean.toString(d.ephemeral()));
        line(sb, "network", quote(d.network().tomlName()));
        line(sb, "mac", quote(d.mac()));
        List<String> channels = new ArrayList<>();
        d.channels().forEach(c -> channels.add(quote(c)));
        line(sb, "channels", "[" + String.join(", ", channels) + "]");
        line(sb, "share", Boolean.toString(d.share()));
        line(sb, "console_log", Boolean.toString(d.consoleLog()));
        if (!d.serve().isEmpty()) {
            line(
                    sb,
                    "serve",
                    "["
                            + String.join(
                                    ", ",
                                    d.serve().stream()
                                            .map(DefinitionWriter::quote)
                                            .toList()) + "]");
        }
        if (!d.routes().isEmpty()) {
            List<String> routes = new ArrayList<>();
            d.routes().forEach((route, channel) -> routes.add(quote(route + "=" + channel)));
            line(sb, "routes", "[" + String.join(", ", routes) + "]");
        }
        if (d.autostart()) {
            line(sb, "autostart", "true");
        }
        if (d.autostartOrder() != DefinitionParser.DEFAULT_AUTOSTART_ORDER) {
            line(sb, "autostart_order", Integer.toString(d.autostartOrder()));
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, String key, String value) {
        sb.append(String.format("%-11s = %s%n", key, value));
    }

    /** A basic string with the escapes the parser knows. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
