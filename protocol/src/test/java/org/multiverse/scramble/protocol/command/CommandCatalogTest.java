package org.multiverse.scramble.protocol.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.protocol.agent.CommandName;
import org.multiverse.scramble.protocol.ratelimit.CommandClass;
import org.multiverse.scramble.protocol.testkit.AgentTestKit;
import org.multiverse.scramble.protocol.testkit.CommandCoverage;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.RateClass;
import org.multiverse.scramble.protocol.v1.ServingAgent;

/** The descriptors in commands.proto: complete, and consistent with each other. */
class CommandCatalogTest {

    @Test
    void everyCommandOfTheOneofHasADescriptor() {
        Set<Command.KindCase> described = EnumSet.noneOf(Command.KindCase.class);
        CommandCatalog.all().forEach(c -> described.add(c.kind()));
        Set<Command.KindCase> all = EnumSet.allOf(Command.KindCase.class);
        all.remove(Command.KindCase.KIND_NOT_SET);
        assertEquals(all, described);
    }

    @Test
    void namesAreUniqueAndFoundBothWays() {
        for (CommandInfo c : CommandCatalog.all()) {
            assertEquals(c, CommandCatalog.named(c.name()).orElseThrow());
            assertEquals(c.name(), CommandName.of(c.kind()));
            assertEquals(c.kind(), CommandName.parse(c.name()).orElseThrow());
        }
        assertEquals(CommandCatalog.all().size(), CommandName.all().size());
        assertTrue(CommandCatalog.named("portal.launch").isEmpty());
        assertEquals("none", CommandName.of(Command.KindCase.KIND_NOT_SET));
        assertThrows(IllegalArgumentException.class, () -> CommandCatalog.of(Command.KindCase.KIND_NOT_SET));
    }

    /** A query changes nothing and is open to read-only sessions; the change classes change state. */
    @Test
    void rateClassesAgreeWithTheStateFlags() {
        for (CommandInfo c : CommandCatalog.all()) {
            if (c.rateClass() == RateClass.QUERY) {
                assertFalse(c.changesState(), c.name());
                assertTrue(c.readOnlyAllowed(), c.name());
            }
            if (c.rateClass() == RateClass.LIFECYCLE
                    || c.rateClass() == RateClass.SHARE
                    || c.rateClass() == RateClass.ROUTER_CHANGE) {
                assertTrue(c.changesState(), c.name());
            }
            assertEquals(
                    !c.changesState(),
                    c.readOnlyAllowed(),
                    c.name() + ": read-only sessions run exactly" + " the commands that change nothing");
            assertEquals(CommandClass.of(c.rateClass()), CommandClass.of(c.kind()));
        }
    }

    @Test
    void aBareCoreServesExactlyTheAgentWideCommands(@TempDir Path dir) throws Exception {
        try (AgentTestKit kit = AgentTestKit.builder("bare", dir).start()) {
            CommandCoverage.assertServesExactly(kit.core(), ServingAgent.ANY);
        }
    }

    @Test
    void theShellTypesTheDottedNameAsWords() {
        assertEquals(
                "portal console tail",
                CommandCatalog.named("portal.console.tail").orElseThrow().words());
    }
}
