package org.multiverse.scramble.shell.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.multiverse.scramble.protocol.agent.AgentBuilder;
import org.multiverse.scramble.protocol.agent.AgentCore;
import org.multiverse.scramble.protocol.agent.AgentModule;
import org.multiverse.scramble.protocol.agent.AgentState;
import org.multiverse.scramble.protocol.agent.PolicyHolder;
import org.multiverse.scramble.protocol.agent.policy.Policy;
import org.multiverse.scramble.protocol.agent.policy.PolicyException;
import org.multiverse.scramble.protocol.client.ClientSettings;
import org.multiverse.scramble.protocol.session.CommandOutcome;
import org.multiverse.scramble.protocol.transport.Listener;
import org.multiverse.scramble.protocol.transport.TransportUri;
import org.multiverse.scramble.protocol.transport.Transports;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.PortalDefine;
import org.multiverse.scramble.protocol.v1.TemplateList;
import org.multiverse.scramble.shell.ShellFailure;
import org.multiverse.scramble.shell.ShellSession;
import org.multiverse.scramble.shell.connect.AgentConfig;
import org.multiverse.scramble.shell.connect.AgentConnections;
import org.multiverse.scramble.shell.connect.Enrolment;
import org.multiverse.scramble.shell.identity.RootKeyContext;
import org.multiverse.scramble.shell.registry.AgentRole;
import org.multiverse.scramble.suite.cert.Scope;
import org.multiverse.scramble.suite.cert.SessionKeys;
import org.multiverse.scramble.suite.identity.Identity;
import org.multiverse.scramble.suite.identity.ScrambleId;
import org.multiverse.scramble.suite.pin.PinFile;
import org.multiverse.scramble.suite.pin.PinnedAgents;

/**
 * {@code scramble-shell --demo}: the whole product in one process. A throwaway identity
 * (marked DEMO, never written to disk), and every {@link AgentModule} on the class path
 * started in process with its simulated backends ({@code installDemo}), each with its own
 * temporary state directory and identity, the demo identity authorised, the sample policy, on
 * {@code sim:demo-<role>}: the real pipeline (signatures, verification, policy, rate limits,
 * audit, sealed replies) over in-memory links. The host agent also gets the routes
 * {@code router} and {@code rtos}; the shell reaches each agent over its own link. A few
 * portals are defined from the template tree through signed {@code portal define} commands.
 * A missing module is named and the demo carries on without it.
 */
public final class DemoMode {

    /** Portals pre-defined from the template tree. */
    static final int DEMO_PORTALS = 3;
    /** How long pre-defining a portal may take (a simulated hypervisor answers at once). */
    static final Duration SETUP_TIMEOUT = Duration.ofSeconds(10);
    /** Which module provides which role, to name a missing one. */
    static final Map<AgentRole, String> MODULE_OF =
            Map.of(AgentRole.HOST, "host-agent", AgentRole.ROUTER, "controller-agent", AgentRole.RTOS, "rtos-bridge");

    private static final AtomicInteger DEMOS = new AtomicInteger();

    private DemoMode() {}

    /** Starts the demo agents and opens a session to them; closing the session stops them. */
    public static ShellSession start(PrintStream err, Clock clock) throws ShellFailure {
        return start(err, clock, ServiceLoader.load(AgentModule.class));
    }

    static ShellSession start(PrintStream err, Clock clock, Iterable<AgentModule> found) throws ShellFailure {
        int n = DEMOS.getAndIncrement();
        String suffix = n == 0 ? "" : "-" + n;
        Map<AgentRole, AgentModule> modules = modules(err, found);
        if (modules.isEmpty()) {
            throw ShellFailure.failed("--demo: no agent module on the class path (build host-agent, controller-agent, "
                    + "rtos-bridge: ./mvnw -B -q package -DskipTests)");
        }
        for (AgentRole r : List.of(AgentRole.HOST, AgentRole.ROUTER, AgentRole.RTOS)) {
            if (!modules.containsKey(r)) {
                err.println("demo: no " + r.text() + " agent (module " + MODULE_OF.get(r)
                        + " is not on the class path); carrying on without it");
            }
        }
        Running running = new Running();
        Identity root = Identity.generate(new SecureRandom());
        byte[] rootSeed = root.seedCopy();
        running.onClose(() -> java.util.Arrays.fill(rootSeed, (byte) 0));
        try {
            Path base = Files.createTempDirectory("scramble-demo-");
            running.onClose(() -> deleteTree(base));
            Path pinsFile = base.resolve("known_agents");
            PinFile<ScrambleId> pins = PinnedAgents.open(pinsFile);
            AgentConfig config = new AgentConfig();
            Policy policy = Policy.parse("demo.policy", policyText());
            Path log = base.resolve("agents.log");
            // The agents' own java.util.logging lines go to the same file as their cores' lines,
            // not over the shell the person is typing in.
            java.util.logging.Logger rootLogger =
                    java.util.logging.LogManager.getLogManager().getLogger("");
            for (java.util.logging.Handler h : rootLogger.getHandlers()) {
                rootLogger.removeHandler(h);
            }
            java.util.logging.FileHandler agentLog = new java.util.logging.FileHandler(log.toString(), true);
            agentLog.setFormatter(new java.util.logging.SimpleFormatter());
            rootLogger.addHandler(agentLog);
            running.onClose(agentLog::close);
            for (Map.Entry<AgentRole, AgentModule> e : modules.entrySet()) {
                AgentRole role = e.getKey();
                TransportUri uri = TransportUri.parse("sim:demo-" + role.text() + suffix);
                Path stateDir = base.resolve(role.text());
                Identity agentIdentity = AgentState.init(stateDir);
                AgentState.roots(stateDir).authorize(root.id(), Scope.ALL);
                AgentBuilder b = new AgentBuilder(e.getValue().name(), stateDir)
                        .identity(agentIdentity)
                        .policy(PolicyHolder.fixed(policy))
                        .log(line -> appendLog(log, e.getValue().name(), line));
                if (role == AgentRole.HOST) {
                    for (AgentRole routed : List.of(AgentRole.ROUTER, AgentRole.RTOS)) {
                        if (modules.containsKey(routed)) {
                            b.route(routed.text(), TransportUri.parse("sim:demo-" + routed.text() + suffix));
                        }
                    }
                }
                AgentCore core = b.build();
                running.onClose(core::close);
                running.onClose(agentIdentity::close);
                AutoCloseable installed;
                try {
                    installed = e.getValue().installDemo(core, stateDir);
                } catch (Exception ex) {
                    err.println("demo: the " + role.text() + " agent's demo backends did not start (" + ex.getMessage()
                            + "); carrying on without it");
                    continue;
                }
                running.onClose(installed);
                Listener listener = Transports.listen(uri, core::attach);
                running.onClose(listener);
                pins.pin(role.text(), core.id());
                config.put(role, uri, true);
            }
            SessionKeys session =
                    SessionKeys.create(root, Scope.ALL, SessionKeys.DEFAULT_VALIDITY, clock, new SecureRandom());
            Enrolment enrolment = new Enrolment(pins, config.trusted(), null, err);
            AgentConnections connections =
                    new AgentConnections(config, session, enrolment, clock, ClientSettings.DEFAULTS);
            err.println("DEMO identity " + root.id().text() + " (throwaway, not saved); agents' log: " + log);
            ShellSession s = new ShellSession(
                    root.id(),
                    session,
                    connections,
                    new RootKeyContext(clock, () -> Identity.fromSeed(rootSeed)),
                    "DEMO",
                    running);
            if (config.uri(AgentRole.HOST).isPresent()) {
                definePortals(s, err);
            }
            return s;
        } catch (IOException | PolicyException | RuntimeException e) {
            running.close();
            throw ShellFailure.failed("--demo could not start: " + e.getMessage());
        } finally {
            root.close();
        }
    }

    /** The modules found, one per role (the first of a role wins; a broken provider is named and skipped). */
    static Map<AgentRole, AgentModule> modules(PrintStream err, Iterable<AgentModule> found) {
        Map<AgentRole, AgentModule> out = new EnumMap<>(AgentRole.class);
        Iterator<AgentModule> it = found.iterator();
        while (true) {
            AgentModule m;
            try {
                if (!it.hasNext()) {
                    break;
                }
                m = it.next();
            } catch (ServiceConfigurationError e) {
                err.println("demo: an agent module could not be loaded (" + e.getMessage() + "); skipping it");
                continue;
            }
            AgentRole role = AgentRole.parseAgent(m.role()).orElse(null);
            if (role == null) {
                err.println("demo: module " + m.name() + " has the unknown role '" + m.role() + "'; skipping it");
            } else if (out.putIfAbsent(role, m) != null) {
                err.println("demo: two " + role.text() + " modules; using "
                        + out.get(role).name());
            }
        }
        return out;
    }

    /** Defines a few portals from the template tree, as a person would: signed commands. */
    static void definePortals(ShellSession s, PrintStream err) {
        try {
            CommandOutcome o = s.connections()
                    .send(
                            AgentRole.HOST,
                            Command.newBuilder()
                                    .setTemplateList(TemplateList.getDefaultInstance())
                                    .build(),
                            SETUP_TIMEOUT)
                    .get(SETUP_TIMEOUT.toSeconds() + 1, TimeUnit.SECONDS);
            if (!(o instanceof CommandOutcome.Ok ok)) {
                err.println("demo: no templates to define portals from (" + o + ")");
                return;
            }
            List<String> templates = ok.result().getTemplateList().getTemplatesList();
            int defined = 0;
            for (String t : templates) {
                if (defined == DEMO_PORTALS) {
                    break;
                }
                String name = "demo-" + t.substring(t.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "-");
                CommandOutcome d = s.connections()
                        .send(
                                AgentRole.HOST,
                                Command.newBuilder()
                                        .setPortalDefine(PortalDefine.newBuilder()
                                                .setName(name)
                                                .setTemplate(t))
                                        .build(),
                                SETUP_TIMEOUT)
                        .get(SETUP_TIMEOUT.toSeconds() + 1, TimeUnit.SECONDS);
                if (d instanceof CommandOutcome.Ok) {
                    defined++;
                } else {
                    err.println("demo: portal " + name + " not defined: " + d);
                }
            }
        } catch (ShellFailure
                | InterruptedException
                | java.util.concurrent.ExecutionException
                | java.util.concurrent.TimeoutException e) {
            err.println("demo: portals not pre-defined: " + e.getMessage());
        }
    }

    static String policyText() throws IOException {
        try (InputStream in = DemoMode.class.getResourceAsStream("demo.policy")) {
            if (in == null) {
                throw new IOException("demo.policy is missing from the shell's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void appendLog(Path log, String agent, String line) {
        try {
            Files.writeString(
                    log,
                    agent + ": " + line.replaceAll("[\\r\\n]", " ") + "\n",
                    StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            // The demo's log is a convenience.
        }
    }

    private static void deleteTree(Path base) throws IOException {
        try (Stream<Path> walk = Files.walk(base)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Everything the demo started, closed in reverse order. */
    static final class Running implements AutoCloseable {
        private final List<AutoCloseable> resources = new ArrayList<>();

        void onClose(AutoCloseable r) {
            resources.add(r);
        }

        @Override
        public void close() {
            for (int i = resources.size() - 1; i >= 0; i--) {
                try {
                    resources.get(i).close();
                } catch (Exception e) {
                    // Keep closing the rest: temporary state only.
                }
            }
            resources.clear();
        }
    }
}
