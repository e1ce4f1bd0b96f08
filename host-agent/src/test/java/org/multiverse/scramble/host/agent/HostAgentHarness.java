package org.multiverse.scramble.host.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.multiverse.scramble.host.hypervisor.Hypervisor;
import org.multiverse.scramble.host.portal.Network;
import org.multiverse.scramble.host.portal.PortalServiceConfig;
import org.multiverse.scramble.host.portal.PortalTemplates;
import org.multiverse.scramble.host.share.FstabGenerator;
import org.multiverse.scramble.host.share.Mounter;
import org.multiverse.scramble.protocol.testkit.AgentTestKit;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Error;
import org.multiverse.scramble.protocol.v1.ErrorCode;
import org.multiverse.scramble.protocol.v1.EventBody;
import org.multiverse.scramble.protocol.v1.Result;

/**
 * A host agent on the real pipeline: the shared {@link AgentTestKit} with the host's handlers.
 * The backends are the test's: a simulated or a real hypervisor, a fake or a real mounter.
 */
final class HostAgentHarness implements AutoCloseable {

    /** Generous: the pipeline answers in milliseconds, a TCG start takes a few seconds. */
    static final Duration REPLY_TIMEOUT = Duration.ofSeconds(60);

    final AgentTestKit kit;
    final Path stateDir;
    final Path images;

    /** The policy with share.link roots as given (null: a share.link rule without roots=). */
    static String policy(String shareRoots) {
        return """
                agent.*      @any allow rate=1000/s burst=1000
                audit.*      @any allow rate=1000/s burst=1000
                portal.*     @any allow rate=1000/s burst=1000
                share.link   @any allow rate=1000/s burst=1000""" + (shareRoots == null ? "" : " roots=" + shareRoots)
                + "\nshare.*      @any allow rate=1000/s burst=1000\n";
    }

    /** A second harness on the same {@code dir} is the agent restarting on its state. */
    HostAgentHarness(
            Path dir,
            Hypervisor hypervisor,
            List<Path> agentShareRoots,
            String policyShareRoots,
            Mounter mounter,
            int maxPortals)
            throws Exception {
        this(dir, hypervisor, agentShareRoots, policyShareRoots, mounter, maxPortals, Map.of(), null);
    }

    /** With host bridges per network and a folder of declared portals ({@code --portals}; null: none). */
    HostAgentHarness(
            Path dir,
            Hypervisor hypervisor,
            List<Path> agentShareRoots,
            String policyShareRoots,
            Mounter mounter,
            int maxPortals,
            Map<Network, String> bridges,
            Path declaredPortals)
            throws Exception {
        this.stateDir = Files.createDirectories(dir.resolve("state"));
        this.images = Files.createDirectories(dir.resolve("images"));
        PortalServiceConfig config = new PortalServiceConfig(
                stateDir, images, PortalTemplates.fromClasspath(), bridges, maxPortals, 64 * 1024, 3);
        kit = AgentTestKit.builder("host-agent", stateDir)
                .policy(policy(policyShareRoots))
                .replyTimeout(REPLY_TIMEOUT)
                .install(c -> HostAgent.open(
                        c, config, hypervisor, agentShareRoots, mounter, new FstabGenerator(), declaredPortals))
                .start();
    }

    /** Sends and expects success. */
    Result ok(Command command) throws Exception {
        return kit.ok(command);
    }

    /** Sends and expects the given error code; returns the error (its message is for the person). */
    Error fails(ErrorCode code, Command command) throws Exception {
        return kit.fails(code, command);
    }

    /** The next event, or an assertion failure after the kit's wait. */
    EventBody nextEvent() throws InterruptedException {
        return kit.nextEvent();
    }

    @Override
    public void close() throws Exception {
        kit.close();
    }
}
