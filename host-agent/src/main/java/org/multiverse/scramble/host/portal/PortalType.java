package org.multiverse.scramble.host.portal;

/** The three kinds of portal in Multiverse's portal tree. */
public enum PortalType {
    /** A person's application VM (browser, console, project...). */
    APPLICATION,
    /** A background service VM (routers, wallets, servers...). */
    SERVICE,
    /** A controller VM (the user controller, the router controller). */
    CONTROLLER;

    /** The word used in definition files. */
    public String tomlName() {
        return name().toLowerCase();
    }
}
