package org.multiverse.scramble.controller.tor;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against a scripted peer on a unix socket: authentication checks and hostile answers. */
class TorControlClientTest {
    @TempDir
    Path dir;

    /** Serves one connection: for each command line received, writes {@code script.apply(line)}. */
    CompletableFuture<List<String>> serve(Path socket, Function<String, String> script) throws Exception {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        return CompletableFuture.supplyAsync(() -> {
            List<String> received = new ArrayList<>();
            try (server;
                    SocketChannel c = server.accept()) {
                BufferedReader in = new BufferedReader(
                        new InputStreamReader(Channels.newInputStream(c), StandardCharsets.US_ASCII));
                OutputStream out = Channels.newOutputStream(c);
                String line;
                while ((line = in.readLine()) != null) {
                    received.add(line);
                    String answer = script.apply(line);
                    if (answer == null) {
                        break;
                    }
                    out.write(answer.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            } catch (Exception e) {
                received.add("ERROR " + e);
            }
            return received;
        });
    }

    @Test
    void authenticatesWithTheCookieAndReadsNewnymOutcome() throws Exception {
        Path cookie = dir.resolve("cookie");
        byte[] secret = new byte[32];
        for (int i = 0; i < 32; i++) {
            secret[i] = (byte) (i * 7);
        }
        Files.write(cookie, secret);
        Path socket = dir.resolve("c.sock");
        CompletableFuture<List<String>> peer = serve(socket, line -> {
            if (line.startsWith("PROTOCOLINFO")) {
                return "250-PROTOCOLINFO 1\r\n250-AUTH METHODS=COOKIE,SAFECOOKIE COOKIEFILE=\"" + cookie
                        + "\"\r\n250-VERSION Tor=\"0.4.9.11\"\r\n250 OK\r\n";
            }
            if (line.equals("SIGNAL NEWNYM")) {
                return "250 OK\r\n650 NOTICE Rate limiting NEWNYM request: delaying by 7 second(s)\r\n";
            }
            if (line.equals("QUIT")) {
                return null;
            }
            return "250 OK\r\n";
        });
        try (TorControlClient client = TorControlClient.connect(socket, cookie)) {
            NewnymOutcome outcome = client.newnym();
            assertEquals(NewnymOutcome.Kind.RATE_LIMITED, outcome.kind());
            assertEquals(7, outcome.delaySeconds().getAsInt());
            assertEquals("250 OK; 650 NOTICE Rate limiting NEWNYM request: delaying by 7 second(s)", outcome.torSaid());
            client.command("QUIT");
        } catch (TorControlException e) {
            // the peer hangs up on QUIT
            assertEquals("control connection closed by Tor", e.getMessage());
        }
        List<String> received = peer.get();
        assertEquals("AUTHENTICATE " + HexFormat.of().formatHex(secret), received.get(1));
        assertEquals(List.of("SETEVENTS SIGNAL NOTICE", "SIGNAL NEWNYM", "SETEVENTS"), received.subList(2, 5));
    }

    @Test
    void refusesACookiePathOtherThanOurs() throws Exception {
        Path socket = dir.resolve("c.sock");
        CompletableFuture<List<String>> peer = serve(
                socket,
                line -> line.startsWith("PROTOCOLINFO")
                        ? "250-AUTH METHODS=COOKIE COOKIEFILE=\"/etc/shadow\"\r\n250 OK\r\n"
                        : null);
        TorControlException e =
                assertThrows(TorControlException.class, () -> TorControlClient.connect(socket, dir.resolve("cookie")));
        assertEquals("Tor announced an unexpected cookie file; refusing to read it", e.getMessage());
        assertEquals(1, peer.get().size(), "nothing but PROTOCOLINFO may be sent");
    }

    @Test
    void reportsRefusedAuthenticationAndMissingCookieAuth() throws Exception {
        Path cookie = dir.resolve("cookie");
        Files.write(cookie, new byte[32]);
        Path socket = dir.resolve("a.sock");
        serve(
                socket,
                line -> line.startsWith("PROTOCOLINFO")
                        ? "250-AUTH METHODS=COOKIE COOKIEFILE=\"" + cookie + "\"\r\n250 OK\r\n"
                        : "515 Authentication failed: Wrong length on authentication cookie.\r\n");
        TorControlException refused =
                assertThrows(TorControlException.class, () -> TorControlClient.connect(socket, cookie));
        assertEquals(515, refused.status());
        assertTrue(refused.getMessage().startsWith("Tor refused authentication: 515 Authentication failed"));

        Path socket2 = dir.resolve("b.sock");
        serve(socket2, line -> "250-AUTH METHODS=HASHEDPASSWORD\r\n250 OK\r\n");
        assertTrue(assertThrows(TorControlException.class, () -> TorControlClient.connect(socket2, cookie))
                .getMessage()
                .startsWith("Tor does not offer cookie authentication"));
    }

    @Test
    void wrongSizedCookieAndUnreachableSocket() throws Exception {
        Path cookie = dir.resolve("cookie");
        Files.write(cookie, new byte[31]);
        Path socket = dir.resolve("c.sock");
        serve(socket, line -> "250-AUTH METHODS=COOKIE COOKIEFILE=\"" + cookie + "\"\r\n250 OK\r\n");
        assertEquals(
                "Tor's cookie file is not 32 bytes",
                assertThrows(TorControlException.class, () -> TorControlClient.connect(socket, cookie))
                        .getMessage());
        TorControlException none = assertThrows(
                TorControlException.class, () -> TorControlClient.connect(dir.resolve("absent.sock"), cookie));
        assertEquals(0, none.status());
        assertTrue(none.getMessage().startsWith("cannot reach Tor's control socket"));
    }
}
