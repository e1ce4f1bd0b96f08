package org.multiverse.scramble.rtos.agent;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.multiverse.scramble.protocol.agent.EventHub;
import org.multiverse.scramble.rtos.link.SampleSink;
import org.multiverse.scramble.rtos.link.SealedSample;
import org.multiverse.scramble.rtos.link.StreamStart;

/**
 * Relays one telemetry stream to the agent's subscribers as events, still sealed by the node
 * to the requesting session (the bridge cannot open them; each event is sealed again to its
 * subscriber by the core). Two event kinds, subject = the node's name:
 *
 * <ul>
 *   <li>{@code rtos.stream.start}, attributes {@code node, channel, stream_id,
 *       node_public_key, hpke_stream_id, encapsulated_key} (base64 for bytes) and
 *       {@code start_node_micros, period_micros}: what the person needs to open the samples
 *       (WIRE.md section 7).</li>
 *   <li>{@code rtos.stream.samples}, attributes {@code stream_id}, {@code count},
 *       {@code dropped_batches} and {@code samples}: base64 of {@code count} records of
 *       {@link #RECORD_BYTES} bytes, each {@code sequence u32 BE || node_time_micros u64 BE ||
 *       last u8 || sealed (20 bytes)}; the AAD is rebuilt from the first three fields.</li>
 * </ul>
 *
 * <p>Samples arrive on the link's reader thread, every millisecond at 1 kHz: they are batched
 * and handed to one publishing thread through a bounded queue, so a slow subscriber costs
 * dropped batches (counted) and never stalls the line.
 */
final class StreamPublisher implements SampleSink, AutoCloseable {

    /** One event per 50 samples: 20 events/s at 1 kHz, each about 2.3 kB of base64. */
    static final int BATCH_SAMPLES = 50;
    /** Bytes per sample record in a {@code samples} attribute. */
    static final int RECORD_BYTES = 4 + 8 + 1 + 20;
    /** Batches waiting to be published: two seconds of a 1 kHz stream, then drops. */
    static final int QUEUE_BATCHES = 40;
    /** How long the command waits for the last batches to leave before answering. */
    static final long FLUSH_TIMEOUT_MILLIS = 5_000;

    private final EventHub events;
    private final String node;
    private final String channel;
    private final ThreadPoolExecutor publisher;
    private final AtomicLong droppedBatches = new AtomicLong();
    private final Object lock = new Object();
    private List<SealedSample> batch = new ArrayList<>();
    /** Full batches that arrived before {@link #start}: the start event must go first. */
    private final List<List<SealedSample>> held = new ArrayList<>();

    private int streamId;
    private boolean started;

    StreamPublisher(EventHub events, String node, String channel) {
        this.events = events;
        this.node = node;
        this.channel = channel;
        this.publisher = new ThreadPoolExecutor(
                1,
                1,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUE_BATCHES),
                r -> {
                    Thread t = new Thread(r, "rtos-stream-" + node);
                    t.setDaemon(true);
                    return t;
                },
                (r, executor) -> droppedBatches.incrementAndGet());
    }

    @Override
    public void start(StreamStart s) {
        Map<String, String> attributes = Map.of(
                "node", node,
                "channel", channel,
                "stream_id", Integer.toUnsignedString(s.streamId()),
                "node_public_key", base64(s.nodePublicKey()),
                "hpke_stream_id", new String(s.hpkeStreamId(), StandardCharsets.US_ASCII),
                "encapsulated_key", base64(s.encapsulatedKey()),
                "start_node_micros", Long.toString(s.startNodeMicros()),
                "period_micros", Integer.toUnsignedString(s.periodMicros()));
        synchronized (lock) {
            streamId = s.streamId();
            started = true;
            publisher.execute(() -> events.publish(
                    org.multiverse.scramble.protocol.v1.EventKind.RTOS_STREAM_START,
                    node,
                    "stream " + Integer.toUnsignedString(s.streamId()) + " of " + node + "/" + channel,
                    attributes));
            held.forEach(this::submit);
            held.clear();
        }
    }

    @Override
    public void sample(SealedSample sample) {
        synchronized (lock) {
            batch.add(sample);
            if (batch.size() >= BATCH_SAMPLES || sample.last()) {
                List<SealedSample> full = batch;
                batch = new ArrayList<>();
                if (started) {
                    submit(full);
                } else {
                    held.add(full);
                }
            }
        }
    }

    /** Publishes what is left and waits (bounded) until every batch has left. */
    void finish() throws InterruptedException {
        synchronized (lock) {
            if (started && !batch.isEmpty()) {
                submit(batch);
                batch = new ArrayList<>();
            }
        }
        publisher.shutdown();
        publisher.awaitTermination(FLUSH_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }

    long droppedBatches() {
        return droppedBatches.get();
    }

    private void submit(List<SealedSample> samples) {
        int id = streamId;
        publisher.execute(() -> events.publish(
                org.multiverse.scramble.protocol.v1.EventKind.RTOS_STREAM_SAMPLES,
                node,
                samples.size() + " samples",
                Map.of(
                        "stream_id", Integer.toUnsignedString(id),
                        "count", Integer.toString(samples.size()),
                        "dropped_batches", Long.toString(droppedBatches.get()),
                        "samples", base64(encode(samples)))));
    }

    /** The records of a {@code samples} attribute (see the class comment). */
    static byte[] encode(List<SealedSample> samples) {
        ByteBuffer b = ByteBuffer.allocate(samples.size() * RECORD_BYTES);
        for (SealedSample s : samples) {
            if (s.sealed().length != RECORD_BYTES - 13) {
                throw new IllegalArgumentException("sealed sample of " + s.sealed().length + " bytes");
            }
            b.putInt(s.sequence())
                    .putLong(s.nodeTimeMicros())
                    .put((byte) (s.last() ? 1 : 0))
                    .put(s.sealed());
        }
        return b.array();
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Override
    public void close() {
        publisher.shutdownNow();
    }
}
