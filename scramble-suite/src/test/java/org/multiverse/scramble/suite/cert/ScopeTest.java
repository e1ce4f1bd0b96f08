package org.multiverse.scramble.suite.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ScopeTest {

    @Test
    void parsesItsTextForms() {
        assertEquals(Scope.ALL, Scope.parse("all"));
        assertEquals(Scope.READ_ONLY, Scope.parse("read-only"));
        for (Scope s : Scope.values()) {
            assertEquals(s, Scope.parse(s.text()));
            assertEquals(s, Scope.fromCode(s.code()));
        }
    }

    @Test
    void unknownTextNamesTheAcceptedValues() {
        assertEquals(
                "unknown scope \"READ_ONLY\": expected one of all, read-only",
                assertThrows(IllegalArgumentException.class, () -> Scope.parse("READ_ONLY"))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> Scope.parse(""));
        assertThrows(IllegalArgumentException.class, () -> Scope.parse(null));
        assertNull(Scope.fromCode((byte) 0));
    }
}
