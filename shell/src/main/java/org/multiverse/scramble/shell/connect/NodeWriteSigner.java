package org.multiverse.scramble.shell.connect;

import com.google.protobuf.ByteString;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.multiverse.scramble.protocol.rtos.NodeCommands;
import org.multiverse.scramble.protocol.text.EscapeStripper;
import org.multiverse.scramble.protocol.v1.RtosChannelInfo;
import org.multiverse.scramble.protocol.v1.RtosInfoResult;
import org.multiverse.scramble.protocol.v1.RtosWrite;
import org.multiverse.scramble.shell.ShellFailure;
import org.multiverse.scramble.shell.registry.SendStep;
import org.multiverse.scramble.suite.cert.SessionKeys;

/**
 * Signs the command a real-time node verifies itself (rtos-bridge {@code WIRE.md} section 6)
 * into an {@code rtos write}, with the same session key that signs the envelope: the bridge
 * relays it and can neither forge nor alter it. The node's own ID and the channel's index come
 * from a signed {@code rtos info} of the node, kept for {@link #INFO_TTL}. One per session
 * (per {@link AgentConnections}), so sequences rise per (session, node).
 */
final class NodeWriteSigner implements SendStep.NodeCommands {

    /**
     * How long a node's {@code rtos info} is reused for writes: the ID and the channel list change
     * only when the node is re-flashed, and a write that fails drops it at once, so a few seconds
     * save a round trip per write in a script without hiding a new firmware for long.
     */
    static final Duration INFO_TTL = Duration.ofSeconds(5);
    /**
     * How long the node accepts a signed write after it was signed: enough for the relay hops,
     * short because a node that reboots forgets its replay high-water mark and this bounds the
     * window in which a captured write could be replayed (WIRE.md section 6, Limits).
     */
    static final Duration VALIDITY = Duration.ofSeconds(30);

    private final SessionKeys session;
    private final Clock clock;
    private final Map<String, Cached> infos = new HashMap<>();
    private final Map<String, Long> lastSequence = new HashMap<>();

    private record Cached(RtosInfoResult info, Instant fetched) {}

    NodeWriteSigner(SessionKeys session, Clock clock) {
        this.session = session;
        this.clock = clock;
    }

    /** The node's info fetched less than {@link #INFO_TTL} ago, if any. */
    @Override
    public synchronized Optional<RtosInfoResult> cached(String node) {
        Cached c = infos.get(node);
        if (c == null || !clock.instant().isBefore(c.fetched().plus(INFO_TTL))) {
            infos.remove(node);
            return Optional.empty();
        }
        return Optional.of(c.info());
    }

    @Override
    public synchronized void remember(String node, RtosInfoResult info) {
        infos.put(node, new Cached(info, clock.instant()));
    }

    /** Forgets what a failed write may have found stale (a re-flashed node, a renamed channel). */
    @Override
    public synchronized void forget(String node) {
        infos.remove(node);
    }

    /**
     * The request with its {@code node_command}: node ID and channel index from {@code info}, the
     * value as the float the node holds, {@code at} = now + the request's offset (0 without one),
     * valid for {@link #VALIDITY}, the next sequence for that node.
     *
     * @throws ShellFailure if the node has no such channel, its info names no ID, or the value is
     *                      not a float exactly (the bridge compares them bit for bit)
     */
    @Override
    public RtosWrite sign(RtosWrite request, RtosInfoResult info) throws ShellFailure {
        String node = request.getNode();
        if (info.getNodeId().isEmpty()) {
            throw ShellFailure.failed("the bridge's info of node " + node + " names no node ID: cannot sign a write "
                    + "the node would accept");
        }
        int index = channelIndex(info, request.getChannel());
        if (index < 0) {
            throw ShellFailure.failed("node " + node + " has no channel " + request.getChannel() + " (channels: "
                    + info.getChannelsList().stream()
                            .map(c -> EscapeStripper.strip(c.getName()))
                            .collect(Collectors.joining(", "))
                    + ")");
        }
        float value = (float) request.getValue();
        if ((double) value != request.getValue()) {
            throw ShellFailure.usage(
                    request.getValue() + " is not exactly a 32-bit float: the node would get " + (double) value);
        }
        long now = micros(clock.instant());
        long at = request.getAtOffsetMicros() == 0 ? 0 : now + request.getAtOffsetMicros();
        long notAfter = now + VALIDITY.toNanos() / 1_000;
        byte[] signed;
        try {
            signed = NodeCommands.signedWrite(
                    session, info.getNodeId(), nextSequence(info.getNodeId(), now), index, value, at, notAfter);
        } catch (IllegalArgumentException e) {
            // Only a node ID far longer than any node declares makes the body exceed the node's buffer.
            throw ShellFailure.failed("cannot sign a write for node " + node + ": " + e.getMessage());
        }
        return request.toBuilder().setNodeCommand(ByteString.copyFrom(signed)).build();
    }

    /** Strictly increasing per node: the time in microseconds, or one above the last when the clock lags. */
    synchronized long nextSequence(String nodeId, long nowMicros) {
        long next = Math.max(lastSequence.getOrDefault(nodeId, 0L) + 1, nowMicros);
        lastSequence.put(nodeId, next);
        return next;
    }

    private static int channelIndex(RtosInfoResult info, String channel) {
        for (int i = 0; i < info.getChannelsCount(); i++) {
            RtosChannelInfo c = info.getChannels(i);
            if (c.getName().equals(channel)) {
                return i;
            }
        }
        return -1;
    }

    static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }
}
