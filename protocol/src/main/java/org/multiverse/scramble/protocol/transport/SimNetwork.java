package org.multiverse.scramble.protocol.transport;

import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The process-wide registry of simulated listeners ({@code sim:NAME}). A connect to a name
 * makes a link of two in-memory endpoints that carry encoded bytes through the name's
 * {@link SimFaults}; the receiving side runs a real frame decoder. Fault decisions come from
 * a random source seeded per link (the name's seed, the link number and the direction), so
 * a test that sends the same frames sees the same faults.
 */
public final class SimNetwork {
    private static final Map<String, Entry> LISTENERS = new ConcurrentHashMap<>();

    private SimNetwork() {}

    static final class Entry {
        final String name;
        final Consumer<FrameChannel> onAccept;
        final AtomicInteger linkCount = new AtomicInteger();
        final Set<SimLink> links = ConcurrentHashMap.newKeySet();
        final Map<SimFault, AtomicLong> injected = new EnumMap<>(SimFault.class);
        volatile SimFaults faults = SimFaults.NONE;
        volatile long seed;

        Entry(String name, Consumer<FrameChannel> onAccept) {
            this.name = name;
            this.onAccept = onAccept;
            this.seed = name.hashCode();
            for (SimFault f : SimFault.values()) {
                injected.put(f, new AtomicLong());
            }
        }

        void count(SimFault fault) {
            injected.get(fault).incrementAndGet();
        }
    }

    /** Registers a listener under {@code name}; the accept callback runs on the connecting thread. */
    static Listener listen(String name, Consumer<FrameChannel> onAccept) throws IOException {
        Entry entry = new Entry(name, Objects.requireNonNull(onAccept, "onAccept"));
        if (LISTENERS.putIfAbsent(name, entry) != null) {
            throw new IOException("sim:" + name + " already has a listener");
        }
        TransportUri uri = new TransportUri(Scheme.SIM, name, null, 0);
        return new Listener() {
            @Override
            public TransportUri uri() {
                return uri;
            }

            @Override
            public void close() {
                LISTENERS.remove(name, entry);
            }
        };
    }

    static FrameChannel connect(String name) throws IOException {
        Entry entry = LISTENERS.get(name);
        if (entry == null) {
            throw new IOException("nothing listens on sim:" + name);
        }
        SimLink link = new SimLink(entry, entry.linkCount.incrementAndGet());
        entry.links.add(link);
        entry.onAccept.accept(link.server());
        return link.client();
    }

    private static Entry entry(String name) {
        Entry e = LISTENERS.get(name);
        if (e == null) {
            throw new IllegalStateException("nothing listens on sim:" + name);
        }
        return e;
    }

    /** Sets the faults of every current and future link of {@code name}, both directions. */
    public static void setFaults(String name, SimFaults faults) {
        entry(name).faults = Objects.requireNonNull(faults, "faults");
    }

    /** The faults now in force on {@code name}. */
    public static SimFaults faults(String name) {
        return entry(name).faults;
    }

    /** Seeds the fault decisions of links made from now on to {@code name}. */
    public static void setSeed(String name, long seed) {
        entry(name).seed = seed;
    }

    /** Closes every open link of {@code name} as if the wire was pulled. */
    public static void sever(String name) {
        for (SimLink link : entry(name).links) {
            link.close(new IOException("sim:" + name + " severed"));
        }
    }

    /** How many times {@code fault} was injected on links of {@code name}, both directions. */
    public static long injected(String name, SimFault fault) {
        return entry(name).injected.get(fault).get();
    }

    /** How many links to {@code name} are open now. */
    public static int openLinks(String name) {
        return entry(name).links.size();
    }
}
