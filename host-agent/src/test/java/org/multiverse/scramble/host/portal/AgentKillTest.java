package org.multiverse.scramble.host.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.host.qemu.ProcFiles;
import org.multiverse.scramble.host.qemu.QemuHypervisor;

/** A real agent JVM is killed with SIGKILL: its QEMU lives on and a new agent adopts it. */
class AgentKillTest {

    @TempDir
    Path tmp;

    @AfterEach
    void cleanUp() {
        RealQemu.killAllUnder(tmp);
    }

    @Test
    void qemuOutlivesAKilledAgentAndIsAdopted() throws Exception {
        QemuHypervisor qemu = RealQemu.hypervisor();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process agent = new ProcessBuilder(List.of(
                        java.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        AgentCrashDrill.class.getName(),
                        tmp.toString()))
                .redirectErrorStream(true)
                .start();
        long qemuPid;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.startsWith("STARTED "));
            assertTrue(line != null, "the drill agent did not start its portal");
            qemuPid = Long.parseLong(line.substring("STARTED ".length()).strip());
            agent.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
            assertTrue(agent.waitFor(10, TimeUnit.SECONDS));
        }
        assertTrue(ProcFiles.startTimeIfRunning(qemuPid).isPresent(), "QEMU died with its agent");
        assertEquals(qemuPid, ProcFiles.sessionId(qemuPid));

        PortalService adopted = PortalService.open(PortalServiceConfig.defaults(tmp, tmp.resolve("images")), qemu);
        try {
            PortalInfo info = adopted.show("drill");
            assertEquals(PortalState.RUNNING, info.state());
            assertEquals(qemuPid, info.pid());
            assertEquals(List.of(qemuPid), RealQemu.qemuPidsUnder(tmp));
            assertEquals(PortalState.PAUSED, adopted.pause("drill").state(), "QMP reconnected");
            assertEquals(
                    PortalState.STOPPED,
                    adopted.stop("drill", Duration.ofMillis(200)).state());
            assertTrue(RealQemu.qemuPidsUnder(tmp).isEmpty());
        } finally {
            adopted.close();
        }
    }
}
