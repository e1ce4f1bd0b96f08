package org.multiverse.scramble.controller.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.multiverse.scramble.protocol.agent.AgentCore;
import org.multiverse.scramble.protocol.agent.audit.AuditRecord;
import org.multiverse.scramble.protocol.testkit.AgentTestKit;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Error;
import org.multiverse.scramble.protocol.v1.EventBody;
import org.multiverse.scramble.protocol.v1.Result;

/**
 * The shared {@link AgentTestKit} with the controller's routers installed: commands go through
 * the whole pipeline (sign, verify, policy, rate limit, audit, seal).
 */
final class ControllerHarness implements AutoCloseable {

    /** Generous rates: these tests are about the handlers, not the limits. */
    static final String POLICY = """
            agent.*    @any allow rate=100/s burst=100
            audit.*    @any allow
            router.*   @scope:all allow rate=100/s burst=100
            portal.*   @scope:all allow
            """;

    /** Installs the routers on a core; returns what closes them. */
    @FunctionalInterface
    interface Installer {
        AutoCloseable install(AgentCore core, Path stateDir) throws Exception;
    }

    final AgentTestKit kit;
    final Path stateDir;
    final AgentCore core;
    final AutoCloseable routers;
    final BlockingQueue<EventBody> events;
    final List<String> log = new CopyOnWriteArrayList<>();

    /** The demo routers ({@link ControllerAgentModule#installDemo}). */
    static ControllerHarness demo(Path stateDir) throws Exception {
        return new ControllerHarness(
                stateDir, (core, dir) -> new ControllerAgentModule(l -> {}).installDemo(core, dir));
    }

    ControllerHarness(Path stateDir, Installer installer) throws Exception {
        this.stateDir = stateDir;
        kit = AgentTestKit.builder("controller-agent", stateDir)
                .policy(POLICY)
                .log(log::add)
                .install(core -> installer.install(core, stateDir))
                .start();
        core = kit.core();
        routers = kit.installed();
        events = kit.events();
    }

    /** Sends and asserts success. */
    Result ok(Command command) throws Exception {
        return kit.ok(command);
    }

    /** Sends and asserts a sealed error. */
    Error failed(Command command) throws Exception {
        return kit.failed(command);
    }

    /** The next event of a subscription, or an assertion error after the kit's wait. */
    EventBody nextEvent() throws InterruptedException {
        return kit.nextEvent();
    }

    AuditRecord lastAudit() throws IOException {
        return kit.lastAudit();
    }

    @Override
    public void close() throws Exception {
        kit.close();
    }
}
