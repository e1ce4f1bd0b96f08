package org.multiverse.scramble.rtos.node;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.multiverse.scramble.rtos.wire.Bounds;
import org.multiverse.scramble.suite.identity.InvalidScrambleIdException;
import org.multiverse.scramble.suite.identity.ScrambleId;

/**
 * The simulated node's configuration: a properties file (format in WIRE.md appendix A).
 *
 * @param nodeId the node's id
 * @param board board name in the hello
 * @param firmware firmware version in the hello
 * @param clockHz the advertised time base
 * @param driftPpm how fast the node's clock runs against true time
 * @param initialOffsetMicros node time at start (a node counts from boot)
 * @param jitterMicros scheduling jitter: each timed action runs up to this much late
 * @param heartbeatPeriodMillis heartbeat period the node expects
 * @param missedHeartbeats heartbeats missed before failsafe
 * @param deadlineToleranceMicros how late a deadline command may still run
 * @param enrolledRoots the roots whose session certificates the node accepts
 * @param keyFile where the node's X25519 secret lives (created 0600 if missing)
 * @param channels the channels, indexes 0..n-1
 */
public record NodeConfig(
        String nodeId,
        String board,
        String firmware,
        long clockHz,
        double driftPpm,
        long initialOffsetMicros,
        long jitterMicros,
        long heartbeatPeriodMillis,
        int missedHeartbeats,
        long deadlineToleranceMicros,
        Set<ScrambleId> enrolledRoots,
        Path keyFile,
        List<ChannelSpec> channels) {

    /** Sessions cached at once: two cover a person's old and new session during renewal. */
    public static final int MAX_SESSIONS = 2;

    /** The default channels: one of each sensor kind and two actuators (needs paging). */
    static final String DEFAULT_CHANNELS = String.join(
            "\n",
            "channel.0 = temp sine C 1.5 0.5",
            "channel.1 = hum noise pct 2 40",
            "channel.2 = door step - 0 1 2",
            "channel.3 = volt sine V 0.2 5",
            "channel.4 = valve actuator pct 0 0 0 0",
            "channel.5 = heater actuator W 0 0 0 0");

    /** Reads a configuration; unset keys take the defaults of WIRE.md appendix A. */
    public static NodeConfig load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        return from(p, file.getParent());
    }

    /** The configuration from properties; {@code base} resolves a relative key file. */
    public static NodeConfig from(Properties p, Path base) {
        String nodeId = p.getProperty("node_id", "sim-node");
        if (nodeId.length() > Bounds.MAX_NODE_ID || !Bounds.NAME.matcher(nodeId).matches()) {
            throw new IllegalArgumentException("node_id \"" + nodeId + "\": 1..16 of [a-z0-9_-]");
        }
        Set<ScrambleId> roots = new TreeSet<>((x, y) -> x.text().compareTo(y.text()));
        for (String id : p.getProperty("enrolled_roots", "").split(",")) {
            if (!id.isBlank()) {
                try {
                    roots.add(ScrambleId.parse(id.strip()));
                } catch (InvalidScrambleIdException e) {
                    throw new IllegalArgumentException("enrolled_roots: " + e.getMessage());
                }
            }
        }
        List<ChannelSpec> channels = new ArrayList<>();
        Properties defaults = new Properties();
        try {
            defaults.load(new java.io.StringReader(DEFAULT_CHANNELS));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        boolean custom = p.stringPropertyNames().stream().anyMatch(k -> k.startsWith("channel."));
        Properties source = custom ? p : defaults;
        for (int i = 0; i < Bounds.MAX_CHANNELS; i++) {
            String spec = source.getProperty("channel." + i);
            if (spec == null) {
                break;
            }
            channels.add(channel(i, spec));
        }
        Path keyFile = Path.of(p.getProperty("key_file", "node.key"));
        if (!keyFile.isAbsolute() && base != null) {
            keyFile = base.resolve(keyFile);
        }
        return new NodeConfig(
                nodeId,
                p.getProperty("board", "sim-stm32f4"),
                p.getProperty("firmware", "sim-1.0.0"),
                Long.parseLong(p.getProperty("clock_hz", "1000000")),
                Double.parseDouble(p.getProperty("drift_ppm", "40")),
                Long.parseLong(p.getProperty("initial_offset_micros", "5000000")),
                Long.parseLong(p.getProperty("jitter_micros", "50")),
                Long.parseLong(p.getProperty("heartbeat_period_millis", "100")),
                Integer.parseInt(p.getProperty("missed_heartbeats", "3")),
                Long.parseLong(p.getProperty("deadline_tolerance_micros", "1000")),
                Set.copyOf(roots),
                keyFile,
                List.copyOf(channels));
    }

    private static ChannelSpec channel(int index, String spec) {
        String[] f = spec.strip().split("\\s+");
        if (f.length < 3) {
            throw new IllegalArgumentException("channel." + index + ": NAME KIND UNIT [A B C SAFE]");
        }
        ChannelSpec.Kind kind = ChannelSpec.Kind.valueOf(f[1].toUpperCase(Locale.ROOT));
        double[] n = new double[4];
        for (int i = 3; i < f.length && i < 7; i++) {
            n[i - 3] = Double.parseDouble(f[i]);
        }
        String unit = f[2].equals("-") ? "" : f[2];
        return new ChannelSpec(index, f[0], kind, unit, n[0], n[1], n[2], (float) n[3]);
    }
}
