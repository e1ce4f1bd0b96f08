package org.multiverse.scramble.protocol.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TransportUriTest {

    @Test
    void parsesEveryScheme() {
        TransportUri v = TransportUri.parse("virtio:/dev/virtio-ports/org.multiverse.host.0");
        assertEquals(Scheme.VIRTIO, v.scheme());
        assertEquals("/dev/virtio-ports/org.multiverse.host.0", v.path());
        assertNull(v.host());

        assertEquals(
                new TransportUri(Scheme.CHARDEV, "/var/lib/mv/p1.sock", null, 0),
                TransportUri.parse("chardev:/var/lib/mv/p1.sock"));
        assertEquals(
                new TransportUri(Scheme.UNIX, "/run/multiverse/host.sock", null, 0),
                TransportUri.parse("unix:/run/multiverse/host.sock"));
        assertEquals(new TransportUri(Scheme.TCP, null, "10.0.0.2", 7420), TransportUri.parse("tcp:10.0.0.2:7420"));
        assertEquals(new TransportUri(Scheme.TCP, null, "::1", 0), TransportUri.parse("tcp:[::1]:0"));
        assertEquals(
                new TransportUri(Scheme.TCP, null, "agent.local", 65535), TransportUri.parse("tcp:agent.local:65535"));
        assertEquals(new TransportUri(Scheme.SIM, "host-agent_1.x", null, 0), TransportUri.parse("sim:host-agent_1.x"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "virtio:/dev/virtio-ports/a",
                "chardev:/x.sock",
                "unix:/run/a.sock",
                "tcp:127.0.0.1:80",
                "tcp:[::1]:8080",
                "tcp:host:0",
                "sim:x"
            })
    void toStringRoundTrips(String text) {
        assertEquals(text, TransportUri.parse(text).toString());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "''|transport URI is empty",
                "'   '|transport URI is empty",
                "unix:|unix: needs an absolute path, e.g. unix:/run/multiverse/host.sock",
                "chardev:|chardev: needs an absolute path",
                "virtio:|virtio: needs an absolute path, e.g. virtio:/dev/virtio-ports/",
                "unix:run/host.sock|unix: path 'run/host.sock' is relative; give an absolute path",
                "chardev:./qemu.sock|chardev: path './qemu.sock' is relative",
                "virtio:dev/vport0p1|virtio: path 'dev/vport0p1' is relative",
                "tcp:|tcp: needs HOST:PORT",
                "tcp:host|tcp: 'host' has no port; expected tcp:HOST:PORT",
                "tcp:host:|tcp: port '' is not a number 0-65535",
                "tcp:host:99999|tcp: port 99999 is out of range 0-65535",
                "tcp:host:-1|tcp: port '-1' is not a number 0-65535",
                "tcp:host:8x|tcp: port '8x' is not a number 0-65535",
                "tcp:host:1234567|tcp: port '1234567' is not a number 0-65535",
                "tcp::80|tcp: host is empty in ':80'",
                "tcp:a b:80|tcp: 'a b' is not a host name or IPv4 address",
                "tcp:[::1|tcp: '[::1' opens an IPv6 address with '[' but never closes it",
                "tcp:[::1]|tcp: '[::1]' has no port; expected tcp:[ADDRESS]:PORT",
                "tcp:[]:80|tcp: '' is not an IPv6 address",
                "tcp:[zz]:80|tcp: 'zz' is not an IPv6 address",
                "foo:bar|unknown transport scheme 'foo' in 'foo:bar'; known schemes: virtio, chardev, unix, tcp, sim",
                "UNIX:/x|unknown transport scheme 'UNIX'",
                "/run/host.sock|transport URI '/run/host.sock' has no scheme",
                ":/x|transport URI ':/x' has no scheme",
                "sim:|sim: needs a link name",
                "sim:a/b|sim: name 'a/b' must be 1-64 characters",
            })
    void malformedUrisSayWhatIsWrong(String text, String expectedStart) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TransportUri.parse(text));
        assertTrue(e.getMessage().startsWith(expectedStart), () -> "message was: " + e.getMessage());
    }

    @Test
    void nullIsEmpty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TransportUri.parse(null));
        assertTrue(e.getMessage().startsWith("transport URI is empty"));
    }

    @Test
    void socketPathMustFitSunPath() {
        String ok = "/" + "a".repeat(TransportUri.MAX_SOCKET_PATH_BYTES - 1);
        assertEquals(ok, TransportUri.parse("unix:" + ok).path());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> TransportUri.parse("unix:" + ok + "b"));
        assertEquals("unix: path is 108 bytes long; at most 107 fit in a unix socket address", e.getMessage());
    }

    @Test
    void hostileInputIsNeutralisedInMessages() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> TransportUri.parse("evil\u001b[2J:" + "x".repeat(500)));
        assertTrue(e.getMessage().startsWith("unknown transport scheme 'evil?[2J'"), e.getMessage());
        assertTrue(e.getMessage().length() < 300, "long input is cut in the message");
        IllegalArgumentException nul =
                assertThrows(IllegalArgumentException.class, () -> TransportUri.parse("unix:/run/a\0b"));
        assertEquals("unix: path contains a NUL character", nul.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TransportUri.parse("sim:" + "n".repeat(65)));
        assertThrows(IllegalArgumentException.class, () -> TransportUri.parse("tcp:" + "h".repeat(254) + ":80"));
    }
}
