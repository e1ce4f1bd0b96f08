package org.multiverse.scramble.host.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The budget's ledger: each portal counted once whatever is repeated, adopted VMs never refused. */
class MemoryBudgetTest {

    private static PortalRuntime portal(String name, int mib) throws DefinitionException, PortalException {
        PortalTemplate t = PortalTemplates.fromClasspath().get("service/router/star");
        return new PortalRuntime(
                DefinitionParser.fromTemplate(
                        t.path(), t.entries(), name, Map.of("memory_mib", Integer.toString(mib), "network", "none")),
                Path.of("/nonexistent", name));
    }

    @Test
    void reservingOrReleasingTwiceCountsOnce() throws Exception {
        MemoryBudget budget = new MemoryBudget(1000);
        PortalRuntime a = portal("a", 400);
        budget.reserve(a);
        budget.reserve(a);
        assertEquals(400, budget.usedMiB());
        assertEquals(1, budget.holders());
        budget.release(a);
        budget.release(a);
        assertEquals(0, budget.usedMiB());
    }

    @Test
    void aStartBeyondTheBudgetIsRefusedAndAnAdoptedVmIsCountedAnyway() throws Exception {
        MemoryBudget budget = new MemoryBudget(1000);
        PortalRuntime a = portal("a", 600);
        PortalRuntime b = portal("b", 600);
        budget.reserve(a);
        PortalException e = assertThrows(PortalException.class, () -> budget.reserve(b));
        assertEquals(PortalException.Kind.RESOURCE_EXHAUSTED, e.kind());
        assertEquals(
                "cannot start b: it needs 600 MiB and running portals use 600 of the 1000 MiB this host"
                        + " allows; stop a portal first",
                e.getMessage());
        budget.hold(b); // found running after an agent restart: it uses the memory whatever we say
        assertEquals(1200, budget.usedMiB());
        budget.release(a);
        budget.release(b);
        assertEquals(0, budget.holders());
    }
}
