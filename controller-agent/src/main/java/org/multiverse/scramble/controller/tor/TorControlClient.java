package org.multiverse.scramble.controller.tor;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Queue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client for Tor's control protocol over its unix control socket, authenticating with
 * the cookie (PROTOCOLINFO, then AUTHENTICATE with the cookie in hex). Every read has a
 * deadline: a wedged Tor yields an error, not a hung agent. Not thread-safe.
 */
public final class TorControlClient implements AutoCloseable {
    /** One command's reply normally arrives in milliseconds; Tor under load may take seconds. */
    public static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);
    /** Tor writes a 32-byte cookie (control-spec §3.24 / §5.1). */
    static final int COOKIE_LENGTH = 32;
    /** How long to wait for Tor's event after SIGNAL NEWNYM; it follows the 250 at once. */
    static final Duration NEWNYM_EVENT_WAIT = Duration.ofSeconds(3);
    /** Events kept while waiting for a reply; older ones are dropped. */
    static final int MAX_QUEUED_EVENTS = 256;

    private static final Pattern INFO_KEY = Pattern.compile("[a-zA-Z0-9/_.-]{1,100}");
    private static final Pattern RATE_LIMIT =
            Pattern.compile("Rate limiting NEWNYM request: delaying by (\\d{1,6}) second");

    private final SocketChannel channel;
    private final Selector selector;
    private final TorReplyReader reader;
    private final Queue<TorReply> events = new ArrayDeque<>();
    private long deadline;

    private TorControlClient(SocketChannel channel, Selector selector) {
        this.channel = channel;
        this.selector = selector;
        this.reader = new TorReplyReader(this::readSome);
    }

    /**
     * Connects to the control socket and authenticates with the cookie, which must be the
     * file {@code expectedCookie} (a Tor announcing another path is refused: it could make
     * us read and send any file).
     */
    public static TorControlClient connect(Path socket, Path expectedCookie) throws TorControlException {
        SocketChannel channel;
        Selector selector;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (IOException e) {
            throw new TorControlException("cannot open a unix socket: " + e.getMessage(), e);
        }
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.configureBlocking(false);
            selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new TorControlException("cannot reach Tor's control socket " + socket + ": " + e.getMessage(), e);
        }
        TorControlClient client = new TorControlClient(channel, selector);
        try {
            client.authenticate(expectedCookie);
            return client;
        } catch (TorControlException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private void authenticate(Path expectedCookie) throws TorControlException {
        TorReply info = command("PROTOCOLINFO 1");
        String cookieFile = null;
        boolean cookieAllowed = false;
        for (TorReply.Line line : info.lines()) {
            if (line.text().startsWith("AUTH ")) {
                Map<String, String> args =
                        BootstrapPhase.KeywordArgs.parse(line.text().substring(5));
                cookieAllowed = Arrays.asList(args.getOrDefault("METHODS", "").split(","))
                        .contains("COOKIE");
                cookieFile = args.get("COOKIEFILE");
            }
        }
        if (!cookieAllowed || cookieFile == null) {
            throw new TorControlException(
                    0, "Tor does not offer cookie authentication (PROTOCOLINFO: " + info.summary() + ")");
        }
        if (!Path.of(cookieFile)
                .normalize()
                .equals(expectedCookie.toAbsolutePath().normalize())) {
            throw new TorControlException(0, "Tor announced an unexpected cookie file; refusing to read it");
        }
        byte[] cookie;
        try {
            if (Files.size(expectedCookie) != COOKIE_LENGTH) {
                throw new TorControlException(0, "Tor's cookie file is not " + COOKIE_LENGTH + " bytes");
            }
            cookie = Files.readAllBytes(expectedCookie);
        } catch (IOException e) {
            throw new TorControlException("cannot read Tor's cookie: " + e.getMessage(), e);
        }
        byte[] line = new byte[13 + 2 * COOKIE_LENGTH + 2];
        try {
            if (cookie.length != COOKIE_LENGTH) {
                throw new TorControlException(0, "Tor's cookie file changed size while read");
            }
            byte[] prefix = "AUTHENTICATE ".getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(prefix, 0, line, 0, prefix.length);
            HexFormat hex = HexFormat.of();
            for (int i = 0; i < COOKIE_LENGTH; i++) {
                line[prefix.length + 2 * i] = (byte) hex.toHighHexDigit(cookie[i]);
                line[prefix.length + 2 * i + 1] = (byte) hex.toLowHexDigit(cookie[i]);
            }
            line[line.length - 2] = '\r';
            line[line.length - 1] = '\n';
            TorReply reply = send(line);
            if (!reply.isOk()) {
                throw new TorControlException(reply.status(), "Tor refused authentication: " + reply.summary());
            }
        } finally {
            Arrays.fill(cookie, (byte) 0);
            Arrays.fill(line, (byte) 0);
        }
    }

    /** {@code GETINFO key...}: each key's value (data blocks included). */
    public Map<String, String> getInfo(String... keys) throws TorControlException {
        for (String key : keys) {
            if (!INFO_KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("invalid GETINFO key");
            }
        }
        TorReply reply = expectOk(command("GETINFO " + String.join(" ", keys)));
        Map<String, String> values = new HashMap<>();
        for (TorReply.Line line : reply.lines()) {
            int eq = line.text().indexOf('=');
            if (eq > 0) {
                values.put(
                        line.text().substring(0, eq),
                        line.data().orElse(line.text().substring(eq + 1)));
            }
        }
        for (String key : keys) {
            if (!values.containsKey(key)) {
                throw new TorControlException(0, "GETINFO reply lacks " + key);
            }
        }
        return values;
    }

    /** Tor's bootstrap progress. */
    public BootstrapPhase bootstrapPhase() throws TorControlException {
        return BootstrapPhase.parse(getInfo("status/bootstrap-phase").get("status/bootstrap-phase"));
    }

    /**
     * Sends {@code SIGNAL NEWNYM} and reports what Tor did: Tor answers 250 and then either
     * emits the SIGNAL event (applied) or logs its rate-limit notice (deferred).
     */
    public NewnymOutcome newnym() throws TorControlException {
        expectOk(command("SETEVENTS SIGNAL NOTICE"));
        try {
            TorReply ok = expectOk(command("SIGNAL NEWNYM"));
            long waitUntil = System.nanoTime() + NEWNYM_EVENT_WAIT.toNanos();
            while (true) {
                TorReply event = nextEvent(waitUntil);
                if (event == null) {
                    return new NewnymOutcome(NewnymOutcome.Kind.ACCEPTED, OptionalInt.empty(), ok.summary());
                }
                String text = event.lines().get(0).text();
                if (text.equals("SIGNAL NEWNYM")) {
                    return new NewnymOutcome(
                            NewnymOutcome.Kind.APPLIED, OptionalInt.empty(), ok.summary() + "; " + event.summary());
                }
                Matcher m = RATE_LIMIT.matcher(text);
                if (text.startsWith("NOTICE ") && m.find()) {
                    return new NewnymOutcome(
                            NewnymOutcome.Kind.RATE_LIMITED,
                            OptionalInt.of(Integer.parseInt(m.group(1))),
                            ok.summary() + "; " + event.summary());
                }
            }
        } finally {
            expectOk(command("SETEVENTS"));
            events.clear();
        }
    }

    /** Sends one command line and returns its reply (events that arrive meanwhile are queued). */
    public TorReply command(String line) throws TorControlException {
        if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a control command is a single line");
        }
        return send((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    private TorReply send(byte[] bytes) throws TorControlException {
        deadline = System.nanoTime() + REPLY_TIMEOUT.toNanos();
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                if (channel.write(buffer) == 0) {
                    waitFor(SelectionKey.OP_WRITE);
                }
            }
            while (true) {
                TorReply reply = reader.read();
                if (!reply.isEvent()) {
                    return reply;
                }
                queue(reply);
            }
        } catch (IOException e) {
            throw new TorControlException("control connection failed: " + e.getMessage(), e);
        }
    }

    private TorReply nextEvent(long until) throws TorControlException {
        if (!events.isEmpty()) {
            return events.poll();
        }
        deadline = until;
        try {
            TorReply reply = reader.read();
            if (!reply.isEvent()) {
                throw new TorControlException(0, "unexpected reply without a command: " + reply.summary());
            }
            return reply;
        } catch (DeadlineException e) {
            return null;
        } catch (IOException e) {
            throw new TorControlException("control connection failed: " + e.getMessage(), e);
        }
    }

    private void queue(TorReply event) {
        if (events.size() >= MAX_QUEUED_EVENTS) {
            events.poll();
        }
        events.add(event);
    }

    private static TorReply expectOk(TorReply reply) throws TorControlException {
        if (!reply.isOk()) {
            throw new TorControlException(reply.status(), "Tor answered: " + reply.summary());
        }
        return reply;
    }

    private int readSome(byte[] buffer) throws IOException {
        while (true) {
            int n = channel.read(ByteBuffer.wrap(buffer));
            if (n != 0) {
                return n;
            }
            waitFor(SelectionKey.OP_READ);
        }
    }

    private void waitFor(int op) throws IOException {
        SelectionKey key = channel.keyFor(selector);
        key.interestOps(op);
        long remaining = (deadline - System.nanoTime()) / 1_000_000;
        if (remaining <= 0 || selector.select(remaining) == 0 && System.nanoTime() >= deadline) {
            throw new DeadlineException();
        }
        selector.selectedKeys().clear();
    }

    /** A read or write ran past its deadline. */
    static final class DeadlineException extends IOException {
        private static final long serialVersionUID = 1L;

        DeadlineException() {
            super("Tor did not answer within the time limit");
        }
    }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing; nothing to recover
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing; nothing to recover
        }
    }
}
