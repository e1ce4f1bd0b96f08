package org.multiverse.scramble.shell.dashboard;

/** The dashboard's sections, in the order Tab visits them. */
enum Pane {
    PORTALS("Portals"),
    ROUTERS("Routers"),
    AGENTS("Agent links"),
    RTOS("RTOS nodes"),
    AUDIT("Audit tail");

    final String title;

    Pane(String title) {
        this.title = title;
    }

    Pane next() {
        return values()[(ordinal() + 1) % values().length];
    }

    Pane previous() {
        return values()[(ordinal() + values().length - 1) % values().length];
    }
}
