package org.multiverse.scramble.host.portal;

import java.nio.file.Path;
import org.multiverse.scramble.host.qemu.Accelerator;
import org.multiverse.scramble.host.qemu.QemuHypervisor;
import org.multiverse.scramble.host.qemu.QemuSettings;

/**
 * A throw-away agent for {@link AgentKillTest}: defines and starts one diskless portal,
 * prints {@code STARTED PID}, then waits to be killed with SIGKILL.
 */
final class AgentCrashDrill {

    private AgentCrashDrill() {}

    public static void main(String[] args) throws Exception {
        Path state = Path.of(args[0]);
        PortalService s = PortalService.open(
                PortalServiceConfig.defaults(state, state.resolve("images")),
                QemuHypervisor.create(QemuSettings.defaults(Accelerator.TCG)));
        s.defineFromToml("name = \"drill\"\ntype = \"service\"\ncpus = 1\nmemory_mib = 64\n");
        System.out.println("STARTED " + s.start("drill").pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
