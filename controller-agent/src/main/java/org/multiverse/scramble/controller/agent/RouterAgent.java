package org.multiverse.scramble.controller.agent;

import java.util.function.Consumer;
import org.multiverse.scramble.controller.router.RouterException;
import org.multiverse.scramble.controller.router.RouterService;
import org.multiverse.scramble.protocol.agent.AgentCore;

/**
 * The routers as installed in one agent process: handlers registered on the core, the chain
 * brought up (idempotently: after a crash the backend adopts or rebuilds what it finds), and
 * on {@link #close()} the chain left running for the next agent process, unless the operator
 * asked for {@code --down-on-exit}.
 *
 * <p>A chain that fails to come up does not stop the agent: it keeps serving so the person
 * can read {@code router status} and retry with {@code router reset}.
 */
final class RouterAgent implements AutoCloseable {

    private final RouterService service;
    private final boolean downOnExit;
    private final Consumer<String> log;

    private RouterAgent(RouterService service, boolean downOnExit, Consumer<String> log) {
        this.service = service;
        this.downOnExit = downOnExit;
        this.log = log;
    }

    /**
     * Registers the router handlers on {@code core} and brings the chain up.
     *
     * @param log receives "LEVEL text" lines
     */
    static RouterAgent start(AgentCore core, RouterService service, boolean downOnExit, Consumer<String> log) {
        RouterHandlers handlers = new RouterHandlers(service, core.events());
        handlers.registerOn(core.handlers());
        RouterAgent agent = new RouterAgent(service, downOnExit, log);
        try {
            service.up();
            log.accept("INFO router chain is up");
        } catch (RouterException e) {
            log.accept("ERROR router chain did not come up (" + e.kind() + "): " + e.getMessage()
                    + "; serving anyway: 'router status' shows what is wrong, 'router reset' retries");
        }
        return agent;
    }

    RouterService service() {
        return service;
    }

    @Override
    public void close() {
        try {
            if (downOnExit) {
                service.down();
                log.accept("INFO router chain torn down (--down-on-exit)");
            }
        } catch (RouterException e) {
            log.accept("ERROR tearing the router chain down failed: " + e.getMessage());
        } finally {
            service.close();
        }
    }
}
