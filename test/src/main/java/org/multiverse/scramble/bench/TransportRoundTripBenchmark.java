package org.multiverse.scramble.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameType;
import org.multiverse.scramble.protocol.transport.FrameChannel;
import org.multiverse.scramble.protocol.transport.FrameListener;
import org.multiverse.scramble.protocol.transport.Listener;
import org.multiverse.scramble.protocol.transport.TransportUri;
import org.multiverse.scramble.protocol.transport.Transports;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One frame out and its echo back: the transport's share of a command's latency, over the
 * in-memory simulated link (encode, decode, thread hand-offs) and over a real unix socket
 * (plus the kernel and Netty's event loop). The peer echoes every frame as a REPLY.
 *
 * <p>Not run by the build. After {@code ./mvnw -B -q -o -pl test -am package -DskipTests}:
 * {@code java -cp "test/target/test-0.1.0-SNAPSHOT.jar:test/target/lib/*"
 * org.openjdk.jmh.Main TransportRoundTripBenchmark -f 1 -wi 2 -i 3}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TransportRoundTripBenchmark {

    /** "sim" or "unix". */
    @Param({"sim", "unix"})
    public String transport;

    /** Payload bytes: a small envelope, and a large reply. */
    @Param({"512", "16384"})
    public int payloadBytes;

    private Path dir;
    private Listener echo;
    private FrameChannel client;
    private final SynchronousQueue<Frame> replies = new SynchronousQueue<>();
    private Frame request;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        TransportUri uri;
        if (transport.equals("unix")) {
            dir = Files.createTempDirectory("bench-transport");
            uri = TransportUri.parse("unix:" + dir.resolve("echo.sock"));
        } else {
            uri = TransportUri.parse("sim:bench-echo-" + System.nanoTime());
        }
        echo = Transports.listen(
                uri,
                ch -> ch.setListener((c, f) -> {
                    try {
                        c.send(new Frame(FrameType.REPLY, f.payload()));
                    } catch (IOException e) {
                        c.close();
                    }
                }));
        client = Transports.connect(echo.uri());
        client.setListener(new FrameListener() {
            @Override
            public void onFrame(FrameChannel ch, Frame f) {
                try {
                    replies.put(f);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        request = new Frame(FrameType.ENVELOPE, new byte[payloadBytes]);
    }

    @Benchmark
    public Frame roundTrip() throws IOException, InterruptedException {
        client.send(request);
        return replies.take();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        client.close();
        echo.close();
        Transports.shutdown();
        if (dir != null) {
            Files.deleteIfExists(dir.resolve("echo.sock"));
            Files.deleteIfExists(dir);
        }
    }
}
