package org.multiverse.scramble.host.qemu;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A client for the QEMU Machine Protocol on a unix socket: reads the greeting, enters
 * command mode ({@code qmp_capabilities}), sends commands with ids and matches replies
 * by id, hands asynchronous events to a listener, and bounds every wait. One reader
 * thread per connection; {@link #execute} may be called from any thread.
 */
public final class QmpClient implements AutoCloseable {

    /**
     * The largest message accepted. Our commands' replies are a few hundred bytes; a
     * longer line means a broken or hostile peer, and reading it whole would cost memory.
     */
    static final int MAX_MESSAGE_BYTES = 1 << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SocketChannel channel;
    private final Consumer<QmpEvent> events;
    private final Runnable onClose;
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<JsonNode> greeting = new CompletableFuture<>();
    private final Object writeLock = new Object();

    QmpClient(SocketChannel channel, Consumer<QmpEvent> events, Runnable onClose) {
        this.channel = channel;
        this.events = events;
        this.onClose = onClose;
    }

    /**
     * Connects, waits for the greeting and negotiates capabilities.
     *
     * @param socket  QEMU's QMP unix socket
     * @param timeout bound on greeting and negotiation together
     * @param events  receives events on the reader thread (keep it short)
     * @param onClose runs once when the connection ends, for whatever reason
     * @throws IOException  when the socket cannot be connected
     * @throws QmpException when the peer does not speak QMP in time
     */
    public static QmpClient connect(Path socket, Duration timeout, Consumer<QmpEvent> events, Runnable onClose)
            throws IOException, QmpException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        QmpClient client = new QmpClient(ch, events, onClose);
        Thread reader = new Thread(client::readLoop, "qmp-" + socket.getParent().getFileName());
        reader.setDaemon(true);
        reader.start();
        try {
            JsonNode hello = client.greeting.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (!hello.path("QMP").isObject()) {
                throw new QmpException("Protocol", "the peer on " + socket + " does not speak QMP");
            }
            client.execute("qmp_capabilities", Map.of(), timeout);
            return client;
        } catch (TimeoutException e) {
            client.close();
            throw new QmpException("Timeout", "no QMP greeting on " + socket + " within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            client.close();
            throw new QmpException("Disconnected", "QMP connection on " + socket + " ended before the greeting");
        } catch (InterruptedException e) {
            client.close();
            Thread.currentThread().interrupt();
            throw new QmpException("Disconnected", "interrupted while waiting for QMP");
        } catch (QmpException e) {
            client.close();
            throw e;
        }
    }

    /**
     * Runs one command and returns its {@code return} value.
     *
     * @throws QmpException with QEMU's error class and description, or {@code Timeout} /
     *                      {@code Disconnected}
     */
    public JsonNode execute(String command, Map<String, ?> arguments, Duration timeout) throws QmpException {
        if (closed.get()) {
            throw new QmpException("Disconnected", "the QMP connection is closed");
        }
        long id = nextId.getAndIncrement();
        ObjectNode request = JsonNodeFactory.instance.objectNode();
        request.put("execute", command);
        if (!arguments.isEmpty()) {
            request.set("arguments", JSON.valueToTree(arguments));
        }
        request.put("id", id);
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        try {
            byte[] bytes = (JSON.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8);
            synchronized (writeLock) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    channel.write(buf);
                }
            }
            JsonNode answer = reply.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            JsonNode error = answer.get("error");
            if (error != null) {
                throw new QmpException(
                        error.path("class").asText("GenericError"),
                        command + ": " + error.path("desc").asText("(no description)"));
            }
            return answer.path("return");
        } catch (IOException e) {
            throw new QmpException("Disconnected", command + ": cannot write to QMP: " + e.getMessage());
        } catch (TimeoutException e) {
            throw new QmpException("Timeout", command + ": no QMP answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw new QmpException("Disconnected", command + ": the QMP connection closed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpException("Disconnected", command + ": interrupted");
        } finally {
            pending.remove(id);
        }
    }

    /** Whether the connection still stands. */
    public boolean isOpen() {
        return !closed.get();
    }

    /** Closes the connection; pending commands fail with {@code Disconnected}. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing a unix socket only fails when it is already gone.
        }
        IOException gone = new IOException("QMP connection closed");
        greeting.completeExceptionally(gone);
        pending.values().forEach(f -> f.completeExceptionally(gone));
        onClose.run();
    }

    private void readLoop() {
        try (InputStream in = Channels.newInputStream(channel)) {
            readMessages(in);
        } catch (IOException | RuntimeException e) {
            // The connection ends: QEMU exited, we closed it, or the peer misbehaved.
        } finally {
            close();
        }
    }

    /**
     * Reads newline-ended JSON messages until end of stream and dispatches each: the greeting,
     * events to the listener, replies to the waiting command.
     *
     * @throws IOException when the peer misbehaves (a message too long, not JSON, not an object)
     */
    void readMessages(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(512);
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            for (int i = 0; i < n; i++) {
                byte b = buf[i];
                if (b == '\n') {
                    dispatch(line.toByteArray());
                    line.reset();
                } else if (line.size() >= MAX_MESSAGE_BYTES) {
                    throw new IOException("QMP message longer than " + MAX_MESSAGE_BYTES + " bytes");
                } else {
                    line.write(b);
                }
            }
        }
    }

    private void dispatch(byte[] line) throws JsonProcessingException {
        String text = new String(line, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            return;
        }
        JsonNode message = JSON.readTree(text);
        if (message == null || !message.isObject()) {
            throw new JsonProcessingException("QMP message is not a JSON object") {
                private static final long serialVersionUID = 1L;
            };
        }
        if (message.has("QMP")) {
            greeting.complete(message);
        } else if (message.has("event")) {
            JsonNode ts = message.path("timestamp");
            long micros = ts.path("seconds").asLong() * 1_000_000L
                    + ts.path("microseconds").asLong();
            JsonNode data = message.has("data") ? message.get("data") : JsonNodeFactory.instance.objectNode();
            try {
                events.accept(new QmpEvent(message.path("event").asText(), data, micros));
            } catch (RuntimeException listenerBug) {
                // A listener's failure must not cut the VM's control connection.
            }
        } else if (message.has("id") && (message.has("return") || message.has("error"))) {
            CompletableFuture<JsonNode> f = pending.get(message.get("id").asLong());
            if (f != null) {
                f.complete(message);
            }
        }
    }
}
