package org.multiverse.scramble.controller.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.multiverse.scramble.controller.net.Ipv4;
import org.multiverse.scramble.controller.router.RouterConfig;
import org.multiverse.scramble.controller.vpn.ProfileStore;
import picocli.CommandLine;

/** The controller agent's own run options, parsed by picocli as the agent command line does. */
class ControllerRunOptionsTest {

    @TempDir
    Path tmp;

    @CommandLine.Command(name = "run")
    static final class Run {}

    static ControllerRunOptions parse(String... args) {
        ControllerRunOptions options = new ControllerRunOptions();
        CommandLine cl = new CommandLine(new Run());
        cl.addMixin("agent", options);
        cl.parseArgs(args);
        return options;
    }

    @Test
    void netnsOptionsMakeTheRouterConfig() {
        ControllerRunOptions o = parse(
                "--uplink",
                "enp3s0",
                "--uplink-address",
                "10.9.9.2/24",
                "--gateway",
                "10.9.9.1",
                "--prefix",
                "mvx-",
                "--tor-offline");
        assertEquals(ControllerRunOptions.Backend.NETNS, o.backend());
        RouterConfig c = o.routerConfig(tmp);
        assertEquals("mvx-", c.prefix());
        assertEquals("enp3s0", c.uplink().value());
        assertEquals("10.9.9.2/24", c.uplinkAddress().toString());
        assertEquals(Optional.of(Ipv4.parse("10.9.9.1")), c.uplinkGateway());
        assertTrue(c.torDisableNetwork());
        assertEquals(tmp.resolve("routers"), c.stateDir());
    }

    @Test
    void defaultsAreTheProductionPrefixAndTorOnline() {
        RouterConfig c =
                parse("--uplink", "eth1", "--uplink-address", "192.168.7.2/24").routerConfig(tmp);
        assertEquals(RouterConfig.DEFAULT_PREFIX, c.prefix());
        assertEquals(Optional.empty(), c.uplinkGateway());
        assertEquals(false, c.torDisableNetwork());
    }

    @Test
    void theSimulatedBackendNeedsNoUplink() {
        ControllerRunOptions o = parse("--backend", "sim");
        assertEquals(ControllerRunOptions.Backend.SIM, o.backend());
        assertEquals(
                ControllerRunOptions.SIM_UPLINK, o.routerConfig(tmp).uplink().value());
    }

    static Stream<Arguments> badOptions() {
        return Stream.of(
                Arguments.of(
                        new String[] {"--uplink-address", "10.9.9.2/24"}, "--uplink is required with --backend netns"),
                Arguments.of(new String[] {"--uplink", "eth0"}, "--uplink-address is required"),
                Arguments.of(
                        new String[] {"--uplink", "abcdefghijklmnop", "--uplink-address", "10.9.9.2/24"},
                        "--uplink: interface name 'abcdefghijklmnop' is 16 characters; Linux allows at most 15"),
                Arguments.of(
                        new String[] {"--uplink", "eth0;reboot", "--uplink-address", "10.9.9.2/24"},
                        "--uplink: interface name 'eth0;reboot' contains a forbidden character at position 5"),
                Arguments.of(
                        new String[] {"--uplink", "-eth0", "--uplink-address", "10.9.9.2/24"},
                        "must not start with '-'"),
                Arguments.of(
                        new String[] {"--uplink", "eth0", "--uplink-address", "10.9.9.2"},
                        "--uplink-address: CIDR '10.9.9.2' must be ADDRESS/PREFIX"),
                Arguments.of(
                        new String[] {
                            "--uplink", "eth0", "--uplink-address", "10.9.9.2/24", "--gateway", "10.9.9.1; reboot"
                        },
                        "--gateway: "),
                Arguments.of(
                        new String[] {"--uplink", "eth0", "--uplink-address", "10.9.9.2/24", "--gateway", "10.1.1.1"},
                        "router options: uplink gateway 10.1.1.1 is outside 10.9.9.2/24"),
                Arguments.of(
                        new String[] {"--uplink", "eth0", "--uplink-address", "10.9.9.2/24", "--prefix", "Bad-prefix"},
                        "router options: name prefix must match"),
                Arguments.of(
                        new String[] {
                            "--uplink", "eth0", "--uplink-address", "10.9.9.2/24", "--prefix", "averylongprefix-"
                        },
                        "router options: name prefix must match"),
                Arguments.of(
                        new String[] {"--uplink", "mv-ug", "--uplink-address", "10.9.9.2/24"},
                        "collides with a chain interface name"),
                Arguments.of(new String[] {"--backend", "vm"}, "--backend must be netns or sim, not 'vm'"));
    }

    @ParameterizedTest
    @MethodSource("badOptions")
    void badOptionsStopTheAgentNamingTheOption(String[] args, String says) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> parse(args).routerConfig(tmp));
        assertTrue(e.getMessage().contains(says), e.getMessage());
    }

    @Test
    void profilesComeFromTheGivenDirectoryWhichIsMadePrivate() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("vpn"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        ControllerRunOptions o = parse("--backend", "sim", "--profiles", dir.toString());
        ProfileStore store = o.profileStore(o.routerConfig(tmp.resolve("state")));
        store.put("office", DemoProfiles.profile("192.0.2.1:51820"));
        assertTrue(Files.isRegularFile(dir.resolve("office.conf")));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    }
}
