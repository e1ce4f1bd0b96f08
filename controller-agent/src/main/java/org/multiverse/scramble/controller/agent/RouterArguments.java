package org.multiverse.scramble.controller.agent;

import org.multiverse.scramble.controller.net.InterfaceName;
import org.multiverse.scramble.controller.net.Printable;
import org.multiverse.scramble.controller.router.RouterException;
import org.multiverse.scramble.controller.router.RouterName;
import org.multiverse.scramble.controller.vpn.ProfileStore;
import org.multiverse.scramble.protocol.agent.CommandException;
import org.multiverse.scramble.protocol.v1.ErrorCode;

/**
 * Checks the names a person typed before any of them reaches the router service: a malformed
 * name is INVALID_ARGUMENT (it could never name anything), a well-formed unknown one NOT_FOUND.
 */
final class RouterArguments {

    /**
     * Router names become parts of namespace and interface names, so none can be longer than a
     * Linux interface name (IFNAMSIZ - 1); a longer one is refused before any lookup.
     */
    static final int MAX_ROUTER_NAME_LENGTH = InterfaceName.MAX_LENGTH;

    private RouterArguments() {}

    /** The router {@code name} denotes. */
    static RouterName router(String name) throws CommandException {
        if (name.isEmpty()) {
            throw invalid("which router? name one of universe, galaxy, star");
        }
        if (name.length() > MAX_ROUTER_NAME_LENGTH) {
            throw invalid("router name '" + Printable.of(name) + "' is " + name.length()
                    + " characters; router names have at most " + MAX_ROUTER_NAME_LENGTH);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 'a' || c > 'z') {
                throw invalid("router name '" + Printable.of(name) + "' has a character other than a-z at position "
                        + (i + 1));
            }
        }
        try {
            return RouterName.parse(name);
        } catch (RouterException e) {
            throw RouterErrors.toCommandException(e);
        }
    }

    /** A VPN profile name as the profile store accepts it. */
    static String profile(String name) throws CommandException {
        if (name.isEmpty()) {
            throw invalid("which VPN profile? 'router vpn profiles' lists them");
        }
        try {
            return ProfileStore.checkName(name);
        } catch (IllegalArgumentException e) {
            throw invalid("VPN profile name '" + Printable.of(name) + "' is invalid: " + e.getMessage());
        }
    }

    private static CommandException invalid(String message) {
        return new CommandException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
