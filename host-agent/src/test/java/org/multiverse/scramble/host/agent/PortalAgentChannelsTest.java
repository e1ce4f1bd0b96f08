package org.multiverse.scramble.host.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.host.hypervisor.SimulatedHypervisor;
import org.multiverse.scramble.host.portal.Network;
import org.multiverse.scramble.host.portal.PortalDefinition;
import org.multiverse.scramble.host.portal.PortalInfo;
import org.multiverse.scramble.host.portal.PortalState;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameDecoder;
import org.multiverse.scramble.protocol.frame.FrameEncoder;
import org.multiverse.scramble.protocol.frame.FrameType;
import org.multiverse.scramble.protocol.v1.AgentStatus;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Heartbeat;
import org.multiverse.scramble.protocol.v1.Result;

/**
 * The agent channels portals declare, with the test playing QEMU: it owns each channel's unix
 * socket (as QEMU's {@code server=on} chardev does) and sees the host agent dial in when the
 * portal starts, answer on it, and let go when the portal stops. The same path against a real
 * QEMU and a real guest is the end-to-end test in {@code test/} (UserControllerVmTest).
 */
class PortalAgentChannelsTest {

    /** The agent dials with a backoff starting at 100 ms; a loaded machine may need seconds. */
    private static final Duration DIAL_WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void theUserControllersChannelIsServedWhileItRunsAndOnlyThen() throws Exception {
        try (HostAgentHarness h = harness(new SimulatedHypervisor(true))) {
            h.ok(Commands.define("uc", "controller/user", Map.of("network", "none", "autostart", "false")));
            Path socket = h.stateDir.resolve("portals/uc/org.multiverse.host.0.sock");
            try (FakeQemuChardev qemu = FakeQemuChardev.bind(socket)) {
                h.ok(Commands.start("uc"));
                HostAgent agent = (HostAgent) h.kit.installed();
                try (SocketChannel link = qemu.awaitDial(DIAL_WAIT)) {
                    // What the guest's shell would get: the host agent answering on the port.
                    Heartbeat hb =
                            Heartbeat.newBuilder().setNonce(42).setSentMillis(1).build();
                    link.write(ByteBuffer.wrap(FrameEncoder.encode(new Frame(FrameType.HEARTBEAT, hb.toByteArray()))));
                    Heartbeat ack = Heartbeat.parseFrom(
                            readFrame(link, FrameType.HEARTBEAT).payload());
                    assertTrue(ack.getAck());
                    assertEquals(42, ack.getNonce());
                    assertEquals(
                            List.of("serving chardev:" + socket),
                            agent.agentChannels().describe("uc"));
                    h.ok(Commands.kill("uc"));
                    awaitReleased(agent, "uc");
                }
                // The link is gone and the portal too: a dial now would be an agent serving a dead VM.
                assertFalse(
                        qemu.dialledWithin(Duration.ofSeconds(1)),
                        "the agent dialled the channel of a portal that no longer runs");
            }
        }
    }

    private static void awaitReleased(HostAgent agent, String portal) throws InterruptedException {
        awaitDescribed(agent, portal, List.of());
    }

    /** A reset replaces the VM; the old VM's exit, reported late, must not close the new one's channels. */
    @Test
    void aLateExitOfAReplacedVmLeavesTheRunningPortalsChannelsServed() throws Exception {
        try (HostAgentHarness h = harness(new SimulatedHypervisor(true))) {
            h.ok(Commands.define("uc", "controller/user", Map.of("network", "none", "autostart", "false")));
            h.ok(Commands.start("uc"));
            HostAgent agent = (HostAgent) h.kit.installed();
            Path socket = h.stateDir.resolve("portals/uc/org.multiverse.host.0.sock");
            awaitDescribed(agent, "uc", List.of("serving chardev:" + socket));
            agent.agentChannels()
                    .onEvent(new org.multiverse.scramble.host.portal.PortalEvent(
                            "uc",
                            org.multiverse.scramble.host.portal.PortalEvent.Kind.EXITED,
                            "the replaced VM",
                            0,
                            List.of(),
                            Instant.now()));
            assertFalse(agent.agentChannels().describe("uc").isEmpty(), "a running portal lost its channel");
            h.ok(Commands.kill("uc"));
            awaitReleased(agent, "uc");
        }
    }

    @Test
    void aRouteThroughTheRouterControllerExistsWhileItRuns() throws Exception {
        try (HostAgentHarness h = harness(new SimulatedHypervisor(true))) {
            assertFalse(routes(h).contains("router"));
            h.ok(Commands.define("rc", "controller/router", Map.of("autostart", "false")));
            Path socket = h.stateDir.resolve("portals/rc/org.multiverse.controller.0.sock");
            try (FakeQemuChardev qemu = FakeQemuChardev.bind(socket)) {
                h.ok(Commands.start("rc"));
                awaitRoutes(h, true); // added on the notification thread when STARTED reaches the agent
                try (SocketChannel relayLink = qemu.awaitDial(DIAL_WAIT)) {
                    assertTrue(relayLink.isConnected(), "the relay dials the controller agent's channel");
                }
                h.ok(Commands.stop("rc", 1));
                awaitRoutes(h, false);
            }
        }
    }

    @Test
    void autostartStartsControllersInTheirOrderAndLeavesOthersAlone() throws Exception {
        SimulatedHypervisor hypervisor = new SimulatedHypervisor(true);
        try (HostAgentHarness h = harness(hypervisor)) {
            h.ok(Commands.define("uc", "controller/user", Map.of("network", "none")));
            h.ok(Commands.define("rc", "controller/router", Map.of()));
            h.ok(Commands.define("app", "application/console", Map.of("network", "none")));
        }
        // The agent restarts: nothing was running, so the two controllers start, router first.
        try (HostAgentHarness h = harness(hypervisor)) {
            HostAgent agent = (HostAgent) h.kit.installed();
            agent.awaitAutostart(DIAL_WAIT.toMillis());
            List<PortalInfo> all = agent.portals.list();
            assertEquals(
                    List.of("rc", "uc"),
                    PortalAutostart.due(all.stream()
                            .map(p -> new PortalInfo(p.definition(), PortalState.STOPPED, -1, List.of(), null))
                            .toList()));
            assertEquals(PortalState.RUNNING, agent.portals.show("rc").state());
            assertEquals(PortalState.RUNNING, agent.portals.show("uc").state());
            assertEquals(PortalState.STOPPED, agent.portals.show("app").state());
            assertEquals(List.of(), PortalAutostart.due(agent.portals.list()), "nothing left to start");
        }
    }

    /**
     * {@code host-agent run --portals host-agent/deploy/portals}: the sample configuration defines
     * both controllers, starts them router first, and serves the User Controller's port and the
     * route to the Router Controller without a socket path given by hand.
     */
    @Test
    void theSampleConfigurationStartsBothControllersAndServesTheirChannels() throws Exception {
        Path sample = Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "deploy", "portals");
        Map<Network, String> bridges = Map.of(Network.STAR, "mvbr-star");
        try (HostAgentHarness h = new HostAgentHarness(
                dir,
                new SimulatedHypervisor(true, Set.of("mvbr-star")),
                List.of(),
                null,
                new SimulatedMounter(),
                16,
                bridges,
                sample)) {
            HostAgent agent = (HostAgent) h.kit.installed();
            agent.awaitAutostart(DIAL_WAIT.toMillis());
            assertEquals(
                    PortalState.RUNNING, agent.portals.show("router.controller").state());
            assertEquals(
                    PortalState.RUNNING, agent.portals.show("user.controller").state());
            Path uc = h.stateDir.resolve("portals/user.controller/org.multiverse.host.0.sock");
            // The channels open on the notification thread when STARTED arrives, which may be
            // after the autostart thread has returned from the start.
            awaitDescribed(agent, "user.controller", List.of("serving chardev:" + uc));
            awaitDescribed(agent, "router.controller", List.of("route router"));
            assertTrue(routes(h).contains("router"));
        }
        // A restart on the same state: the declarations are defined already and nothing changes.
        try (HostAgentHarness h = new HostAgentHarness(
                dir,
                new SimulatedHypervisor(true, Set.of("mvbr-star")),
                List.of(),
                null,
                new SimulatedMounter(),
                16,
                bridges,
                sample)) {
            assertEquals(2, ((HostAgent) h.kit.installed()).portals.list().size());
        }
    }

    @Test
    void aBrokenDeclarationStopsTheAgentNamingFileAndLine() throws Exception {
        Path declared = java.nio.file.Files.createDirectories(dir.resolve("declared"));
        java.nio.file.Files.writeString(
                declared.resolve("uc.toml"),
                "name = \"uc\"\ntype = \"application\"\ncpus = 1\nmemory_mib = 64\n"
                        + "channels = [\"org.multiverse.host.0\"]\nserve = [\"org.multiverse.host.0\"]\n");
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(
                Exception.class,
                () -> new HostAgentHarness(
                                dir,
                                new SimulatedHypervisor(true),
                                List.of(),
                                null,
                                new SimulatedMounter(),
                                16,
                                Map.of(),
                                declared)
                        .close());
        assertTrue(
                e.getMessage().contains("uc.toml:6") && e.getMessage().contains("only a controller portal"),
                e.getMessage());
    }

    /** Whoever may write a declaration could declare an agent channel: group- or other-writable is refused. */
    @Test
    void aDeclarationOthersMayWriteOrThatNamesAnotherPortalIsRefused() throws Exception {
        Path declared = java.nio.file.Files.createDirectories(dir.resolve("declared"));
        Path file = declared.resolve("uc.toml");
        java.nio.file.Files.writeString(file, "name = \"uc\"\ntype = \"service\"\ncpus = 1\nmemory_mib = 64\n");
        java.nio.file.Files.setPosixFilePermissions(
                file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        Exception open = org.junit.jupiter.api.Assertions.assertThrows(
                Exception.class,
                () -> new HostAgentHarness(
                                dir,
                                new SimulatedHypervisor(true),
                                List.of(),
                                null,
                                new SimulatedMounter(),
                                16,
                                Map.of(),
                                declared)
                        .close());
        assertTrue(
                open.getMessage().contains("group or others may write it")
                        && open.getMessage().contains("chmod 600"),
                open.getMessage());
        java.nio.file.Files.setPosixFilePermissions(
                file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        java.nio.file.Files.move(file, declared.resolve("other.toml"));
        Exception named = org.junit.jupiter.api.Assertions.assertThrows(
                Exception.class,
                () -> new HostAgentHarness(
                                dir,
                                new SimulatedHypervisor(true),
                                List.of(),
                                null,
                                new SimulatedMounter(),
                                16,
                                Map.of(),
                                declared)
                        .close());
        assertTrue(named.getMessage().contains("declares portal uc; name the file uc.toml"), named.getMessage());
    }

    @Test
    void autostartOrderIsTheDeclaredOrderThenTheName() throws Exception {
        List<PortalInfo> portals = List.of(info("b", 5), info("a", 50), info("c", 5), info("z", 0));
        assertEquals(List.of("z", "b", "c", "a"), PortalAutostart.due(portals));
    }

    private static PortalInfo info(String name, int order) throws Exception {
        PortalDefinition d = org.multiverse.scramble.host.portal.DefinitionParser.parse(
                "t.toml",
                "name = \"" + name + "\"\ntype = \"service\"\ncpus = 1\nmemory_mib = 64\nautostart = true\n"
                        + "autostart_order = " + order + "\n");
        return new PortalInfo(d, PortalState.STOPPED, -1, List.of(), null);
    }

    private HostAgentHarness harness(SimulatedHypervisor hypervisor) throws Exception {
        return new HostAgentHarness(dir, hypervisor, List.of(), null, new SimulatedMounter(), 16);
    }

    private static List<String> routes(HostAgentHarness h) throws Exception {
        Result r = h.ok(Command.newBuilder()
                .setAgentStatus(AgentStatus.getDefaultInstance())
                .build());
        return r.getAgentStatus().getRoutesList();
    }

    private static void awaitDescribed(HostAgent agent, String portal, List<String> expected)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(DIAL_WAIT);
        while (!agent.agentChannels().describe(portal).equals(expected)
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(10);
        }
        assertEquals(expected, agent.agentChannels().describe(portal));
    }

    private static void awaitRoutes(HostAgentHarness h, boolean present) throws Exception {
        Instant deadline = Instant.now().plus(DIAL_WAIT);
        while (routes(h).contains("router") != present) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("route router still " + (present ? "absent" : "present"));
            }
            Thread.sleep(20);
        }
    }

    private static Frame readFrame(SocketChannel link, FrameType type) throws IOException {
        FrameDecoder decoder = new FrameDecoder();
        ByteBuffer buf = ByteBuffer.allocate(4096);
        while (link.read(buf) >= 0) {
            buf.flip();
            byte[] bytes = new byte[buf.remaining()];
            buf.get(bytes);
            buf.clear();
            for (Frame f : decoder.feed(bytes, 0, bytes.length)) {
                if (f.type() == type) {
                    return f;
                }
            }
        }
        throw new IOException("the link closed before a " + type + " frame");
    }

    /** The QEMU side of a chardev: a listening unix socket the agent must dial. */
    private static final class FakeQemuChardev implements AutoCloseable {
        private final ServerSocketChannel server;

        private FakeQemuChardev(ServerSocketChannel server) {
            this.server = server;
        }

        static FakeQemuChardev bind(Path socket) throws IOException {
            ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            s.bind(UnixDomainSocketAddress.of(socket));
            s.configureBlocking(false);
            return new FakeQemuChardev(s);
        }

        SocketChannel awaitDial(Duration wait) throws Exception {
            Instant deadline = Instant.now().plus(wait);
            while (Instant.now().isBefore(deadline)) {
                SocketChannel c = server.accept();
                if (c != null) {
                    c.configureBlocking(true);
                    return c;
                }
                Thread.sleep(10);
            }
            throw new AssertionError("the host agent did not dial " + server.getLocalAddress() + " within " + wait);
        }

        boolean dialledWithin(Duration wait) throws Exception {
            Instant deadline = Instant.now().plus(wait);
            while (Instant.now().isBefore(deadline)) {
                SocketChannel c = server.accept();
                if (c != null) {
                    c.close();
                    return true;
                }
                Thread.sleep(10);
            }
            return false;
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
