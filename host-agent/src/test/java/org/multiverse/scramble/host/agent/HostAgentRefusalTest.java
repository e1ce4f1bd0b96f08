package org.multiverse.scramble.host.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.multiverse.scramble.host.hypervisor.SimulatedHypervisor;
import org.multiverse.scramble.protocol.agent.AgentState;
import org.multiverse.scramble.protocol.agent.audit.AuditLog;
import org.multiverse.scramble.protocol.agent.audit.AuditRecord;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Error;
import org.multiverse.scramble.protocol.v1.ErrorCode;

/**
 * Hostile and malformed arguments to every host command, through the real pipeline: each gets
 * a specific error code and message, an audit entry, and nothing is done (no VM, no folder,
 * no mount, no definition).
 */
class HostAgentRefusalTest {

    /** Names no portal may have: option separators, spaces, traversal, line breaks, 300 characters. */
    static Stream<String> hostileNames() {
        return Stream.of(
                "a,b",
                "cpus=4",
                "has space",
                "..",
                "../etc",
                "a/b",
                "line\nbreak",
                "x".repeat(300),
                "Upper",
                "-dash",
                "dot.",
                "nul\0byte",
                "tab\tname",
                "\u001b[31mred");
    }

    /** Every command that names a portal, built for a given name. */
    static List<Function<String, Command>> namedCommands() {
        return List.of(
                Commands::show,
                Commands::undefine,
                Commands::start,
                n -> Commands.stop(n, 1),
                Commands::kill,
                Commands::pause,
                Commands::resume,
                Commands::reset,
                n -> Commands.snapshot(n, "t"),
                n -> Commands.revert(n, "t"),
                Commands::snapshots,
                n -> Commands.tail(n, 5),
                Commands::shareList,
                n -> Commands.link(n, "/tmp", "", false),
                n -> Commands.unlink(n, "x"),
                n -> Commands.define(n, "application/console", Map.of()),
                Commands::fstab);
    }

    @TempDir
    Path tmp;

    private SimulatedHypervisor sim;
    private SimulatedMounter mounter;
    private Path agentRoot;
    private Path policyRoot;
    private Path otherRoot;
    private HostAgentHarness h;

    @BeforeEach
    void setUp() throws Exception {
        sim = new SimulatedHypervisor(true);
        mounter = new SimulatedMounter();
        // The agent allows agentRoot; the policy allows agentRoot/policy and otherRoot: only
        // agentRoot/policy is allowed by both.
        agentRoot = Files.createDirectories(tmp.resolve("agent-root")).toRealPath();
        policyRoot = Files.createDirectories(agentRoot.resolve("policy"));
        otherRoot = Files.createDirectories(tmp.resolve("other-root")).toRealPath();
        h = new HostAgentHarness(tmp, sim, List.of(agentRoot), policyRoot + ":" + otherRoot, mounter, 3);
        h.ok(Commands.defineToml("", Commands.diskless("p")));
    }

    @AfterEach
    void tearDown() throws Exception {
        h.close();
    }

    private void assertNothingDone() throws Exception {
        assertEquals(0, sim.aliveCount(), "a VM was started");
        try (Stream<Path> dirs = Files.list(h.stateDir.resolve("portals"))) {
            assertEquals(List.of("p"), dirs.map(d -> d.getFileName().toString()).toList(), "a portal folder appeared");
        }
        assertEquals(0, h.ok(Commands.shareList("p")).getShareList().getLinksCount(), "a link was recorded");
        try (Stream<Path> share = Files.list(h.stateDir.resolve("portals/p/share"))) {
            assertEquals(
                    List.of(),
                    share.filter(f -> !f.getFileName().toString().equals(".multiverse"))
                            .toList(),
                    "a mount point was left in the share");
        }
    }

    @ParameterizedTest
    @MethodSource("hostileNames")
    void hostilePortalNamesAreInvalidForEveryCommand(String name) throws Exception {
        for (Function<String, Command> make : namedCommands()) {
            Command c = make.apply(name);
            Error e = h.fails(ErrorCode.INVALID_ARGUMENT, c);
            assertFalse(
                    e.getMessage().contains("\n") || e.getMessage().contains("\u001b"),
                    "the message echoes control characters: " + e.getMessage());
        }
        // share.fstab is a read-only query: no "accepted" entry of its own (QueryAudit), and a
        // failed one is written as "done" with its code, where a policy refusal would be "refused".
        List<AuditRecord> audit = AuditLog.tail(AgentState.auditDir(h.stateDir), 1);
        assertEquals("done", audit.get(0).decision(), "the refusal is the handler's, after policy");
        assertEquals("share.fstab", audit.get(0).command());
        assertEquals("INVALID_ARGUMENT", audit.get(0).result());
        assertNothingDone();
    }

    @Test
    void unknownPortalsTemplatesAndSnapshotsAreNotFound() throws Exception {
        for (Function<String, Command> make : namedCommands()) {
            Command c = make.apply("nobody");
            if (c.hasPortalDefine()) {
                continue; // defining an unknown portal is what define is for
            }
            h.fails(ErrorCode.NOT_FOUND, c);
        }
        Error e = h.fails(ErrorCode.NOT_FOUND, Commands.define("q", "application/no-such-thing", Map.of()));
        assertTrue(e.getMessage().contains("portal templates"), e.getMessage());
        h.fails(ErrorCode.NOT_FOUND, Commands.revert("p", "never"));
        h.fails(ErrorCode.NOT_FOUND, Commands.unlink("p", "never"));
        assertNothingDone();
    }

    @Test
    void malformedDefinitionsAreRefusedWithSpecificReasons() throws Exception {
        h.fails(ErrorCode.INVALID_ARGUMENT, Commands.define("q", "", Map.of()));
        h.fails(ErrorCode.INVALID_ARGUMENT, Commands.defineToml("q", ""));
        Command both = Command.newBuilder()
                .setPortalDefine(Commands.define("q", "application/console", Map.of()).getPortalDefine().toBuilder()
                        .setDefinitionToml(Commands.diskless("q")))
                .build();
        h.fails(ErrorCode.INVALID_ARGUMENT, both);
        Command tomlWithOverrides = Command.newBuilder()
                .setPortalDefine(Commands.defineToml("q", Commands.diskless("q")).getPortalDefine().toBuilder()
                        .putOverrides("cpus", "2"))
                .build();
        h.fails(ErrorCode.INVALID_ARGUMENT, tomlWithOverrides);

        Error syntax = h.fails(ErrorCode.INVALID_ARGUMENT, Commands.defineToml("", "name = \"q\"\ncpus = = 3\n"));
        assertTrue(syntax.getMessage().contains("portal.toml:2"), syntax.getMessage());
        Error mismatch = h.fails(ErrorCode.INVALID_ARGUMENT, Commands.defineToml("other", Commands.diskless("q")));
        assertTrue(mismatch.getMessage().contains("names q"), mismatch.getMessage());
        h.fails(
                ErrorCode.INVALID_ARGUMENT,
                Commands.defineToml("", "#".repeat(PortalHandlers.MAX_DEFINITION_CHARS + 1)));
        h.fails(ErrorCode.INVALID_ARGUMENT, Commands.defineToml("", Commands.diskless("q") + "memory_mib = 1\n"));

        h.fails(ErrorCode.INVALID_ARGUMENT, Commands.define("q", "application/console", Map.of("cpus", "a lot")));
        h.fails(ErrorCode.INVALID_ARGUMENT, Commands.define("q", "application/console", Map.of("unknown_key", "1")));
        h.fails(ErrorCode.INVALID_ARGUMENT, Commands.define("q", "application/console", Map.of("network", "internet")));
        h.fails(
                ErrorCode.INVALID_ARGUMENT,
                Commands.define("q", "application/console", Map.of("image", "../../etc/shadow")));
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i <= PortalHandlers.MAX_OVERRIDES; i++) {
            many.put("k" + i, "v");
        }
        h.fails(ErrorCode.INVALID_ARGUMENT, Commands.define("q", "application/console", many));
        h.fails(
                ErrorCode.INVALID_ARGUMENT,
                Commands.define(
                        "q",
                        "application/console",
                        Map.of("description", "d".repeat(PortalHandlers.MAX_OVERRIDE_VALUE_CHARS + 1))));

        h.fails(ErrorCode.ALREADY_EXISTS, Commands.defineToml("", Commands.diskless("p")));
        assertNothingDone();
    }

    @Test
    void limitsAreResourceExhaustedAndNumbersAreChecked() throws Exception {
        h.ok(Commands.defineToml("", Commands.diskless("two")));
        h.ok(Commands.defineToml("", Commands.diskless("three")));
        h.fails(ErrorCode.RESOURCE_EXHAUSTED, Commands.defineToml("", Commands.diskless("four")));
        assertFalse(Files.exists(h.stateDir.resolve("portals/four")));
        h.ok(Commands.undefine("two"));
        h.ok(Commands.undefine("three"));

        h.fails(ErrorCode.INVALID_ARGUMENT, Commands.stop("p", 601));
        h.fails(ErrorCode.INVALID_ARGUMENT, Commands.stop("p", -1)); // uint32 4294967295 on the wire
        h.fails(ErrorCode.INVALID_ARGUMENT, Commands.tail("p", 1001));
        h.fails(ErrorCode.INVALID_ARGUMENT, Commands.tail("p", -1));
        for (String tag : List.of("", "a,b", "../x", "t\nag", "x".repeat(300))) {
            h.fails(ErrorCode.INVALID_ARGUMENT, Commands.snapshot("p", tag));
            h.fails(ErrorCode.INVALID_ARGUMENT, Commands.revert("p", tag));
        }
        // A networked portal on a host without that bridge: refused before any VM starts.
        h.ok(Commands.define("net", "application/console", Map.of()));
        Error bridge = h.fails(ErrorCode.FAILED_PRECONDITION, Commands.start("net"));
        assertTrue(bridge.getMessage().contains("star"), bridge.getMessage());
        h.ok(Commands.undefine("net"));
        h.fails(ErrorCode.FAILED_PRECONDITION, Commands.snapshot("p", "no-disk"));
        assertNothingDone();
    }

    @Test
    void shareLinksOutsideTheRootsOfBothAgentAndPolicyAreRefused() throws Exception {
        Path ok = Files.createDirectories(policyRoot.resolve("ok"));
        Path agentOnly = Files.createDirectories(agentRoot.resolve("agent-only"));
        Path policyOnly = Files.createDirectories(otherRoot.resolve("policy-only"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path escape = Files.createSymbolicLink(policyRoot.resolve("escape"), outside);
        Path escapeToAgentOnly = Files.createSymbolicLink(policyRoot.resolve("sideways"), agentOnly);
        Path file = Files.writeString(policyRoot.resolve("file.txt"), "x");
        Path spaced = Files.createDirectories(policyRoot.resolve("has space"));
        Path comma = Files.createDirectories(policyRoot.resolve("a,b"));

        Error e = h.fails(ErrorCode.PERMISSION, Commands.link("p", agentOnly.toString(), "", false));
        assertTrue(e.getMessage().contains("policy"), e.getMessage());
        e = h.fails(ErrorCode.PERMISSION, Commands.link("p", policyOnly.toString(), "", false));
        assertTrue(e.getMessage().contains("allowed root"), e.getMessage());
        h.fails(ErrorCode.PERMISSION, Commands.link("p", outside.toString(), "", false));
        e = h.fails(ErrorCode.PERMISSION, Commands.link("p", escape.toString(), "", false));
        assertFalse(e.getMessage().contains(outside.toString()), "where the link points stays on the host: " + e);
        Error missing = h.fails(
                ErrorCode.PERMISSION,
                Commands.link("p", tmp.resolve("not-there").toString(), "", false));
        Error existing = h.fails(ErrorCode.PERMISSION, Commands.link("p", outside.toString(), "", false));
        assertEquals(
                missing.getMessage().replace(tmp.resolve("not-there").toString(), "PATH"),
                existing.getMessage().replace(outside.toString(), "PATH"),
                "the same refusal for a missing and an existing folder outside the roots");
        assertEquals(
                existing.getMessage().replace(outside.toString(), "PATH"),
                e.getMessage().replace(escape.toString(), "PATH"),
                "and for a symbolic link pointing out");
        h.fails(ErrorCode.PERMISSION, Commands.link("p", escapeToAgentOnly.toString(), "", false));
        h.fails(ErrorCode.PERMISSION, Commands.link("p", "/proc/self", "", false));
        h.fails(
                ErrorCode.PERMISSION,
                Commands.link("p", h.stateDir.resolve("portals/p").toString(), "", false));

        h.fails(ErrorCode.INVALID_ARGUMENT, Commands.link("p", ok + "/../ok", "", false));
        h.fails(ErrorCode.INVALID_ARGUMENT, Commands.link("p", "relative/path", "", false));
        h.fails(ErrorCode.INVALID_ARGUMENT, Commands.link("p", "", "", false));
        h.fails(ErrorCode.INVALID_ARGUMENT, Commands.link("p", spaced.toString(), "", false));
        h.fails(ErrorCode.INVALID_ARGUMENT, Commands.link("p", comma.toString(), "", false));
        h.fails(ErrorCode.INVALID_ARGUMENT, Commands.link("p", ok + "\nsecond", "", false));
        h.fails(ErrorCode.INVALID_ARGUMENT, Commands.link("p", "/" + "x".repeat(5000), "", false));
        h.fails(ErrorCode.INVALID_ARGUMENT, Commands.link("p", file.toString(), "", false));
        h.fails(
                ErrorCode.NOT_FOUND,
                Commands.link("p", policyRoot.resolve("missing").toString(), "", false));
        for (String as : List.of("..", "a/b", ".hidden", "a,b", "x".repeat(300), "new\nline", "has space")) {
            h.fails(ErrorCode.INVALID_ARGUMENT, Commands.link("p", ok.toString(), as, false));
        }
        h.fails(ErrorCode.INVALID_ARGUMENT, Commands.unlink("p", ""));
        h.fails(ErrorCode.INVALID_ARGUMENT, Commands.unlink("p", "../x"));
        assertNothingDone();

        h.ok(Commands.link("p", ok.toString(), "", false));
        h.fails(ErrorCode.ALREADY_EXISTS, Commands.link("p", ok.toString(), "", false));
        assertEquals(1, h.ok(Commands.shareList("p")).getShareList().getLinksCount());
    }

    @Test
    void aPolicyRuleWithoutRootsAllowsNoFolder() throws Exception {
        h.close();
        h = new HostAgentHarness(tmp.resolve("no-roots"), sim, List.of(agentRoot), null, mounter, 3);
        h.ok(Commands.defineToml("", Commands.diskless("p")));
        Path ok = Files.createDirectories(policyRoot.resolve("fine"));
        Error e = h.fails(ErrorCode.PERMISSION, Commands.link("p", ok.toString(), "", false));
        assertTrue(e.getMessage().contains("roots="), e.getMessage());
        assertEquals(0, h.ok(Commands.shareList("p")).getShareList().getLinksCount());
    }
}
