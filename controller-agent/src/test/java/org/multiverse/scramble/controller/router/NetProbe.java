package org.multiverse.scramble.controller.router;

import java.io.IOException;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A tiny network probe the leak tests run inside a namespace with
 * {@code ip netns exec NS java -cp ... NetProbe ...} (a JVM cannot switch namespaces).
 * <ul>
 * <li>{@code listen PORT}: accept on 0.0.0.0:PORT, print "READY", then "ACCEPTED addr" per
 * connection, until stdin closes.</li>
 * <li>{@code connect TIMEOUT_MS HOST:PORT...}: print "HOST:PORT CONNECTED|REFUSED|TIMEOUT|UNREACHABLE".</li>
 * <li>{@code udp HOST PORT MILLIS}: send a clear-text marker datagram every 5 ms for MILLIS.</li>
 * </ul>
 */
public final class NetProbe {
    static final String MARKER = "CLEARTEXT-MARKER";

    private NetProbe() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "listen" -> listen(Integer.parseInt(args[1]));
            case "connect" -> connect(Integer.parseInt(args[1]), args);
            case "udp" -> udp(args[1], Integer.parseInt(args[2]), Long.parseLong(args[3]));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static volatile boolean closing;

    private static void listen(int port) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress("0.0.0.0", port));
        // Accept with a short timeout so that, once the parent closes our stdin, connections the
        // kernel already completed (still in the backlog) are accepted and reported before we
        // exit: exiting at once would lose exactly the lines the test is waiting for.
        server.setSoTimeout(100);
        Thread watchdog = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // wait for the parent to close our stdin
                }
            } catch (IOException ignored) {
                // parent gone
            }
            closing = true;
        });
        watchdog.setDaemon(true);
        watchdog.start();
        System.out.println("READY");
        System.out.flush();
        while (true) {
            try (Socket s = server.accept()) {
                System.out.println("ACCEPTED " + s.getRemoteSocketAddress() + " -> " + s.getLocalSocketAddress());
                System.out.flush();
            } catch (java.net.SocketTimeoutException idle) {
                if (closing) {
                    System.exit(0);
                }
            }
        }
    }

    private static void connect(int timeoutMs, String[] args) {
        for (int i = 2; i < args.length; i++) {
            String target = args[i];
            int colon = target.lastIndexOf(':');
            String result;
            try (Socket s = new Socket()) {
                s.connect(
                        new InetSocketAddress(
                                target.substring(0, colon), Integer.parseInt(target.substring(colon + 1))),
                        timeoutMs);
                result = "CONNECTED";
            } catch (SocketTimeoutException e) {
                result = "TIMEOUT";
            } catch (NoRouteToHostException e) {
                result = "UNREACHABLE";
            } catch (ConnectException e) {
                result = e.getMessage() != null && e.getMessage().contains("refused") ? "REFUSED" : "UNREACHABLE";
            } catch (IOException e) {
                result = "UNREACHABLE";
            }
            System.out.println(target + " " + result);
        }
        System.out.flush();
    }

    private static void udp(String host, int port, long millis) throws Exception {
        long end = System.nanoTime() + millis * 1_000_000;
        int n = 0;
        try (DatagramSocket socket = new DatagramSocket()) {
            InetAddress address = InetAddress.getByName(host);
            while (System.nanoTime() < end) {
                byte[] payload = (MARKER + " " + n++).getBytes(StandardCharsets.US_ASCII);
                try {
                    socket.send(new DatagramPacket(payload, payload.length, address, port));
                } catch (IOException e) {
                    // "network unreachable" while a profile switches is expected: keep sending
                }
                Thread.sleep(5);
            }
        }
        System.out.println("SENT " + n);
    }
}
