package org.multiverse.scramble.controller.vpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.multiverse.scramble.controller.net.Endpoint;

class WgDumpTest {
    static final String PUB = WireGuardProfileParserTest.PUB;

    @Test
    void parsesInterfaceAndPeer() {
        WgDump.Dump d = WgDump.parse("(redacted)\t" + PUB + "\t35300\t0x4d56\n" + PUB
                + "\t(none)\t10.9.9.1:51820\t0.0.0.0/0\t1795702810\t92\t212\t1\n");
        assertEquals(35300, d.listenPort());
        PeerStatus p = d.peers().get(0);
        assertEquals(Optional.of(Endpoint.parse("10.9.9.1:51820")), p.endpoint());
        assertEquals(Optional.of(Instant.ofEpochSecond(1795702810)), p.latestHandshake());
        assertEquals(92, p.rxBytes());
        assertEquals(212, p.txBytes());
    }

    @Test
    void peerWithoutHandshakeOrEndpoint() {
        PeerStatus p = WgDump.parse("(none)\t(none)\t0\toff\n" + PUB + "\t(none)\t(none)\t(none)\t0\t0\t0\toff")
                .peers()
                .get(0);
        assertEquals(Optional.empty(), p.endpoint());
        assertEquals(Optional.empty(), p.latestHandshake());
    }

    @Test
    void refusesMalformedDumps() {
        assertEquals(
                "wg dump: empty output",
                assertThrows(IllegalArgumentException.class, () -> WgDump.parse(""))
                        .getMessage());
        assertEquals(
                "wg dump: line 1 has 2 fields, expected 4",
                assertThrows(IllegalArgumentException.class, () -> WgDump.parse("a\tb"))
                        .getMessage());
        String head = "x\tx\t1\toff\n";
        assertEquals(
                "wg dump: line 2 has 3 fields, expected 8",
                assertThrows(IllegalArgumentException.class, () -> WgDump.parse(head + "a\tb\tc"))
                        .getMessage());
        assertEquals(
                "wg dump: line 2 latest-handshake is not a number",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> WgDump.parse(head + PUB + "\t(none)\t(none)\t(none)\t-5\t0\t0\toff"))
                        .getMessage());
        assertEquals(
                "wg dump: line 2 transfer-rx is not a number",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> WgDump.parse(
                                        head + PUB + "\t(none)\t(none)\t(none)\t0\t99999999999999999999\t0\toff"))
                        .getMessage());
        assertEquals(
                "wg dump: line 2 endpoint: endpoint '[::1]:5' contains the forbidden character '[' at position 1"
                        + " (only an IPv4 address and a port are accepted)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> WgDump.parse(head + PUB + "\t(none)\t[::1]:5\t(none)\t0\t0\t0\toff"))
                        .getMessage());
        assertEquals(
                "wg dump: line 1 listen-port is out of range",
                assertThrows(IllegalArgumentException.class, () -> WgDump.parse("x\tx\t70000\toff"))
                        .getMessage());
    }
}
