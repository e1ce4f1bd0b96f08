package org.multiverse.scramble.shell.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.multiverse.scramble.protocol.agent.CommandName;
import org.multiverse.scramble.protocol.command.CommandCatalog;
import org.multiverse.scramble.protocol.command.CommandInfo;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Result;
import org.multiverse.scramble.shell.parse.LineParser;
import org.multiverse.scramble.shell.parse.ParsedLine;

class CommandRegistryTest {

    private final CommandRegistry registry = CommandRegistry.standard();

    @Test
    void everyCommandKindHasExactlyOneDeclaration() {
        List<String> missing = new ArrayList<>();
        for (Command.KindCase k : Command.KindCase.values()) {
            if (k != Command.KindCase.KIND_NOT_SET && registry.byKind(k).isEmpty()) {
                missing.add(k.name());
            }
        }
        assertEquals(List.of(), missing, "commands without a registry entry");
        assertEquals(Command.KindCase.values().length - 1, registry.all().size());
    }

    @Test
    void verbsAreThePolicyNamesWithSpaces() {
        for (CommandSpec s : registry.all()) {
            assertEquals(CommandName.of(s.kind()), String.join(".", s.verb()), s.verbText());
        }
    }

    @Test
    void everyExampleParsesIntoItsOwnCommandAndBuilds() throws Exception {
        LineParser parser = new LineParser(registry);
        BuildContext ctx = new BuildContext() {
            @Override
            public Instant now() {
                return Instant.EPOCH;
            }

            @Override
            public byte[] signRevocation(long t) {
                return new byte[0];
            }
        };
        for (CommandSpec s : registry.all()) {
            assertFalse(s.summary().isBlank(), s.verbText());
            assertTrue(s.example().startsWith(s.verbText()), s.verbText() + ": " + s.example());
            ParsedLine p = parser.parse(s.example());
            assertEquals(s, p.spec(), s.example());
            Command c = s.build(p.args(), ctx);
            assertEquals(s.kind(), c.getKindCase(), s.example());
        }
    }

    @Test
    void stateChangingFlagAndAgentComeFromTheDescriptorAndHelpSaysSo() {
        for (CommandSpec s : registry.all()) {
            CommandInfo info = CommandCatalog.of(s.kind());
            assertEquals(info.changesState(), s.changesState(), s.verbText());
            assertEquals(AgentRole.serving(info.agent()), s.role(), s.verbText());
            String detail = String.join("\n", HelpText.verb(registry, s.verb()).orElseThrow());
            assertTrue(detail.contains(s.changesState() ? "changes state" : "read-only"), detail);
        }
    }

    /** Every command's answer renders, as text and as JSON: a command cannot be added without a renderer. */
    @Test
    void everyCommandsAnswerHasARenderer() throws Exception {
        for (CommandSpec s : registry.all()) {
            com.google.protobuf.Descriptors.FieldDescriptor field =
                    Result.getDescriptor().findFieldByNumber(s.answer().getNumber());
            Result.Builder b = Result.newBuilder();
            Result r = b.setField(field, b.newBuilderForField(field).build()).build();
            assertTrue(r.getKindCase() == s.answer(), s.verbText());
            new org.multiverse.scramble.shell.render.ResultRenderer(org.multiverse.scramble.shell.render.Style.plain())
                    .render(r);
        }
    }

    @Test
    void duplicatesAreRefused() {
        CommandSpec a = AgentWideCommands.all().get(0);
        assertThrows(IllegalStateException.class, () -> new CommandRegistry(List.of(a, a)));
    }

    @Test
    void nextWordsAndHelp() {
        assertTrue(registry.nextWords(List.of())
                .containsAll(List.of("agent", "audit", "portal", "router", "rtos", "share")));
        assertTrue(registry.nextWords(List.of("portal")).contains("start"));
        assertEquals(List.of("list"), registry.nextWords(List.of("portal", "snapshot")));
        assertTrue(
                HelpText.verb(registry, List.of("router", "vpn")).orElseThrow().size() >= 3);
        assertTrue(HelpText.verb(registry, List.of("nope")).isEmpty());
        assertTrue(String.join("\n", HelpText.overview(registry)).contains("portal start"));
    }
}
