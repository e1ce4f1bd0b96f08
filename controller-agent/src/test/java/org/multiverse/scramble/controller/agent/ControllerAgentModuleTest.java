package org.multiverse.scramble.controller.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.controller.router.NamespaceRouterBackend;
import org.multiverse.scramble.controller.router.RouterConfig;
import org.multiverse.scramble.controller.router.RouterService;
import org.multiverse.scramble.controller.router.RouterSummary;
import org.multiverse.scramble.controller.router.SimulatedRouterBackend;
import org.multiverse.scramble.controller.vpn.ProfileStore;
import org.multiverse.scramble.protocol.agent.AgentModule;
import org.multiverse.scramble.protocol.process.ProcessFailedException;
import org.multiverse.scramble.protocol.v1.AgentPing;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Error;
import org.multiverse.scramble.protocol.v1.ErrorCode;
import picocli.CommandLine;

/** The module as the agent command line and the demo see it. */
class ControllerAgentModuleTest {

    @TempDir
    Path tmp;

    @Test
    void isFoundByTheServiceLoaderAsTheRouterRole() {
        List<AgentModule> modules = ServiceLoader.load(AgentModule.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(m -> m instanceof ControllerAgentModule)
                .toList();
        assertEquals(1, modules.size());
        assertEquals("controller-agent", modules.get(0).name());
        assertEquals("router", modules.get(0).role());
        assertInstanceOf(ControllerRunOptions.class, modules.get(0).runOptions());
    }

    @Test
    void installFollowsTheRunOptions() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        ControllerAgentModule module = new ControllerAgentModule(log::add);
        CommandLine cl = new CommandLine(new ControllerRunOptionsTest.Run());
        cl.addMixin("agent", module.runOptions());
        cl.parseArgs(
                "--backend",
                "sim",
                "--prefix",
                "mvq-",
                "--profiles",
                tmp.resolve("vpn").toString());
        try (ControllerHarness h = new ControllerHarness(tmp.resolve("state"), module::install)) {
            assertTrue(h.ok(RouterCommands.list()).getRouterList().getRouters(0).getUp());
            assertEquals(
                    "mvq-ug",
                    h.ok(RouterCommands.status("universe"))
                            .getRouterStatus()
                            .getInterfaces(1)
                            .getName());
            assertEquals(
                    List.of(),
                    h.ok(RouterCommands.vpnProfiles()).getVpnProfileList().getProfilesList(),
                    "no demo profiles outside the demo");
            assertFalse(
                    h.ok(RouterCommands.list()).getRouterList().getRouters(1).getUp(),
                    "galaxy without a profile keeps its kill switch closed");
        }
        assertTrue(log.contains("INFO routers: sim backend, prefix mvq-, uplink eth0"), log.toString());
    }

    @Test
    void closingLeavesTheRoutersUpUnlessDownOnExit() throws Exception {
        for (boolean downOnExit : new boolean[] {false, true}) {
            Path dir = tmp.resolve("state-" + downOnExit);
            RouterConfig config =
                    ControllerRunOptionsTest.parse("--backend", "sim").routerConfig(dir);
            RouterService service = new RouterService(
                    new SimulatedRouterBackend(config, Clock.systemUTC()), new ProfileStore(config.stateDir()));
            List<String> log = new CopyOnWriteArrayList<>();
            try (ControllerHarness h =
                    new ControllerHarness(dir, (core, d) -> RouterAgent.start(core, service, downOnExit, log::add))) {
                h.ok(RouterCommands.list());
            }
            boolean universeUp = service.list().stream()
                    .filter(r -> r.name().equals("universe"))
                    .anyMatch(RouterSummary::up);
            assertEquals(!downOnExit, universeUp, "down-on-exit " + downOnExit);
        }
    }

    /** A router host without the tools: the chain cannot come up, the agent still serves and says why. */
    @Test
    void aChainThatCannotComeUpLeavesTheAgentServing() throws Exception {
        Path dir = tmp.resolve("state");
        RouterConfig config = ControllerRunOptionsTest.parse(
                        "--uplink", "eth9", "--uplink-address", "10.9.9.2/24", "--prefix", "mvz-")
                .routerConfig(dir);
        NamespaceRouterBackend backend = new NamespaceRouterBackend(config, (argv, timeout) -> {
            throw new ProcessFailedException(argv, "cannot start: No such file or directory", null);
        });
        List<String> log = new CopyOnWriteArrayList<>();
        try (ControllerHarness h = new ControllerHarness(
                dir,
                (core, d) -> RouterAgent.start(
                        core, new RouterService(backend, new ProfileStore(config.stateDir())), false, log::add))) {
            assertTrue(
                    log.stream().anyMatch(l -> l.startsWith("ERROR router chain did not come up (UNAVAILABLE)")),
                    log.toString());
            h.ok(Command.newBuilder()
                    .setAgentPing(AgentPing.getDefaultInstance())
                    .build());
            Error e = h.failed(RouterCommands.list());
            assertEquals(ErrorCode.UNAVAILABLE, e.getCode());
            assertTrue(e.getMessage().contains("cannot start"), e.getMessage());
        }
    }
}
