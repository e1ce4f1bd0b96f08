package org.multiverse.scramble.controller.router;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.multiverse.scramble.controller.tor.NewnymOutcome;
import org.multiverse.scramble.controller.vpn.ProfileFormatException;
import org.multiverse.scramble.controller.vpn.ProfileStore;
import org.multiverse.scramble.controller.vpn.WireGuardProfile;

/**
 * The router commands the controller agent's handlers call: validation of what a person
 * typed, profile storage, and errors with a {@link RouterException.Kind} and a message for
 * that person. One command at a time (the methods are synchronized).
 */
public final class RouterService implements AutoCloseable {
    private final RouterBackend backend;
    private final ProfileStore profiles;

    public RouterService(RouterBackend backend, ProfileStore profiles) {
        this.backend = backend;
        this.profiles = profiles;
    }

    /** Builds the whole chain (idempotent) and re-applies the profile recorded as in use. */
    public synchronized void up() throws RouterException {
        backend.up();
        Optional<String> active = io("read the active profile", profiles::active);
        if (active.isPresent() && !active.equals(backend.activeProfile())) {
            backend.useProfile(load(active.get()));
        }
    }

    /** Tears the whole chain down (idempotent). */
    public synchronized void down() throws RouterException {
        backend.down();
    }

    /** The three routers, their job and whether each is up. */
    public synchronized List<RouterSummary> list() throws RouterException {
        List<RouterSummary> out = new ArrayList<>();
        for (RouterName r : RouterName.values()) {
            out.add(new RouterSummary(r.id(), r.job(), backend.isUp(r)));
        }
        return out;
    }

    public synchronized RouterStatus status(String name) throws RouterException {
        return backend.status(RouterName.parse(name));
    }

    public synchronized void restart(String name) throws RouterException {
        backend.restart(RouterName.parse(name));
    }

    public synchronized void reset(String name) throws RouterException {
        backend.reset(RouterName.parse(name));
    }

    /**
     * Switches galaxy to the stored profile {@code name}: validated first, applied
     * atomically, rolled back on failure; recorded as in use only once applied.
     */
    public synchronized VpnStatus vpnUse(String name) throws RouterException {
        WireGuardProfile profile = load(name);
        backend.useProfile(profile);
        io("record the active profile", () -> {
            profiles.setActive(Optional.of(name));
            return null;
        });
        return backend.vpnStatus();
    }

    public synchronized VpnStatus vpnStatus() throws RouterException {
        return backend.vpnStatus();
    }

    /** Names of the stored profiles. */
    public synchronized List<String> vpnProfiles() throws RouterException {
        return io("list profiles", profiles::names);
    }

    /** Validates and stores a profile (replacing one of the same name); the running tunnel is untouched. */
    public synchronized void vpnStore(String name, String content) throws RouterException {
        checkProfileName(name);
        try {
            profiles.put(name, content);
        } catch (ProfileFormatException e) {
            throw new RouterException(RouterException.Kind.INVALID_ARGUMENT, "invalid profile: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new RouterException(RouterException.Kind.INTERNAL, "could not store profile: " + e.getMessage(), e);
        }
    }

    public synchronized NewnymOutcome torNewnym() throws RouterException {
        return backend.torNewnym();
    }

    public synchronized TorStatus torStatus() throws RouterException {
        return backend.torStatus();
    }

    /** The router's live nftables ruleset, read-only. */
    public synchronized String firewallShow(String name) throws RouterException {
        return backend.firewall(RouterName.parse(name));
    }

    @Override
    public synchronized void close() {
        backend.close();
    }

    private WireGuardProfile load(String name) throws RouterException {
        checkProfileName(name);
        try {
            return profiles.load(name);
        } catch (NoSuchFileException e) {
            throw new RouterException(RouterException.Kind.NOT_FOUND, "no VPN profile named '" + name + "'");
        } catch (ProfileFormatException e) {
            throw new RouterException(
                    RouterException.Kind.INVALID_ARGUMENT, "profile '" + name + "' is invalid: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new RouterException(
                    RouterException.Kind.INTERNAL, "could not read profile '" + name + "': " + e.getMessage(), e);
        }
    }

    private static void checkProfileName(String name) throws RouterException {
        try {
            ProfileStore.checkName(name);
        } catch (IllegalArgumentException e) {
            throw new RouterException(RouterException.Kind.INVALID_ARGUMENT, "invalid profile name: " + e.getMessage());
        }
    }

    private interface IoCall<T> {
        T call() throws IOException;
    }

    private static <T> T io(String what, IoCall<T> call) throws RouterException {
        try {
            return call.call();
        } catch (IOException e) {
            throw new RouterException(RouterException.Kind.INTERNAL, "could not " + what + ": " + e.getMessage(), e);
        }
    }
}
