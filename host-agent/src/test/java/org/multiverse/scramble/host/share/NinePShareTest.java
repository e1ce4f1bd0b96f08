package org.multiverse.scramble.host.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NinePShareTest {

    @Test
    void exportsTheShareRootWithTheFixedTagAndOptions() {
        assertEquals(
                List.of(
                        "-fsdev",
                        "local,id=multiverse-portal-fs,path=/var/lib/multiverse/portals/a/share,"
                                + "security_model=mapped-xattr,multidevs=remap",
                        "-device",
                        "virtio-9p-pci,fsdev=multiverse-portal-fs,mount_tag=multiverse-portal"),
                NinePShare.qemuArguments(Path.of("/var/lib/multiverse/portals/a/share")));
    }

    @Test
    void doublesCommasInThePath() {
        String fsdev = NinePShare.qemuArguments(Path.of("/p/a,b")).get(1);
        assertTrue(fsdev.contains(",path=/p/a,,b,security_model="), fsdev);
    }

    /** Whatever the path holds, QEMU's option parser sees the same five options, path intact. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "/p/x,security_model=none",
                "/p/x,,",
                "/p/,id=other",
                "/p/x=y",
                "/p/,",
                "/p/a,,,b",
                "/p/ spaced/and\"quoted'",
                "/p/ünïcode"
            })
    void noPathCanAddOrOverrideAnOption(String hostile) {
        Map<String, String> options =
                parseQemuOptions(NinePShare.qemuArguments(Path.of(hostile)).get(1));
        assertEquals(List.of("local", "id", "path", "security_model", "multidevs"), new ArrayList<>(options.keySet()));
        assertEquals(hostile, options.get("path"));
        assertEquals("mapped-xattr", options.get("security_model"));
        assertEquals("multiverse-portal-fs", options.get("id"));
    }

    @Test
    void refusesLineBreaksControlCharactersAndRelativePaths() {
        assertEquals(
                "9p share root contains a line break: \"/p/a\\u000ab\"",
                assertThrows(IllegalArgumentException.class, () -> NinePShare.qemuArguments(Path.of("/p/a\nb")))
                        .getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NinePShare.qemuArguments(Path.of("/p/a\rb")))
                .getMessage()
                .contains("line break"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NinePShare.qemuArguments(Path.of("/p/a\tb")))
                .getMessage()
                .contains("control"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NinePShare.qemuArguments(Path.of("share")))
                .getMessage()
                .contains("absolute"));
        assertThrows(IllegalArgumentException.class, () -> NinePShare.qemuArguments(null));
    }

    /**
     * QEMU's QemuOpts syntax as documented in qemu-options: the first element may be a bare
     * value (the driver), then {@code key=value} pairs; a value ends at a single comma and a
     * doubled comma stands for one.
     */
    private static Map<String, String> parseQemuOptions(String text) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ',' && i + 1 < text.length() && text.charAt(i + 1) == ',') {
                current.append(',');
                i++;
            } else if (c == ',') {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < parts.size(); i++) {
            String part = parts.get(i);
            int eq = part.indexOf('=');
            if (i == 0 && eq < 0) {
                options.put(part, "");
            } else {
                assertTrue(eq > 0, "option without a name: " + part);
                String previous = options.put(part.substring(0, eq), part.substring(eq + 1));
                assertEquals(null, previous, "option given twice: " + part);
            }
        }
        return options;
    }
}
