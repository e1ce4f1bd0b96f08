package org.multiverse.scramble.host.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.multiverse.scramble.host.share.Refusals.assertRefused;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LinkNameTest {

    private static final ShareException.Kind INVALID = ShareException.Kind.INVALID_ARGUMENT;

    @Test
    void acceptsPlainNames() throws ShareException {
        assertEquals("photos", LinkName.check("photos"));
        assertEquals("My_Docs-2.0", LinkName.check("My_Docs-2.0"));
        assertEquals("a".repeat(64), LinkName.check("a".repeat(64)));
    }

    @Test
    void refusesEachBrokenRuleWithItsReason() {
        assertRefused(INVALID, "link name is empty", () -> LinkName.check(""));
        assertRefused(INVALID, "link name is empty", () -> LinkName.check(null));
        assertRefused(INVALID, "300 characters long; at most 64", () -> LinkName.check("x".repeat(300)));
        assertRefused(INVALID, "65 characters long", () -> LinkName.check("x".repeat(65)));
        assertRefused(INVALID, "may not be \"..\"", () -> LinkName.check(".."));
        assertRefused(INVALID, "may not be \".\"", () -> LinkName.check("."));
        assertRefused(INVALID, "contains '/'", () -> LinkName.check("/"));
        assertRefused(INVALID, "contains '/'", () -> LinkName.check("a/b"));
        assertRefused(INVALID, "contains '/'", () -> LinkName.check("../etc"));
        assertRefused(INVALID, "starts with '.'", () -> LinkName.check(".multiverse"));
        assertRefused(INVALID, "starts with '.'", () -> LinkName.check(".hidden"));
        assertRefused(INVALID, "contains \" \"", () -> LinkName.check("a b"));
        assertRefused(INVALID, "contains \",\"", () -> LinkName.check("a,b"));
        assertRefused(INVALID, "contains \"\\u000a\"", () -> LinkName.check("a\nb"));
        assertRefused(INVALID, "contains \"\\u0000\"", () -> LinkName.check("a\0b"));
        assertRefused(INVALID, "contains \"é\"", () -> LinkName.check("café"));
    }

    @Test
    void defaultsToTheFolderNameOnlyIfItIsSafe() throws ShareException {
        assertEquals("photos", LinkName.fromFolder(Path.of("/home/me/photos")));
        assertRefused(
                INVALID,
                "folder's name cannot be used as the link name",
                () -> LinkName.fromFolder(Path.of("/home/me/a+b")));
        assertRefused(INVALID, "give one with --as NAME", () -> LinkName.fromFolder(Path.of("/")));
    }
}
