package org.multiverse.scramble.host.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** QMP against a scripted peer: replies by id, events, errors, timeouts, hostile peers. */
class QmpClientTest {

    private static final String GREETING = "{\"QMP\": {\"version\": {}, \"capabilities\": []}}\r\n";
    private static final Duration SHORT = Duration.ofMillis(500);

    @TempDir
    Path dir;

    private ServerSocketChannel server;
    private final CompletableFuture<Void> peerDone = new CompletableFuture<>();

    interface Script {
        void run(BufferedReader in, OutputStream out) throws Exception;
    }

    private Path serve(Script script) throws Exception {
        Path sock = dir.resolve("qmp.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(sock));
        Thread t = new Thread(() -> {
            try (SocketChannel c = server.accept()) {
                script.run(
                        new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8)),
                        Channels.newOutputStream(c));
                peerDone.complete(null);
            } catch (Exception e) {
                peerDone.completeExceptionally(e);
            }
        });
        t.setDaemon(true);
        t.start();
        return sock;
    }

    @AfterEach
    void close() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static void send(OutputStream out, String s) throws Exception {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static long idOf(String request) {
        return Long.parseLong(request.replaceAll(".*\"id\":([0-9]+).*", "$1"));
    }

    @Test
    void negotiatesMatchesRepliesByIdAndDeliversEvents() throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        Path sock = serve((in, out) -> {
            send(out, GREETING);
            String caps = in.readLine();
            assertTrue(caps.contains("\"execute\":\"qmp_capabilities\""), caps);
            send(out, "{\"return\": {}, \"id\": " + idOf(caps) + "}\r\n");
            String q = in.readLine();
            // An event arrives between a command and its reply.
            send(out, "{\"event\": \"STOP\", \"timestamp\": {\"seconds\": 1, \"microseconds\": 5}}\r\n");
            send(out, "{\"return\": {\"status\": \"paused\", \"running\": false}, \"id\": " + idOf(q) + "}\r\n");
            String bad = in.readLine();
            send(
                    out,
                    "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command nope has not been found\"}, \"id\": "
                            + idOf(bad) + "}\r\n");
            hold.await(5, TimeUnit.SECONDS);
        });
        List<QmpEvent> events = new CopyOnWriteArrayList<>();
        CountDownLatch closed = new CountDownLatch(1);
        try (QmpClient c = QmpClient.connect(sock, SHORT, events::add, closed::countDown)) {
            assertEquals(
                    "paused",
                    c.execute("query-status", Map.of(), SHORT).path("status").asText());
            assertEquals(1, events.size());
            assertEquals("STOP", events.get(0).name());
            assertEquals(1_000_005L, events.get(0).timestampMicros());
            QmpException e = assertThrows(QmpException.class, () -> c.execute("nope", Map.of(), SHORT));
            assertEquals("CommandNotFound", e.errorClass());
            assertTrue(e.getMessage().contains("has not been found"));
            hold.countDown();
            assertTrue(closed.await(5, TimeUnit.SECONDS), "peer hang-up is noticed");
            assertFalse(c.isOpen());
            assertEquals(
                    "Disconnected",
                    assertThrows(QmpException.class, () -> c.execute("query-status", Map.of(), SHORT))
                            .errorClass());
        }
    }

    @Test
    void silentPeerTimesOut() throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        Path sock = serve((in, out) -> hold.await(5, TimeUnit.SECONDS));
        QmpException e = assertThrows(
                QmpException.class, () -> QmpClient.connect(sock, Duration.ofMillis(100), ev -> {}, () -> {}));
        assertEquals("Timeout", e.errorClass());
        hold.countDown();
    }

    @Test
    void unansweredCommandTimesOut() throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        Path sock = serve((in, out) -> {
            send(out, GREETING);
            String caps = in.readLine();
            send(out, "{\"return\": {}, \"id\": " + idOf(caps) + "}\r\n");
            hold.await(5, TimeUnit.SECONDS);
        });
        try (QmpClient c = QmpClient.connect(sock, SHORT, ev -> {}, () -> {})) {
            QmpException e =
                    assertThrows(QmpException.class, () -> c.execute("query-status", Map.of(), Duration.ofMillis(100)));
            assertEquals("Timeout", e.errorClass());
        }
        hold.countDown();
    }

    @Test
    void aPeerThatIsNotQmpIsRefused() throws Exception {
        Path sock = serve((in, out) -> send(out, "{\"hello\": 1}\r\n"));
        QmpException e = assertThrows(QmpException.class, () -> QmpClient.connect(sock, SHORT, ev -> {}, () -> {}));
        assertTrue(
                e.getMessage().contains("ended before the greeting")
                        || e.getMessage().contains("does not speak QMP"),
                e.getMessage());
    }

    @Test
    void malformedJsonOrOversizedLinesCloseTheConnection() throws Exception {
        Path sock = serve((in, out) -> send(out, "{not json\r\n"));
        assertThrows(QmpException.class, () -> QmpClient.connect(sock, SHORT, ev -> {}, () -> {}));
        server.close();
        java.nio.file.Files.delete(dir.resolve("qmp.sock"));
        Path sock2 = serve((in, out) -> {
            byte[] junk = new byte[QmpClient.MAX_MESSAGE_BYTES + 10];
            java.util.Arrays.fill(junk, (byte) 'x');
            try {
                out.write(junk);
                out.flush();
            } catch (java.io.IOException expected) {
                // the client hangs up once the line is too long
            }
        });
        QmpException e = assertThrows(
                QmpException.class, () -> QmpClient.connect(sock2, Duration.ofSeconds(5), ev -> {}, () -> {}));
        assertEquals("Disconnected", e.errorClass());
    }
}
