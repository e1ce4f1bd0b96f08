package org.multiverse.scramble.protocol.transport;

import java.io.IOException;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

/** One simulated connection: two endpoints and a faulty pipe in each direction. */
final class SimLink {
    private final SimNetwork.Entry entry;
    private final SimEndpoint client;
    private final SimEndpoint server;
    private final AtomicBoolean closed = new AtomicBoolean();

    SimLink(SimNetwork.Entry entry, int number) {
        this.entry = entry;
        String name = "sim:" + entry.name;
        this.client = new SimEndpoint(this, name + "#" + number + " (client)");
        this.server = new SimEndpoint(this, name + "#" + number + " (server)");
        // Distinct, reproducible streams per link and direction.
        long base = entry.seed * 0x9E3779B97F4A7C15L + number;
        client.connectTo(server, new Random(base * 2), () -> entry.faults, entry::count);
        server.connectTo(client, new Random(base * 2 + 1), () -> entry.faults, entry::count);
    }

    SimEndpoint client() {
        return client;
    }

    SimEndpoint server() {
        return server;
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Closes both ends; each reports {@code cause} (null: orderly close) to its listener. */
    void close(IOException cause) {
        if (closed.compareAndSet(false, true)) {
            entry.links.remove(this);
            client.shutDown(cause);
            server.shutDown(cause);
        }
    }
}
