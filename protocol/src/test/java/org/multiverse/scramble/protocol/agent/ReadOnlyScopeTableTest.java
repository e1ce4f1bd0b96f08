package org.multiverse.scramble.protocol.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.FieldDescriptor;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.multiverse.scramble.protocol.command.CommandCatalog;
import org.multiverse.scramble.protocol.command.CommandInfo;
import org.multiverse.scramble.protocol.session.CommandOutcome;
import org.multiverse.scramble.protocol.testkit.AgentTestKit;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.ErrorCode;
import org.multiverse.scramble.suite.cert.Scope;

/**
 * Every command, sent through the whole pipeline by a read-only session and by a full one, to
 * an agent whose policy allows everything: the read-only session is refused exactly the commands
 * whose descriptor does not open them to read-only sessions, and nothing else; the full session
 * is refused none. (Commands this bare core has no handler for get UNSUPPORTED_COMMAND, which
 * comes after the scope check: what matters here is whether the scope refused them.)
 */
class ReadOnlyScopeTableTest {

    private static final String ALLOW_ALL = "* @any allow rate=10000/s burst=10000\n";

    @TempDir
    static Path dir;

    private static AgentTestKit readOnly;
    private static AgentTestKit full;

    @BeforeAll
    static void start() throws Exception {
        readOnly = AgentTestKit.builder("table-agent", dir.resolve("ro"))
                .policy(ALLOW_ALL)
                .sessionScope(Scope.READ_ONLY)
                .start();
        full = AgentTestKit.builder("table-agent", dir.resolve("all"))
                .policy(ALLOW_ALL)
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        readOnly.close();
        full.close();
    }

    static Stream<CommandInfo> everyCommand() {
        return CommandCatalog.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyCommand")
    void aReadOnlySessionIsRefusedExactlyWhatItsDescriptorCloses(CommandInfo command) throws Exception {
        CommandOutcome outcome = readOnly.send(emptyCommand(command));
        boolean refusedForScope = outcome instanceof CommandOutcome.Failed f
                && f.error().getCode() == ErrorCode.POLICY_DENIED
                && f.error().getMessage().contains("read-only");
        assertEquals(!command.readOnlyAllowed(), refusedForScope, command.name() + ": " + outcome);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyCommand")
    void aFullSessionIsNeverRefusedForItsScope(CommandInfo command) throws Exception {
        CommandOutcome outcome = full.send(emptyCommand(command));
        assertFalse(
                outcome instanceof CommandOutcome.Failed f && f.error().getCode() == ErrorCode.POLICY_DENIED,
                command.name() + ": " + outcome);
    }

    /** The regression that started this: read-only sessions could not ask their RTOS nodes anything. */
    @Test
    void rtosQueriesAreOpenToReadOnlySessionsAndWritesAreNot() throws Exception {
        for (String query : List.of("rtos.list", "rtos.info", "rtos.read", "rtos.ping", "rtos.stream")) {
            assertTrue(CommandCatalog.named(query).orElseThrow().readOnlyAllowed(), query);
        }
        for (String change : List.of("rtos.write", "rtos.time-sync")) {
            CommandInfo c = CommandCatalog.named(change).orElseThrow();
            assertFalse(c.readOnlyAllowed(), change);
            CommandOutcome.Failed f = assertInstanceOf(CommandOutcome.Failed.class, readOnly.send(emptyCommand(c)));
            assertEquals(
                    "rtos." + change.substring(5) + " is not open to read-only sessions",
                    f.error().getMessage());
        }
    }

    /** The command with its oneof field set to that message's default instance. */
    static Command emptyCommand(CommandInfo command) {
        FieldDescriptor field =
                Command.getDescriptor().findFieldByNumber(command.kind().getNumber());
        Command.Builder b = Command.newBuilder();
        return b.setField(field, b.newBuilderForField(field).build()).build();
    }
}
