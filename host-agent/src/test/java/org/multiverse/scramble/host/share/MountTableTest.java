package org.multiverse.scramble.host.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multiverse.scramble.host.share.Refusals.assertRefused;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MountTableTest {

    private static final ShareException.Kind INTERNAL = ShareException.Kind.INTERNAL;

    private static List<String> parse(String text) throws ShareException {
        return MountTable.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsMountPointsAndUndoesTheKernelsEscapes() throws ShareException {
        String text = """
        22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw
        43 22 254:0 /tmp/a /tmp/b\\040c ro,relatime - ext4 /dev/vda rw
        44 22 254:0 /tmp/a /tmp/d\\011e\\012f\\134g rw - ext4 /dev/vda rw
        45 22 0:5 / /mnt/caf\\303\\251 rw master:3 shared:9 - tmpfs tmpfs rw
        """;
        assertEquals(List.of("/", "/tmp/b c", "/tmp/d\te\nf\\g", "/mnt/café"), parse(text));
    }

    @Test
    void refusesTextThatIsNotMountinfo() {
        assertRefused(INTERNAL, "line 1 has 3 fields", () -> parse("a b c\n"));
        assertRefused(
                INTERNAL,
                "line 2 has a mount point that is not an absolute path",
                () -> parse("1 1 0:1 / / rw - ext4 x rw\n1 1 0:1 / rel rw - ext4 x rw\n"));
        assertRefused(INTERNAL, "line 1 ends inside an escape", () -> parse("1 1 0:1 / /a\\04 rw - ext4 x rw\n"));
        assertRefused(
                INTERNAL, "line 1 has a malformed escape \\09x", () -> parse("1 1 0:1 / /a\\09x rw - ext4 x rw\n"));
        assertRefused(INTERNAL, "out-of-range escape", () -> parse("1 1 0:1 / /a\\777 rw - e x rw\n"));
        assertRefused(INTERNAL, "over the", () -> MountTable.parse(new byte[MountTable.MAX_BYTES + 1]));
    }

    @Test
    void readsThisProcesssTable() throws ShareException {
        assertTrue(MountTable.read().contains("/"));
    }
}
