package org.multiverse.scramble.controller.router;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.multiverse.scramble.controller.net.Cidr;
import org.multiverse.scramble.controller.net.Endpoint;
import org.multiverse.scramble.controller.net.InterfaceName;
import org.multiverse.scramble.controller.net.IpTool;
import org.multiverse.scramble.controller.net.LinkInfo;
import org.multiverse.scramble.controller.net.ManagedProcess;
import org.multiverse.scramble.controller.net.NamespaceName;
import org.multiverse.scramble.controller.net.NftTool;
import org.multiverse.scramble.controller.net.RouteInfo;
import org.multiverse.scramble.controller.tor.BootstrapPhase;
import org.multiverse.scramble.controller.tor.NewnymOutcome;
import org.multiverse.scramble.controller.tor.TorControlClient;
import org.multiverse.scramble.controller.tor.TorControlException;
import org.multiverse.scramble.controller.tor.TorProcess;
import org.multiverse.scramble.controller.vpn.PeerStatus;
import org.multiverse.scramble.controller.vpn.WgDump;
import org.multiverse.scramble.controller.vpn.WireGuardDevice;
import org.multiverse.scramble.controller.vpn.WireGuardProfile;
import org.multiverse.scramble.protocol.process.ProcessFailedException;
import org.multiverse.scramble.protocol.process.ProcessRunner;

/**
 * The routers as Linux network namespaces joined by veth pairs, firewalled with nftables,
 * galaxy's tunnel by WireGuard (kernel or wireguard-go), star's proxy by a Tor child
 * process. Needs root and iproute2, nftables, wireguard-tools (+ wireguard-go), tor.
 *
 * <p>Build order keeps the chain closed at every step: a namespace gets its drop-by-default
 * ruleset before any link is created in it, and daemons start last.
 */
public final class NamespaceRouterBackend implements RouterBackend {
    private final RouterConfig config;
    private final ChainLayout layout;
    private final IpTool ip;
    private final NftTool nft;
    private final Path runDir;
    private final long ownPid = ProcessHandle.current().pid();
    private boolean leftoversHandled;
    private WireGuardDevice wireGuard;
    private WireGuardProfile applied;
    private TorProcess tor;

    public NamespaceRouterBackend(RouterConfig config, ProcessRunner runner) {
        this.config = config;
        this.layout = new ChainLayout(config.prefix());
        this.ip = new IpTool(runner);
        this.nft = new NftTool(runner);
        this.runDir = config.stateDir().resolve("run");
    }

    public ChainLayout layout() {
        return layout;
    }

    @Override
    public synchronized void up() throws RouterException {
        run("build the chain", () -> {
            prepareRunDir();
            if (!leftoversHandled) {
                // A new instance never trusts what it finds: a crashed predecessor may have
                // left a half-built chain. It is rebuilt from configuration (routers are ephemeral).
                if (anyNamespaceExists()) {
                    tearDownAll();
                }
                leftoversHandled = true;
            }
            for (RouterName r : RouterName.values()) {
                ensureNamespace(r);
            }
            ensureControllerNamespace();
            ensurePair(RouterName.UNIVERSE, layout.universeToGalaxy(), RouterName.GALAXY, layout.galaxyToUniverse());
            ensurePair(RouterName.GALAXY, layout.galaxyToStar(), RouterName.STAR, layout.starToGalaxy());
            ensureLink(
                    ns(RouterName.STAR),
                    layout.starToController(),
                    layout.controllerNamespace(),
                    layout.controllerToStar());
            ensureUplink();
            address(ns(RouterName.UNIVERSE), layout.universeToGalaxy(), ChainLayout.UNIVERSE_LINK);
            address(ns(RouterName.GALAXY), layout.galaxyToUniverse(), ChainLayout.GALAXY_UNIVERSE_LINK);
            address(ns(RouterName.GALAXY), layout.galaxyToStar(), ChainLayout.GALAXY_STAR_LINK);
            address(ns(RouterName.STAR), layout.starToGalaxy(), ChainLayout.STAR_GALAXY_LINK);
            address(ns(RouterName.STAR), layout.starToController(), ChainLayout.STAR_CONTROLLER_LINK);
            address(layout.controllerNamespace(), layout.controllerToStar(), ChainLayout.CONTROLLER_LINK);
            ip.replaceRoute(
                    layout.controllerNamespace(),
                    null,
                    Optional.of(ChainLayout.STAR_CONTROLLER_LINK.address()),
                    layout.controllerToStar());
            ip.replaceRoute(
                    ns(RouterName.STAR),
                    null,
                    Optional.of(ChainLayout.GALAXY_STAR_LINK.address()),
                    layout.starToGalaxy());
            // Only the tunnel's marked UDP may take the way to universe (see TUNNEL_MARK).
            ip.replaceRoute(
                    ns(RouterName.GALAXY),
                    null,
                    Optional.of(ChainLayout.UNIVERSE_LINK.address()),
                    layout.galaxyToUniverse(),
                    ChainLayout.UPLINK_TABLE);
            ip.ensureFwmarkRule(
                    ns(RouterName.GALAXY),
                    ChainLayout.TUNNEL_MARK,
                    ChainLayout.UPLINK_TABLE,
                    ChainLayout.UPLINK_RULE_PRIORITY);
            ensureWireGuard();
            ensureTor();
        });
    }

    @Override
    public synchronized void down() throws RouterException {
        run("tear the chain down", () -> {
            tearDownAll();
            leftoversHandled = true;
        });
    }

    @Override
    public synchronized boolean isUp(RouterName router) throws RouterException {
        return call(
                "check " + router,
                () -> ip.namespaceExists(ns(router)) && checkChain(router).isEmpty());
    }

    @Override
    public synchronized RouterStatus status(RouterName router) throws RouterException {
        return call("read the status of " + router, () -> {
            NamespaceName ns = ns(router);
            if (!ip.namespaceExists(ns)) {
                return new RouterStatus(
                        router,
                        false,
                        List.of(),
                        ChainCheck.of(List.of(router + " is down: namespace " + ns + " does not exist")),
                        new DnsHealth(
                                DnsHealth.State.DOWN,
                                router == RouterName.STAR ? "star is down" : "DNS is answered by star's Tor DNSPort"));
            }
            List<LinkInfo> links = ip.links(ns).stream()
                    .filter(l -> !l.name().value().equals("lo"))
                    .toList();
            List<String> findings = checkChain(router);
            return new RouterStatus(router, findings.isEmpty(), links, ChainCheck.of(findings), dnsHealth(router));
        });
    }

    @Override
    public synchronized void restart(RouterName router) throws RouterException {
        requireNamespace(router);
        run("restart " + router, () -> {
            switch (router) {
                case UNIVERSE -> loadRuleset(RouterName.UNIVERSE);
                case GALAXY -> {
                    loadRuleset(RouterName.GALAXY);
                    closeWireGuard();
                }
                case STAR -> {
                    loadRuleset(RouterName.STAR);
                    closeTor();
                }
            }
        });
        up();
    }

    @Override
    public synchronized void reset(RouterName router) throws RouterException {
        run("reset " + router, () -> tearDown(router));
        up();
    }

    @Override
    public synchronized void useProfile(WireGuardProfile next) throws RouterException {
        requireNamespace(RouterName.GALAXY);
        if (wireGuard == null || !wireGuard.isAlive()) {
            throw new RouterException(
                    RouterException.Kind.UNAVAILABLE,
                    "galaxy's WireGuard interface is not running; reset galaxy first");
        }
        WireGuardProfile previous = applied;
        List<Runnable> undo = new ArrayList<>();
        try {
            switchProfile(previous, next, undo);
        } catch (ProcessFailedException | UncheckedIOException e) {
            List<String> rollbackFailures = new ArrayList<>();
            for (int i = undo.size() - 1; i >= 0; i--) {
                try {
                    undo.get(i).run();
                } catch (RuntimeException u) {
                    rollbackFailures.add(u.getMessage());
                }
            }
            next.destroy();
            if (!rollbackFailures.isEmpty()) {
                throw new RouterException(
                        RouterException.Kind.INTERNAL,
                        "switching to profile '" + next.name()
                                + "' failed (" + e.getMessage() + ") and restoring the previous one also failed ("
                                + String.join("; ", rollbackFailures) + "); the kill switch stays closed, reset galaxy",
                        e);
            }
            throw new RouterException(
                    RouterException.Kind.INTERNAL,
                    "switching to profile '" + next.name()
                            + "' failed and was rolled back" + (previous == null ? "" : " to '" + previous.name() + "'")
                            + ": " + e.getMessage(),
                    e);
        }
        applied = next;
        if (previous != null) {
            previous.destroy();
        }
    }

    /**
     * The switch, step by step; each step registers its undo. The endpoint set only ever
     * holds tunnel endpoints, so while both are in it, still nothing but tunnel UDP can leave.
     */
    private void switchProfile(WireGuardProfile previous, WireGuardProfile next, List<Runnable> undo) {
        NamespaceName galaxy = ns(RouterName.GALAXY);
        Optional<Endpoint> oldEndpoint = Optional.ofNullable(previous).map(WireGuardProfile::endpoint);
        boolean newEndpoint = !oldEndpoint.equals(Optional.of(next.endpoint()));
        if (newEndpoint) {
            nft.addEndpoint(galaxy, "inet", ChainLayout.TABLE, ChainLayout.ENDPOINT_SET, next.endpoint());
            undo.add(() ->
                    nft.deleteEndpoint(galaxy, "inet", ChainLayout.TABLE, ChainLayout.ENDPOINT_SET, next.endpoint()));
        }
        undo.add(() -> {
            if (previous != null) {
                wireGuard.apply(previous);
            } else {
                ip.runner()
                        .check(List.of(
                                "ip",
                                "netns",
                                "exec",
                                galaxy.value(),
                                "wg",
                                "set",
                                layout.wireGuard().value(),
                                "peer",
                                next.peerPublicKey().toBase64(),
                                "remove"));
            }
        });
        wireGuard.apply(next);
        List<Cidr> oldAddresses = previous == null ? List.of() : previous.addresses();
        for (Cidr a : next.addresses()) {
            if (!oldAddresses.contains(a)) {
                ip.replaceAddress(galaxy, layout.wireGuard(), a);
                undo.add(() -> ip.deleteAddress(galaxy, layout.wireGuard(), a));
            }
        }
        for (Cidr a : oldAddresses) {
            if (!next.addresses().contains(a)) {
                ip.deleteAddress(galaxy, layout.wireGuard(), a);
                undo.add(() -> ip.replaceAddress(galaxy, layout.wireGuard(), a));
            }
        }
        // Down and up: the kernel then forgets every connection masqueraded through the
        // tunnel, so no flow keeps the previous tunnel address (the new peer would drop it).
        // Meanwhile the default route is gone and star's packets are simply unroutable.
        ip.setDown(galaxy, layout.wireGuard());
        ip.setUp(galaxy, layout.wireGuard());
        ip.replaceRoute(galaxy, null, Optional.empty(), layout.wireGuard());
        if (newEndpoint && oldEndpoint.isPresent()) {
            nft.deleteEndpoint(galaxy, "inet", ChainLayout.TABLE, ChainLayout.ENDPOINT_SET, oldEndpoint.get());
        }
    }

    @Override
    public synchronized Optional<String> activeProfile() {
        return Optional.ofNullable(applied).map(WireGuardProfile::name);
    }

    @Override
    public synchronized VpnStatus vpnStatus() throws RouterException {
        requireNamespace(RouterName.GALAXY);
        if (wireGuard == null || !wireGuard.isAlive()) {
            throw new RouterException(
                    RouterException.Kind.UNAVAILABLE, "galaxy's WireGuard interface is not running; reset galaxy");
        }
        return call("read galaxy's tunnel", () -> {
            WgDump.Dump dump = wireGuard.dump();
            boolean armed = nft.tableExists(ns(RouterName.GALAXY), "inet", ChainLayout.TABLE);
            Optional<PeerStatus> peer = dump.peers().stream().findFirst();
            return new VpnStatus(
                    activeProfile(),
                    layout.wireGuard().value(),
                    wireGuard.implementation(),
                    peer.flatMap(PeerStatus::endpoint),
                    peer.flatMap(PeerStatus::latestHandshake),
                    peer.map(PeerStatus::rxBytes).orElse(0L),
                    peer.map(PeerStatus::txBytes).orElse(0L),
                    armed);
        });
    }

    @Override
    public synchronized TorStatus torStatus() throws RouterException {
        try (TorControlClient client = torClient()) {
            BootstrapPhase phase = client.bootstrapPhase();
            return new TorStatus(phase.progress(), phase.tag(), phase.summary(), phase.raw());
        } catch (TorControlException e) {
            throw torError(e);
        }
    }

    @Override
    public synchronized NewnymOutcome torNewnym() throws RouterException {
        try (TorControlClient client = torClient()) {
            return client.newnym();
        } catch (TorControlException e) {
            throw torError(e);
        }
    }

    @Override
    public synchronized String firewall(RouterName router) throws RouterException {
        requireNamespace(router);
        return call("list " + router + "'s firewall", () -> nft.listRuleset(ns(router)));
    }

    /** Leaves the chain as it is; a successor instance (or {@link #down()}) takes over. */
    @Override
    public synchronized void close() {
        if (applied != null) {
            applied.destroy();
            applied = null;
        }
    }

    // ---- building ------------------------------------------------------------------

    private NamespaceName ns(RouterName router) {
        return layout.namespace(router);
    }

    private void prepareRunDir() {
        try {
            var privateDir = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
            Files.createDirectories(runDir, privateDir);
            Files.setPosixFilePermissions(runDir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean anyNamespaceExists() {
        List<String> existing = ip.namespaces();
        for (RouterName r : RouterName.values()) {
            if (existing.contains(ns(r).value())) {
                return true;
            }
        }
        return existing.contains(layout.controllerNamespace().value());
    }

    private void ensureNamespace(RouterName router) {
        NamespaceName ns = ns(router);
        if (ip.namespaceExists(ns)) {
            if (!nft.tableExists(ns, "inet", ChainLayout.TABLE)) {
                loadRuleset(router);
            }
            return;
        }
        ip.addNamespace(ns);
        // No IPv6 at all: the rulesets speak IPv4, and a stray router solicitation is a leak.
        ip.sysctl(ns, "net.ipv6.conf.all.disable_ipv6", "1");
        ip.sysctl(ns, "net.ipv6.conf.default.disable_ipv6", "1");
        ip.sysctl(ns, "net.ipv4.ip_forward", router == RouterName.STAR ? "0" : "1");
        loadRuleset(router);
        ip.setUp(ns, InterfaceName.of("lo"));
    }

    private void ensureControllerNamespace() {
        NamespaceName ns = layout.controllerNamespace();
        if (!ip.namespaceExists(ns)) {
            ip.addNamespace(ns);
            ip.sysctl(ns, "net.ipv6.conf.all.disable_ipv6", "1");
            ip.sysctl(ns, "net.ipv6.conf.default.disable_ipv6", "1");
            ip.setUp(ns, InterfaceName.of("lo"));
        }
    }

    private void loadRuleset(RouterName router) {
        String rules = Rulesets.forRouter(
                router, layout, config.uplink(), Optional.ofNullable(applied).map(WireGuardProfile::endpoint));
        Path file = runDir.resolve(router.id() + ".nft");
        try {
            Files.writeString(file, rules, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        nft.load(ns(router), file);
    }

    private void ensurePair(RouterName a, InterfaceName aName, RouterName b, InterfaceName bName) {
        ensureLink(ns(a), aName, ns(b), bName);
    }

    private void ensureLink(NamespaceName nsA, InterfaceName a, NamespaceName nsB, InterfaceName b) {
        boolean hasA = ip.linkExists(Optional.of(nsA), a);
        boolean hasB = ip.linkExists(Optional.of(nsB), b);
        if (hasA && hasB) {
            return;
        }
        // A veth end without its peer cannot exist; but a same-named leftover of another
        // kind could. Remove it so the pair is created whole.
        if (hasA) {
            ip.deleteLink(nsA, a);
        }
        if (hasB) {
            ip.deleteLink(nsB, b);
        }
        ip.addVethPair(nsA, a, nsB, b);
    }

    private void ensureUplink() {
        NamespaceName universe = ns(RouterName.UNIVERSE);
        if (!ip.linkExists(Optional.of(universe), config.uplink())) {
            if (!ip.linkExists(Optional.empty(), config.uplink())) {
                throw new ProcessFailedException(
                        List.of("ip"), "uplink " + config.uplink() + " is neither on this host nor in universe", null);
            }
            ip.moveIntoNamespace(config.uplink(), universe);
        }
        address(universe, config.uplink(), config.uplinkAddress());
        config.uplinkGateway().ifPresent(gw -> ip.replaceRoute(universe, null, Optional.of(gw), config.uplink()));
    }

    private void address(NamespaceName ns, InterfaceName name, Cidr address) {
        ip.replaceAddress(ns, name, address);
        ip.setUp(ns, name);
    }

    private void ensureWireGuard() {
        if (wireGuard != null && wireGuard.isAlive()) {
            return;
        }
        closeWireGuard();
        wireGuard =
                WireGuardDevice.create(ip, ns(RouterName.GALAXY), layout.wireGuard(), runDir, ChainLayout.TUNNEL_MARK);
        if (applied != null) {
            WireGuardProfile profile = applied;
            applied = null;
            // Re-applies over an empty device: the endpoint set already holds the endpoint
            // (the ruleset was loaded with it), adding it again is harmless.
            ruleEndpoint(profile.endpoint());
            List<Runnable> undo = new ArrayList<>();
            switchProfileQuietly(profile, undo);
            applied = profile;
        } else {
            ip.setUp(ns(RouterName.GALAXY), layout.wireGuard());
            ip.replaceRoute(ns(RouterName.GALAXY), null, Optional.empty(), layout.wireGuard());
        }
    }

    private void ruleEndpoint(Endpoint endpoint) {
        NamespaceName galaxy = ns(RouterName.GALAXY);
        if (!nft.listRuleset(galaxy).contains(endpoint.address() + " . " + endpoint.port())) {
            nft.addEndpoint(galaxy, "inet", ChainLayout.TABLE, ChainLayout.ENDPOINT_SET, endpoint);
        }
    }

    private void switchProfileQuietly(WireGuardProfile profile, List<Runnable> undo) {
        NamespaceName galaxy = ns(RouterName.GALAXY);
        wireGuard.apply(profile);
        for (Cidr a : profile.addresses()) {
            ip.replaceAddress(galaxy, layout.wireGuard(), a);
        }
        ip.setUp(galaxy, layout.wireGuard());
        ip.replaceRoute(galaxy, null, Optional.empty(), layout.wireGuard());
    }

    private void ensureTor() {
        if (tor != null && tor.isAlive()) {
            return;
        }
        closeTor();
        try {
            tor = TorProcess.start(new TorProcess.Config(
                    Optional.of(ns(RouterName.STAR)),
                    runDir.resolve("tor"),
                    Optional.of(ChainLayout.transPort()),
                    Optional.of(ChainLayout.dnsPort()),
                    config.torDisableNetwork()));
        } catch (TorControlException e) {
            throw new ProcessFailedException(List.of("tor"), e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- tearing down --------------------------------------------------------------

    private void tearDownAll() {
        closeTor();
        closeWireGuard();
        NamespaceName controller = layout.controllerNamespace();
        if (ip.namespaceExists(controller)) {
            ip.deleteNamespace(controller);
        }
        tearDown(RouterName.STAR);
        tearDown(RouterName.GALAXY);
        tearDown(RouterName.UNIVERSE);
    }

    private void tearDown(RouterName router) {
        NamespaceName ns = ns(router);
        if (router == RouterName.STAR) {
            closeTor();
        } else if (router == RouterName.GALAXY) {
            closeWireGuard();
        }
        if (!ip.namespaceExists(ns)) {
            return;
        }
        // Everything running in a router namespace is the router's own daemon (ours, or a
        // crashed predecessor's): stop it before the namespace goes.
        for (long pid : ip.pids(ns)) {
            if (pid != ownPid) {
                ProcessHandle.of(pid).ifPresent(ManagedProcess::stop);
            }
        }
        if (router == RouterName.UNIVERSE && ip.linkExists(Optional.of(ns), config.uplink())) {
            // Give the host its interface back (a physical NIC would return on its own, a veth would die).
            ip.moveToNamespaceOfPid(ns, config.uplink(), ownPid);
        }
        ip.deleteNamespace(ns);
    }

    private void closeWireGuard() {
        if (wireGuard != null) {
            wireGuard.close();
            wireGuard = null;
        }
    }

    private void closeTor() {
        if (tor != null) {
            tor.close();
            tor = null;
        }
    }

    // ---- checking ------------------------------------------------------------------

    private List<String> checkChain(RouterName router) {
        List<String> findings = new ArrayList<>();
        NamespaceName ns = ns(router);
        if (!ip.namespaceExists(ns)) {
            findings.add(router + " is down");
            return findings;
        }
        if (!nft.tableExists(ns, "inet", ChainLayout.TABLE)) {
            findings.add("firewall table '" + ChainLayout.TABLE + "' is missing");
        }
        Map<InterfaceName, Cidr> expected = new java.util.LinkedHashMap<>();
        switch (router) {
            case UNIVERSE -> {
                expected.put(config.uplink(), config.uplinkAddress());
                expected.put(layout.universeToGalaxy(), ChainLayout.UNIVERSE_LINK);
            }
            case GALAXY -> {
                expected.put(layout.galaxyToUniverse(), ChainLayout.GALAXY_UNIVERSE_LINK);
                expected.put(layout.galaxyToStar(), ChainLayout.GALAXY_STAR_LINK);
            }
            case STAR -> {
                expected.put(layout.starToGalaxy(), ChainLayout.STAR_GALAXY_LINK);
                expected.put(layout.starToController(), ChainLayout.STAR_CONTROLLER_LINK);
            }
        }
        List<LinkInfo> links = ip.links(ns);
        for (Map.Entry<InterfaceName, Cidr> e : expected.entrySet()) {
            Optional<LinkInfo> link =
                    links.stream().filter(l -> l.name().equals(e.getKey())).findFirst();
            if (link.isEmpty()) {
                findings.add("interface " + e.getKey() + " is missing");
            } else if (!link.get().up()) {
                findings.add("interface " + e.getKey() + " is down");
            } else if (!link.get().addresses().contains(e.getValue())) {
                findings.add("interface " + e.getKey() + " lacks address " + e.getValue());
            }
        }
        List<RouteInfo> routes = ip.routes(ns);
        Optional<RouteInfo> def =
                routes.stream().filter(r -> r.destination().equals("default")).findFirst();
        switch (router) {
            case UNIVERSE ->
                config.uplinkGateway().ifPresent(gw -> {
                    if (def.isEmpty() || !def.get().gateway().equals(Optional.of(gw))) {
                        findings.add("default route is not via the LAN gateway " + gw);
                    }
                });
            case GALAXY -> {
                if (wireGuard == null || !wireGuard.isAlive()) {
                    findings.add("WireGuard interface " + layout.wireGuard() + " is not running");
                }
                if (def.isEmpty() || !def.get().device().equals(Optional.of(layout.wireGuard()))) {
                    findings.add("default route does not point into the tunnel");
                }
                if (applied == null) {
                    findings.add("no VPN profile in use: galaxy passes nothing (kill switch closed)");
                }
            }
            case STAR -> {
                if (tor == null || !tor.isAlive()) {
                    findings.add("Tor is not running");
                }
                if (def.isEmpty() || !def.get().gateway().equals(Optional.of(ChainLayout.GALAXY_STAR_LINK.address()))) {
                    findings.add("default route is not via galaxy");
                }
            }
        }
        return findings;
    }

    private DnsHealth dnsHealth(RouterName router) {
        if (router != RouterName.STAR) {
            return new DnsHealth(DnsHealth.State.NOT_APPLICABLE, "DNS is answered by star's Tor DNSPort");
        }
        if (tor == null || !tor.isAlive()) {
            return new DnsHealth(DnsHealth.State.DOWN, "Tor is not running");
        }
        try (TorControlClient client = tor.connect()) {
            Map<String, String> info = client.getInfo("net/listeners/dns", "status/bootstrap-phase");
            BootstrapPhase phase = BootstrapPhase.parse(info.get("status/bootstrap-phase"));
            String listeners = info.get("net/listeners/dns").strip();
            if (listeners.isEmpty()) {
                return new DnsHealth(
                        DnsHealth.State.DEGRADED,
                        "Tor's DNSPort is not listening"
                                + (config.torDisableNetwork() ? " (network disabled)" : "") + "; bootstrap "
                                + phase.progress()
                                + "%");
            }
            if (phase.progress() < 100) {
                return new DnsHealth(
                        DnsHealth.State.DEGRADED,
                        "DNSPort " + listeners + " listening; Tor bootstrap " + phase.progress() + "% ("
                                + phase.summary() + ")");
            }
            return new DnsHealth(DnsHealth.State.OK, "DNSPort " + listeners + " listening; Tor bootstrapped");
        } catch (TorControlException e) {
            return new DnsHealth(DnsHealth.State.DOWN, "Tor's control port: " + e.getMessage());
        }
    }

    // ---- errors --------------------------------------------------------------------

    private void requireNamespace(RouterName router) throws RouterException {
        boolean exists = call("check " + router, () -> ip.namespaceExists(ns(router)));
        if (!exists) {
            throw new RouterException(
                    RouterException.Kind.FAILED_PRECONDITION,
                    "router " + router + " is down; bring the chain up or reset " + router);
        }
    }

    private TorControlClient torClient() throws RouterException {
        requireNamespace(RouterName.STAR);
        if (tor == null) {
            throw new RouterException(RouterException.Kind.UNAVAILABLE, "Tor is not running in star; restart star");
        }
        if (!tor.isAlive()) {
            throw new RouterException(
                    RouterException.Kind.UNAVAILABLE, "Tor is not running in star (it exited); " + "restart star");
        }
        try {
            return tor.connect();
        } catch (TorControlException e) {
            throw torError(e);
        }
    }

    private static RouterException torError(TorControlException e) {
        if (e.status() == 0) {
            return new RouterException(RouterException.Kind.UNAVAILABLE, "Tor is unreachable: " + e.getMessage(), e);
        }
        return new RouterException(RouterException.Kind.INTERNAL, "Tor refused: " + e.getMessage(), e);
    }

    private interface Step {
        void run();
    }

    private interface Query<T> {
        T get();
    }

    private static void run(String what, Step step) throws RouterException {
        call(what, () -> {
            step.run();
            return null;
        });
    }

    private static <T> T call(String what, Query<T> query) throws RouterException {
        try {
            return query.get();
        } catch (ProcessFailedException e) {
            RouterException.Kind kind =
                    e.exitCode() == -1 ? RouterException.Kind.UNAVAILABLE : RouterException.Kind.INTERNAL;
            throw new RouterException(kind, "could not " + what + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new RouterException(
                    RouterException.Kind.INTERNAL,
                    "could not " + what + ": " + e.getCause().getMessage(),
                    e);
        } catch (IllegalArgumentException e) {
            throw new RouterException(
                    RouterException.Kind.INTERNAL,
                    "could not " + what + ": unexpected tool output: " + e.getMessage(),
                    e);
        }
    }
}
