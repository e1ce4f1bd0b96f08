package org.multiverse.scramble.controller.agent;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import org.multiverse.scramble.controller.net.Cidr;
import org.multiverse.scramble.controller.net.InterfaceName;
import org.multiverse.scramble.controller.net.Ipv4;
import org.multiverse.scramble.controller.router.NamespaceRouterBackend;
import org.multiverse.scramble.controller.router.RouterBackend;
import org.multiverse.scramble.controller.router.RouterConfig;
import org.multiverse.scramble.controller.router.RouterService;
import org.multiverse.scramble.controller.router.SimulatedRouterBackend;
import org.multiverse.scramble.controller.vpn.ProfileStore;
import org.multiverse.scramble.protocol.agent.AgentCore;
import org.multiverse.scramble.protocol.agent.AgentModule;
import org.multiverse.scramble.protocol.process.SystemProcessRunner;
import org.multiverse.scramble.protocol.text.EscapeStripper;

/**
 * The controller agent (Router Controller VM): the universe, galaxy and star routers behind the
 * shared agent core. Serves {@code router list/status/restart/reset}, {@code router vpn
 * use/status/profiles}, {@code router tor newnym/status} and {@code router firewall show}; every
 * other agent command comes from the core. Its own {@code run} options choose the backend
 * ({@code --backend netns|sim}) and describe the chain (see {@code controller-agent run --help}).
 */
public final class ControllerAgentModule implements AgentModule {

    /** The demo chain's made-up LAN side: the simulated backend configures nothing on it. */
    static final String DEMO_UPLINK = "eth0";

    static final String DEMO_UPLINK_ADDRESS = "192.168.1.2/24";
    static final String DEMO_GATEWAY = "192.168.1.1";

    private final ControllerRunOptions options = new ControllerRunOptions();
    private final Consumer<String> log;

    /** The module as {@link java.util.ServiceLoader} and the process entry point make it: logs to stderr. */
    public ControllerAgentModule() {
        this(line -> System.err.println(
                Instant.now() + " controller-agent " + EscapeStripper.strip(line.replaceAll("[\\r\\n]", " "))));
    }

    /** @param log receives "LEVEL text" lines */
    ControllerAgentModule(Consumer<String> log) {
        this.log = log;
    }

    @Override
    public String name() {
        return "controller-agent";
    }

    @Override
    public String role() {
        return "router";
    }

    @Override
    public Object runOptions() {
        return options;
    }

    /** The routers of the {@code run} options: real namespaces by default, or {@code --backend sim}. */
    @Override
    public AutoCloseable install(AgentCore core, Path stateDir) throws Exception {
        RouterConfig config = options.routerConfig(stateDir);
        ProfileStore profiles = options.profileStore(config);
        RouterBackend backend = switch (options.backend()) {
            case NETNS -> new NamespaceRouterBackend(config, new SystemProcessRunner());
            case SIM -> new SimulatedRouterBackend(config, Clock.systemUTC());
        };
        log.accept("INFO routers: " + options.backend().name().toLowerCase() + " backend, prefix " + config.prefix()
                + ", uplink " + config.uplink());
        return RouterAgent.start(core, new RouterService(backend, profiles), options.downOnExit, log);
    }

    /** Simulated routers with the {@link DemoProfiles}; the run options are not used. */
    @Override
    public AutoCloseable installDemo(AgentCore core, Path stateDir) throws Exception {
        RouterConfig config = new RouterConfig(
                RouterConfig.DEFAULT_PREFIX,
                stateDir.resolve(ControllerRunOptions.ROUTER_STATE_DIR),
                InterfaceName.of(DEMO_UPLINK),
                Cidr.parse(DEMO_UPLINK_ADDRESS),
                Optional.of(Ipv4.parse(DEMO_GATEWAY)),
                true);
        ProfileStore profiles = new ProfileStore(config.stateDir());
        DemoProfiles.install(profiles);
        return RouterAgent.start(
                core, new RouterService(new SimulatedRouterBackend(config, Clock.systemUTC()), profiles), false, log);
    }
}
