package org.multiverse.scramble.controller.router;

import java.util.Optional;
import org.multiverse.scramble.controller.tor.NewnymOutcome;
import org.multiverse.scramble.controller.vpn.WireGuardProfile;

/**
 * Where the routers really live: Linux network namespaces ({@link NamespaceRouterBackend}),
 * an in-memory model ({@link SimulatedRouterBackend}) or, later, router VMs. Implementations
 * are called by {@link RouterService} one command at a time.
 */
public interface RouterBackend extends AutoCloseable {
    /**
     * Builds whatever is missing of the chain; a no-op when all is up. The first call of a
     * new instance rebuilds anything a crashed predecessor left behind.
     */
    void up() throws RouterException;

    /** Tears the whole chain down; a no-op when nothing is up. */
    void down() throws RouterException;

    boolean isUp(RouterName router) throws RouterException;

    RouterStatus status(RouterName router) throws RouterException;

    /** Restarts the router's daemon and reloads its firewall, keeping its namespace. */
    void restart(RouterName router) throws RouterException;

    /** Destroys the router and rebuilds it from configuration. */
    void reset(RouterName router) throws RouterException;

    /**
     * Switches galaxy to {@code profile} atomically: on failure the previous profile is
     * restored, and at no moment may anything but tunnel UDP leave towards universe. Takes
     * ownership of {@code profile} (its key is destroyed when replaced).
     */
    void useProfile(WireGuardProfile profile) throws RouterException;

    /** Name of the profile galaxy uses, if any. */
    Optional<String> activeProfile();

    VpnStatus vpnStatus() throws RouterException;

    TorStatus torStatus() throws RouterException;

    NewnymOutcome torNewnym() throws RouterException;

    /** The router's live ruleset (read-only). */
    String firewall(RouterName router) throws RouterException;

    /** Releases resources held by this instance (child processes are stopped by {@link #down()}). */
    @Override
    void close();
}
