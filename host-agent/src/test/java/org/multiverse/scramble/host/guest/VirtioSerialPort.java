package org.multiverse.scramble.host.guest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * The host end of a virtio-serial port: QEMU's chardev unix socket, read line by line, every
 * wait bounded by a deadline.
 */
public final class VirtioSerialPort implements AutoCloseable {

    /** The guest's lines are short status lines; a longer one means garbage. */
    public static final int MAX_LINE_BYTES = 4096;

    /** How often to retry connecting while QEMU starts up and creates its socket. */
    private static final Duration CONNECT_RETRY = Duration.ofMillis(20);

    private final SocketChannel channel;
    private final Selector selector;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final ByteBuffer buffer = ByteBuffer.allocate(1024);

    private VirtioSerialPort(SocketChannel channel) throws IOException {
        this.channel = channel;
        channel.configureBlocking(false);
        this.selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
        buffer.flip();
    }

    /** Connects once QEMU listens, giving up at {@code deadline} or when QEMU has exited. */
    public static VirtioSerialPort connect(Path socket, Instant deadline, BooleanSupplier qemuAlive)
            throws IOException, InterruptedException {
        while (true) {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
                return new VirtioSerialPort(channel);
            } catch (IOException notYet) {
                channel.close();
                if (!qemuAlive.getAsBoolean()) {
                    throw new IOException("QEMU exited before its port socket " + socket + " accepted");
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IOException("no connection to " + socket + " by the deadline", notYet);
                }
                Thread.sleep(CONNECT_RETRY.toMillis());
            }
        }
    }

    public void writeLine(String text) throws IOException {
        ByteBuffer out = ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) {
            channel.write(out); // a few bytes into an empty socket buffer: never would block
        }
    }

    /**
     * The next line from the guest, without its newline.
     *
     * @throws IOException at the deadline, at end of stream, or for an over-long line
     */
    public String readLine(Instant deadline) throws IOException {
        while (true) {
            while (buffer.hasRemaining()) {
                byte b = buffer.get();
                if (b == '\n') {
                    String text = line.toString(StandardCharsets.UTF_8);
                    line.reset();
                    return text;
                }
                line.write(b);
                if (line.size() > MAX_LINE_BYTES) {
                    throw new IOException("guest line longer than " + MAX_LINE_BYTES + " bytes");
                }
            }
            long remaining = Duration.between(Instant.now(), deadline).toMillis();
            if (remaining <= 0) {
                throw new IOException("no complete line from the guest by the deadline (partial: "
                        + line.toString(StandardCharsets.UTF_8) + ")");
            }
            selector.select(remaining);
            selector.selectedKeys().clear();
            buffer.clear();
            int read = channel.read(buffer);
            buffer.flip();
            if (read < 0) {
                throw new IOException("the port closed (QEMU exited?)");
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            selector.close();
        } finally {
            channel.close();
        }
    }
}
