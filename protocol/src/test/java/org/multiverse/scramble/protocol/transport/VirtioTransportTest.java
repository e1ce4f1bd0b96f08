package org.multiverse.scramble.protocol.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameEncoder;
import org.multiverse.scramble.protocol.frame.FrameType;

/** The guest's virtio-serial character device, played by a socat pty pair. */
class VirtioTransportTest {
    @TempDir
    Path dir;

    @BeforeEach
    void needSocat() {
        SocatPtyPair.requireSocat();
    }

    @Test
    void roundTripsOverACharacterDevice() throws Exception {
        try (SocatPtyPair pty = SocatPtyPair.start(dir.resolve("guest"), dir.resolve("host"))) {
            Inbox guestInbox = new Inbox();
            Inbox hostInbox = new Inbox();
            FrameChannel guest = Transports.connect(TransportUri.parse("virtio:" + pty.a));
            FrameChannel[] host = new FrameChannel[1];
            try (Listener l = Transports.listen(TransportUri.parse("virtio:" + pty.b), ch -> {
                ch.setListener(hostInbox);
                host[0] = ch;
            })) {
                guest.setListener(guestInbox);
                assertEquals("virtio:" + pty.a, guest.peer());
                Inbox.assertRoundTrips(guest, guestInbox, host[0], hostInbox);
                assertTrue(hostInbox.deliveringThread().startsWith("virtio-reader"));
            } finally {
                guest.close();
                if (host[0] != null) {
                    host[0].close();
                }
            }
            assertTrue(guestInbox.awaitClosed(Inbox.WAIT));
            assertFalse(guest.isOpen());
            assertThrows(IOException.class, () -> guest.send(Inbox.frame(FrameType.ENVELOPE, "late")));
        }
    }

    /**
     * A guest's virtio-serial port can be open once: a second open(2) is EBUSY. A pty can be
     * opened many times, so instead of relying on the stand-in to refuse, count the process's
     * descriptors on the device: exactly one, before and after a reopen.
     */
    @Test
    void holdsExactlyOneDescriptorOnTheDevice() throws Exception {
        try (SocatPtyPair pty = SocatPtyPair.start(dir.resolve("one"), dir.resolve("other"))) {
            Path device = pty.a.toRealPath();
            assertEquals(0, descriptorsOn(device));
            Inbox inbox = new Inbox();
            try (FrameChannel guest = Transports.connect(TransportUri.parse("virtio:" + pty.a))) {
                guest.setListener(inbox);
                assertEquals(1, descriptorsOn(device), "the device must be opened once, read-write");
                guest.send(Inbox.frame(FrameType.ENVELOPE, "one fd"));
                assertEquals(1, descriptorsOn(device));
            }
            assertEquals(0, descriptorsOn(device), "closing the channel releases the device");
        }
    }

    @Test
    void refusesAPathThatIsNotACharacterDeviceAndCreatesNothing() throws Exception {
        Path missing = dir.resolve("vport-missing");
        IOException e =
                assertThrows(IOException.class, () -> Transports.connect(TransportUri.parse("virtio:" + missing)));
        assertTrue(e.getMessage().contains("no such device"), e.getMessage());
        assertFalse(Files.exists(missing), "opening a missing port must not create a file");
        Path plain = Files.writeString(dir.resolve("plain-file"), "keep me");
        IOException notDevice =
                assertThrows(IOException.class, () -> Transports.connect(TransportUri.parse("virtio:" + plain)));
        assertTrue(notDevice.getMessage().contains("not a character device"), notDevice.getMessage());
        assertEquals("keep me", Files.readString(plain));
    }

    private static long descriptorsOn(Path device) throws IOException {
        long n = 0;
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    if (Files.readSymbolicLink(fd).equals(device)) {
                        n++;
                    }
                } catch (IOException closedMeanwhile) {
                    // The listing's own descriptor, or one closed since: not ours.
                }
            }
        }
        return n;
    }

    @Test
    void garbageAndTornFramesOnTheDeviceAreSkipped() throws Exception {
        try (SocatPtyPair pty = SocatPtyPair.start(dir.resolve("g"), dir.resolve("h"))) {
            Inbox inbox = new Inbox();
            try (FrameChannel guest = Transports.connect(TransportUri.parse("virtio:" + pty.a));
                    OutputStream host = Files.newOutputStream(pty.b)) {
                guest.setListener(inbox);
                byte[] good = FrameEncoder.encode(Inbox.frame(FrameType.REPLY, "survivor"));
                host.write("boot noise\r\n".getBytes(StandardCharsets.US_ASCII));
                host.write(good, 0, good.length / 2); // torn frame
                host.write(good);
                host.flush();
                Frame f = inbox.take();
                assertEquals("survivor", new String(f.payload(), StandardCharsets.UTF_8));
                assertTrue(
                        guest.counters().skippedBytes() >= 12, guest.counters().toString());
            }
        }
    }

    @Test
    void reopensTheDeviceWhenTheOtherSideComesBack() throws Exception {
        Path a = dir.resolve("ra");
        Path b = dir.resolve("rb");
        SocatPtyPair first = SocatPtyPair.start(a, b);
        Inbox guestInbox = new Inbox();
        try (FrameChannel guest = Transports.connect(TransportUri.parse("virtio:" + a))) {
            guest.setListener(guestInbox);
            try (FrameChannel host = Transports.connect(TransportUri.parse("virtio:" + b))) {
                Inbox hostInbox = new Inbox();
                host.setListener(hostInbox);
                guest.send(Inbox.frame(FrameType.ENVELOPE, "one"));
                assertEquals("one", new String(hostInbox.take().payload(), StandardCharsets.UTF_8));
                first.close(); // the host side goes away (QEMU restart)
            }
            try (SocatPtyPair second = SocatPtyPair.start(a, b);
                    FrameChannel host = Transports.connect(TransportUri.parse("virtio:" + b))) {
                Inbox hostInbox = new Inbox();
                host.setListener(hostInbox);
                assertTrue(guest.isOpen(), "the device channel outlives a host restart");
                // The guest reopens its device after read errors; poll until a frame gets through.
                long deadline = System.nanoTime() + Inbox.WAIT.toNanos();
                Frame got = null;
                while (got == null && System.nanoTime() < deadline) {
                    host.send(Inbox.frame(FrameType.EVENT, "two"));
                    got = guestInbox.poll(java.time.Duration.ofMillis(200));
                }
                assertTrue(got != null, "no frame after the restart");
                assertArrayEquals("two".getBytes(StandardCharsets.UTF_8), got.payload());
                guest.send(Inbox.frame(FrameType.ENVELOPE, "three"));
                assertEquals("three", new String(hostInbox.take().payload(), StandardCharsets.UTF_8));
            }
        } finally {
            first.close();
        }
    }
}
