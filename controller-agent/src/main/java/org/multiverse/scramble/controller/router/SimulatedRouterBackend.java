package org.multiverse.scramble.controller.router;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.multiverse.scramble.controller.net.Cidr;
import org.multiverse.scramble.controller.net.InterfaceName;
import org.multiverse.scramble.controller.net.LinkInfo;
import org.multiverse.scramble.controller.tor.NewnymOutcome;
import org.multiverse.scramble.controller.vpn.WireGuardProfile;

/**
 * The same state machine as {@link NamespaceRouterBackend}, in memory: for unit tests and
 * the {@code --demo} mode, no root needed. Rulesets shown are the ones the namespace
 * backend would load; Tor is modelled with its NEWNYM rate limit (one per 10 s) and an
 * instantly complete bootstrap. Everything it reports says it is simulated.
 */
public final class SimulatedRouterBackend implements RouterBackend {
    /** Tor's MAX_SIGNEWNYM_RATE. */
    static final Duration NEWNYM_INTERVAL = Duration.ofSeconds(10);

    private final RouterConfig config;
    private final ChainLayout layout;
    private final Clock clock;
    private final Set<RouterName> up = EnumSet.noneOf(RouterName.class);
    private boolean torRunning;
    private Instant lastNewnym = Instant.EPOCH;
    private WireGuardProfile applied;
    private String failStep;

    public SimulatedRouterBackend(RouterConfig config, Clock clock) {
        this.config = config;
        this.layout = new ChainLayout(config.prefix());
        this.clock = clock;
    }

    /** Test hook: the next profile switch fails at {@code step} ("wg", "address") and must roll back. */
    void failNextSwitchAt(String step) {
        this.failStep = step;
    }

    /** Test/demo hook: Tor dies, as if killed. */
    void killTor() {
        torRunning = false;
    }

    @Override
    public synchronized void up() {
        up.addAll(EnumSet.allOf(RouterName.class));
        torRunning = true;
    }

    @Override
    public synchronized void down() {
        up.clear();
        torRunning = false;
    }

    @Override
    public synchronized boolean isUp(RouterName router) {
        return up.contains(router) && findings(router).isEmpty();
    }

    @Override
    public synchronized RouterStatus status(RouterName router) {
        if (!up.contains(router)) {
            return new RouterStatus(
                    router,
                    false,
                    List.of(),
                    ChainCheck.of(List.of(router + " is down (simulated)")),
                    new DnsHealth(
                            DnsHealth.State.DOWN,
                            router == RouterName.STAR ? "star is down" : "DNS is answered by star's Tor DNSPort"));
        }
        List<String> findings = findings(router);
        DnsHealth dns = router != RouterName.STAR
                ? new DnsHealth(DnsHealth.State.NOT_APPLICABLE, "DNS is answered by star's Tor DNSPort")
                : torRunning
                        ? new DnsHealth(DnsHealth.State.OK, "DNSPort " + ChainLayout.dnsPort() + " (simulated)")
                        : new DnsHealth(DnsHealth.State.DOWN, "Tor is not running");
        return new RouterStatus(router, findings.isEmpty(), links(router), ChainCheck.of(findings), dns);
    }

    private List<String> findings(RouterName router) {
        if (router == RouterName.GALAXY && applied == null) {
            return List.of("no VPN profile in use: galaxy passes nothing (kill switch closed)");
        }
        if (router == RouterName.STAR && !torRunning) {
            return List.of("Tor is not running");
        }
        return List.of();
    }

    private List<LinkInfo> links(RouterName router) {
        return switch (router) {
            case UNIVERSE ->
                List.of(
                        link(config.uplink(), config.uplinkAddress()),
                        link(layout.universeToGalaxy(), ChainLayout.UNIVERSE_LINK));
            case GALAXY ->
                List.of(
                        link(layout.galaxyToUniverse(), ChainLayout.GALAXY_UNIVERSE_LINK),
                        link(layout.galaxyToStar(), ChainLayout.GALAXY_STAR_LINK));
            case STAR ->
                List.of(
                        link(layout.starToGalaxy(), ChainLayout.STAR_GALAXY_LINK),
                        link(layout.starToController(), ChainLayout.STAR_CONTROLLER_LINK));
        };
    }

    private static LinkInfo link(InterfaceName name, Cidr address) {
        return new LinkInfo(name, true, List.of(address), 0, 0);
    }

    @Override
    public synchronized void restart(RouterName router) throws RouterException {
        requireUp(router);
        if (router == RouterName.STAR) {
            torRunning = true;
        }
    }

    @Override
    public synchronized void reset(RouterName router) {
        up.add(router);
        if (router == RouterName.STAR) {
            torRunning = true;
        }
    }

    @Override
    public synchronized void useProfile(WireGuardProfile profile) throws RouterException {
        requireUp(RouterName.GALAXY);
        if (failStep != null) {
            String step = failStep;
            failStep = null;
            profile.destroy();
            throw new RouterException(
                    RouterException.Kind.INTERNAL,
                    "switching to profile '" + profile.name()
                            + "' failed at " + step + " (simulated) and was rolled back"
                            + (applied == null ? "" : " to '" + applied.name() + "'"));
        }
        if (applied != null) {
            applied.destroy();
        }
        applied = profile;
    }

    @Override
    public synchronized Optional<String> activeProfile() {
        return Optional.ofNullable(applied).map(WireGuardProfile::name);
    }

    @Override
    public synchronized VpnStatus vpnStatus() throws RouterException {
        requireUp(RouterName.GALAXY);
        return new VpnStatus(
                activeProfile(),
                layout.wireGuard().value(),
                "simulated",
                Optional.ofNullable(applied).map(WireGuardProfile::endpoint),
                Optional.empty(),
                0,
                0,
                true);
    }

    @Override
    public synchronized TorStatus torStatus() throws RouterException {
        requireTor();
        return new TorStatus(
                100, "done", "Done", "NOTICE BOOTSTRAP PROGRESS=100 TAG=done SUMMARY=\"Done\" (simulated)");
    }

    @Override
    public synchronized NewnymOutcome torNewnym() throws RouterException {
        requireTor();
        Instant now = clock.instant();
        Instant allowed = lastNewnym.plus(NEWNYM_INTERVAL);
        if (now.isBefore(allowed)) {
            long delay = Math.max(1, Duration.between(now, allowed).toSeconds());
            return new NewnymOutcome(
                    NewnymOutcome.Kind.RATE_LIMITED,
                    OptionalInt.of((int) delay),
                    "250 OK; 650 NOTICE Rate limiting NEWNYM request: delaying by " + delay + " second(s) (simulated)");
        }
        lastNewnym = now;
        return new NewnymOutcome(
                NewnymOutcome.Kind.APPLIED, OptionalInt.empty(), "250 OK; 650 SIGNAL NEWNYM (simulated)");
    }

    @Override
    public synchronized String firewall(RouterName router) throws RouterException {
        requireUp(router);
        return Rulesets.forRouter(
                router, layout, config.uplink(), Optional.ofNullable(applied).map(WireGuardProfile::endpoint));
    }

    @Override
    public synchronized void close() {
        if (applied != null) {
            applied.destroy();
            applied = null;
        }
    }

    private void requireUp(RouterName router) throws RouterException {
        if (!up.contains(router)) {
            throw new RouterException(
                    RouterException.Kind.FAILED_PRECONDITION,
                    "router " + router + " is down; bring the chain up or reset " + router);
        }
    }

    private void requireTor() throws RouterException {
        requireUp(RouterName.STAR);
        if (!torRunning) {
            throw new RouterException(
                    RouterException.Kind.UNAVAILABLE, "Tor is not running in star (it exited); " + "restart star");
        }
    }
}
