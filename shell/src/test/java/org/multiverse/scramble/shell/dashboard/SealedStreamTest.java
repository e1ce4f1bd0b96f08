package org.multiverse.scramble.shell.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.junit.jupiter.api.Test;
import org.multiverse.scramble.protocol.v1.EventBody;

/** Opening a node's sealed stream with the session key, and counting what did not come or did not open. */
class SealedStreamTest {

    private final X25519PrivateKeyParameters session = new X25519PrivateKeyParameters(new SecureRandom());
    private final SealingNode node = new SealingNode("arm0", "temp", 42, SealingNode.publicOf(session));

    private SealedStream open() {
        return SealedStream.start(node.start(), session);
    }

    private static List<Double> values(SealedStream s, EventBody e) {
        return s.open(e).values();
    }

    @Test
    void opensTheValuesTheNodeSealed() {
        try (SealedStream s = open()) {
            assertEquals("arm0", s.node());
            assertEquals("temp", s.channel());
            assertEquals(42, s.streamId());
            assertEquals(List.of(0.25, -1.5, 3.0), values(s, node.batch(node.seal(0, 0.25f, -1.5f, 3f))));
            assertEquals(3, s.shown());
            assertEquals(0, s.lost());
            assertEquals(0, s.unopened());
            assertFalse(s.ended());
            assertEquals(List.of(4.0), values(s, node.batch(List.of(node.seal(3, 4f, true)))));
            assertTrue(s.ended());
        }
    }

    @Test
    void gapsAreLost() {
        try (SealedStream s = open()) {
            values(s, node.batch(List.of(node.seal(2, 1f, false), node.seal(3, 1f, false), node.seal(10, 1f, false))));
            // 0 and 1 before the first, 4..9 between.
            assertEquals(8, s.lost());
            assertEquals(3, s.shown());
        }
    }

    @Test
    void anAlteredSampleIsDroppedCountedAndNotAlsoLost() {
        try (SealedStream s = open()) {
            List<SealingNode.Sealed> batch = node.seal(0, 1f, 2f, 3f, 4f);
            batch.get(1).sealed[19] ^= (byte) 0x80;
            EventBody e = node.batch(batch);
            assertEquals(List.of(1.0, 3.0, 4.0), values(s, e));
            assertEquals(1, s.unopened());
            assertEquals(0, s.lost());
        }
    }

    @Test
    void anAlteredHeaderDoesNotOpenEither() {
        try (SealedStream s = open()) {
            List<SealingNode.Sealed> batch = node.seal(0, 1f, 2f);
            // The clear time is bound by the associated data: a bridge cannot move a sample in time.
            SealingNode.Sealed moved = new SealingNode.Sealed(1, batch.get(1).nodeTime + 1, false, batch.get(1).sealed);
            assertEquals(List.of(1.0), values(s, node.batch(List.of(batch.get(0), moved))));
            // Nor mark it as the last.
            SealingNode.Sealed last = new SealingNode.Sealed(1, batch.get(1).nodeTime, true, batch.get(1).sealed);
            assertEquals(List.of(), values(s, node.batch(List.of(last))));
            assertEquals(2, s.unopened());
            assertFalse(s.ended());
        }
    }

    @Test
    void aReplayedBatchDoesNotOpenTwice() {
        try (SealedStream s = open()) {
            EventBody e = node.batch(node.seal(0, 1f, 2f));
            assertEquals(2, values(s, e).size());
            assertEquals(List.of(), values(s, e));
            assertEquals(2, s.unopened());
            assertEquals(2, s.shown());
        }
    }

    @Test
    void aLateSampleIsTakenOffTheLossButNotDrawn() {
        try (SealedStream s = open()) {
            List<SealingNode.Sealed> all = node.seal(0, 1f, 2f, 3f);
            values(s, node.batch(List.of(all.get(0), all.get(2))));
            assertEquals(1, s.lost());
            assertEquals(List.of(), values(s, node.batch(List.of(all.get(1)))));
            assertEquals(0, s.lost());
            assertEquals(2, s.shown());
        }
    }

    @Test
    void samplesSealedToAnotherSessionDoNotOpen() {
        SealingNode elsewhere = new SealingNode(
                "arm0", "temp", 42, SealingNode.publicOf(new X25519PrivateKeyParameters(new SecureRandom())));
        try (SealedStream s = SealedStream.start(elsewhere.start(), session)) {
            assertEquals(List.of(), values(s, elsewhere.batch(elsewhere.seal(0, 1f, 2f))));
            assertEquals(2, s.unopened());
        }
    }

    @Test
    void itsOwnEventsAreTheOnesOfItsNodeAndStream() {
        try (SealedStream s = open()) {
            EventBody e = node.batch(node.seal(0, 1f));
            assertTrue(s.owns(e));
            assertFalse(s.owns(e.toBuilder().setSubject("arm1").build()));
            assertFalse(s.owns(e.toBuilder().putAttributes("stream_id", "43").build()));
            assertFalse(s.owns(e.toBuilder().removeAttributes("stream_id").build()));
        }
    }

    @Test
    void aClosedStreamOpensNothing() {
        SealedStream s = open();
        s.close();
        assertEquals(List.of(), values(s, node.batch(node.seal(0, 1f))));
        assertEquals(1, s.unopened());
    }

    private String startError(EventBody.Builder e) {
        return assertThrows(IllegalArgumentException.class, () -> SealedStream.start(e.build(), session))
                .getMessage();
    }

    @Test
    void aMalformedStartIsRefusedByName() {
        EventBody start = node.start();
        String b64Short = Base64.getEncoder().encodeToString(new byte[31]);
        assertEquals("stream start: no node", startError(start.toBuilder().removeAttributes("node")));
        assertEquals("stream start: no channel", startError(start.toBuilder().removeAttributes("channel")));
        assertEquals("stream start: no stream_id", startError(start.toBuilder().removeAttributes("stream_id")));
        assertEquals(
                "stream start: stream_id is not a 32-bit number",
                startError(start.toBuilder().putAttributes("stream_id", "4294967296")));
        assertEquals(
                "stream start: stream_id is not a 32-bit number",
                startError(start.toBuilder().putAttributes("stream_id", "-1")));
        assertEquals(
                "stream start: no node_public_key", startError(start.toBuilder().removeAttributes("node_public_key")));
        assertEquals(
                "stream start: node_public_key is not base64",
                startError(start.toBuilder().putAttributes("node_public_key", "not base64!")));
        assertEquals(
                "stream start: encapsulated_key is not base64",
                startError(start.toBuilder().putAttributes("encapsulated_key", "%%%%")));
        assertEquals(
                "stream start: no hpke_stream_id", startError(start.toBuilder().removeAttributes("hpke_stream_id")));
        assertEquals(
                "stream start: hpke_stream_id does not end in the stream id",
                startError(start.toBuilder().putAttributes("hpke_stream_id", "rtos/arm0-id/41")));
        assertEquals(
                "stream start: the node key or encapsulated key is not usable",
                startError(start.toBuilder().putAttributes("node_public_key", b64Short)));
        assertEquals(
                "stream start: the node key or encapsulated key is not usable",
                startError(start.toBuilder().putAttributes("encapsulated_key", b64Short)));
        assertEquals(
                "stream start: the node key or encapsulated key is not usable",
                startError(start.toBuilder().putAttributes("hpke_stream_id", "x".repeat(100) + "/42")));
        // The all-zero point: a low-order key gives an all-zero shared secret.
        assertEquals(
                "stream start: the node key or encapsulated key is not usable",
                startError(start.toBuilder()
                        .putAttributes("encapsulated_key", Base64.getEncoder().encodeToString(new byte[32]))));
    }

    @Test
    void aStartWithTheWrongEncapsulatedKeyOpensNothing() {
        SealingNode second = new SealingNode("arm0", "temp", 42, SealingNode.publicOf(session));
        // The first stream's node key with the second's enc: set up, but nothing opens.
        EventBody mixed = node.start().toBuilder()
                .putAttributes("encapsulated_key", second.start().getAttributesOrThrow("encapsulated_key"))
                .build();
        try (SealedStream s = SealedStream.start(mixed, session)) {
            assertEquals(List.of(), values(s, node.batch(node.seal(0, 1f))));
            assertEquals(1, s.unopened());
        }
    }
}
