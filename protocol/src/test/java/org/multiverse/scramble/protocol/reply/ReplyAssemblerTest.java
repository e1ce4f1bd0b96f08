package org.multiverse.scramble.protocol.reply;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.multiverse.scramble.protocol.frame.Frame;
import org.multiverse.scramble.protocol.frame.FrameEncoder;
import org.multiverse.scramble.protocol.frame.FrameType;
import org.multiverse.scramble.protocol.v1.Reply;
import org.multiverse.scramble.protocol.v1.ReplyPart;

/** Hostile and broken part sequences: each ends in a clear error or nothing kept, never unbounded memory. */
class ReplyAssemblerTest {

    private static final byte[] ID = new byte[16];
    private static final String ID_HEX;

    static {
        java.util.Arrays.fill(ID, (byte) 0x5a);
        ID_HEX = HexFormat.of().formatHex(ID);
    }

    private final AtomicLong now = new AtomicLong();
    private final ReplyAssembler assembler = new ReplyAssembler(now::get);

    private static byte[] reply(byte[] id, int ciphertextBytes) {
        byte[] ct = new byte[ciphertextBytes];
        new Random(ciphertextBytes).nextBytes(ct);
        return Reply.newBuilder()
                .setRequestId(ByteString.copyFrom(id))
                .setEnc(ByteString.copyFrom(new byte[32]))
                .setCiphertext(ByteString.copyFrom(ct))
                .setAgentId("agent")
                .build()
                .toByteArray();
    }

    private static List<ReplyPart> parts(byte[] reply) throws Exception {
        List<ReplyPart> out = new ArrayList<>();
        for (Frame f : ReplyParts.frames(reply)) {
            assertEquals(FrameType.REPLY_PART, f.type());
            assertTrue(f.payload().length <= FrameEncoder.DEFAULT_MAX_PAYLOAD, "every part fits in a frame");
            out.add(ReplyPart.parseFrom(f.payload()));
        }
        return out;
    }

    private ReplyAssembler.Outcome feed(ReplyPart p) {
        return assembler.accept(p.toByteArray(), ID_HEX::equals);
    }

    private ReplyAssembler.Outcome feedAll(List<ReplyPart> parts) {
        ReplyAssembler.Outcome last = null;
        for (ReplyPart p : parts) {
            last = feed(p);
            if (!(last instanceof ReplyAssembler.Partial)) {
                return last;
            }
        }
        return last;
    }

    @Test
    void aReplyThatFitsStaysOneReplyFrame() throws Exception {
        byte[] small = reply(ID, 1000);
        assertEquals(List.of(new Frame(FrameType.REPLY, small)), ReplyParts.frames(small));
    }

    @Test
    void partsInOrderGiveBackTheReplyByteForByte() throws Exception {
        byte[] big = reply(ID, 1_200_000);
        List<ReplyPart> parts = parts(big);
        assertEquals(ReplyParts.partsFor(big.length), parts.size());
        var done = assertInstanceOf(ReplyAssembler.Complete.class, feedAll(parts));
        assertEquals(FrameType.REPLY, done.reply().type());
        assertArrayEquals(big, done.reply().payload());
        assertEquals(0, assembler.bufferedBytes(), "nothing held once complete");
    }

    @Test
    void partsOutOfOrderAreAccepted() throws Exception {
        byte[] big = reply(ID, 300_000);
        List<ReplyPart> parts = new ArrayList<>(parts(big));
        Collections.reverse(parts);
        var done = assertInstanceOf(ReplyAssembler.Complete.class, feedAll(parts));
        assertArrayEquals(big, done.reply().payload());
    }

    @Test
    void aDuplicatePartFailsTheRequest() throws Exception {
        List<ReplyPart> parts = parts(reply(ID, 300_000));
        feed(parts.get(0));
        var failed = assertInstanceOf(ReplyAssembler.Failed.class, feed(parts.get(0)));
        assertEquals(ID_HEX, failed.requestIdHex());
        assertTrue(
                failed.error().getMessage().contains("arrived twice"),
                failed.error().getMessage());
        assertEquals(0, assembler.bufferedBytes());
    }

    @Test
    void aMissingPartFailsAfterTheGapTimeout() throws Exception {
        List<ReplyPart> parts = parts(reply(ID, 300_000));
        for (int i = 0; i < parts.size(); i++) {
            if (i != 2) {
                feed(parts.get(i));
            }
        }
        assertTrue(assembler.expire().isEmpty(), "not yet");
        now.addAndGet(ReplyAssembler.PART_GAP_TIMEOUT.toNanos() + 1);
        List<ReplyAssembler.Failed> expired = assembler.expire();
        assertEquals(1, expired.size());
        assertTrue(
                expired.get(0).error().getMessage().contains("incomplete"),
                expired.get(0).error().getMessage());
        assertEquals(0, assembler.bufferedBytes());
        assertEquals(0, assembler.partialReplies());
    }

    @Test
    void oversizedAndInconsistentPartsAreRefusedBeforeAnythingIsKept() throws Exception {
        ReplyPart good = parts(reply(ID, 300_000)).get(0);
        List<ReplyPart> hostile = List.of(
                good.toBuilder().setTotalBytes(ReplyParts.MAX_REPLY_BYTES + 1).build(), // over the limit
                good.toBuilder().setTotalBytes(1000).setCount(2).build(), // would have fitted one frame
                good.toBuilder().setCount(good.getCount() + 1).build(), // count does not match the total
                good.toBuilder().setIndex(good.getCount()).build(), // index past the end
                good.toBuilder().setIndex(-1).build(), // 2^32-1 as unsigned
                good.toBuilder()
                        .setData(ByteString.copyFrom(new byte[ReplyParts.PART_DATA_BYTES + 1]))
                        .build(), // oversized data
                good.toBuilder().setData(ByteString.copyFrom(new byte[10])).build()); // short data
        for (ReplyPart p : hostile) {
            var failed = assertInstanceOf(ReplyAssembler.Failed.class, feed(p), p::toString);
            assertTrue(
                    failed.error().getMessage().contains("refused"),
                    failed.error().getMessage());
            assertEquals(0, assembler.bufferedBytes());
        }
    }

    @Test
    void aPartDisagreeingWithTheFirstFailsTheRequest() throws Exception {
        List<ReplyPart> a = parts(reply(ID, 300_000));
        List<ReplyPart> b = parts(reply(ID, 400_000));
        feed(a.get(0));
        var failed = assertInstanceOf(ReplyAssembler.Failed.class, feed(b.get(1)));
        assertTrue(
                failed.error().getMessage().contains("earlier parts said"),
                failed.error().getMessage());
        assertEquals(0, assembler.bufferedBytes());
    }

    @Test
    void unsolicitedPartsAndGarbageCostNothing() throws Exception {
        byte[] other = new byte[16];
        List<ReplyPart> parts = parts(reply(other, 300_000));
        for (ReplyPart p : parts) {
            assertInstanceOf(ReplyAssembler.Ignored.class, feed(p), "not a request we wait for");
        }
        assertInstanceOf(ReplyAssembler.Ignored.class, assembler.accept(new byte[] {(byte) 0xff, 1}, id -> true));
        assertInstanceOf(
                ReplyAssembler.Ignored.class,
                assembler.accept(
                        ReplyPart.newBuilder()
                                .setRequestId(ByteString.copyFrom(new byte[3]))
                                .build()
                                .toByteArray(),
                        id -> true));
        assertEquals(0, assembler.bufferedBytes());
    }

    @Test
    void bufferedBytesAcrossRequestsAreBounded() throws Exception {
        // Many large replies started at once (each just short of complete): the link's budget holds.
        int requests = (int) (ReplyAssembler.MAX_BUFFERED_BYTES / ReplyParts.MAX_REPLY_BYTES) + 2;
        int failures = 0;
        for (int r = 0; r < requests; r++) {
            byte[] id = new byte[16];
            id[0] = (byte) r;
            byte[] big = reply(id, ReplyParts.MAX_BODY_BYTES);
            List<ReplyPart> parts = parts(big);
            for (ReplyPart p : parts.subList(0, parts.size() - 1)) {
                var out = assembler.accept(p.toByteArray(), x -> true);
                if (out instanceof ReplyAssembler.Failed f) {
                    assertTrue(
                            f.error().getMessage().contains("partial replies on this link"),
                            f.error().getMessage());
                    failures++;
                    break;
                }
            }
            assertTrue(assembler.bufferedBytes() <= ReplyAssembler.MAX_BUFFERED_BYTES);
        }
        assertTrue(failures >= 2, "the requests past the budget failed: " + failures);
    }

    @Test
    void partsOfAReassembledNonReplyOrAnotherRequestAreRefused() throws Exception {
        byte[] other = new byte[16];
        other[0] = 1;
        // Parts labelled with our id but carrying a reply for another request.
        List<ReplyPart> parts = parts(reply(other, 300_000));
        List<ReplyPart> relabelled = new ArrayList<>();
        for (ReplyPart p : parts) {
            relabelled.add(p.toBuilder().setRequestId(ByteString.copyFrom(ID)).build());
        }
        var failed = assertInstanceOf(ReplyAssembler.Failed.class, feedAll(relabelled));
        assertTrue(
                failed.error().getMessage().contains("another request"),
                failed.error().getMessage());
    }

    @Test
    void aReplyAboveTheLimitIsNotSplit() {
        byte[] huge = new byte[ReplyParts.MAX_REPLY_BYTES + 1];
        assertThrows(ReplyTooLargeException.class, () -> ReplyParts.frames(huge));
    }

    @Test
    void theLargestReplyFitsItsPartsInFrames() throws Exception {
        byte[] biggest = reply(ID, ReplyParts.MAX_BODY_BYTES);
        assertTrue(biggest.length <= ReplyParts.MAX_REPLY_BYTES, "the overhead allowance covers a Reply's fields");
        List<ReplyPart> parts = parts(biggest);
        assertTrue(parts.size() <= ReplyParts.MAX_PARTS);
        assertArrayEquals(
                biggest,
                assertInstanceOf(ReplyAssembler.Complete.class, feedAll(parts))
                        .reply()
                        .payload());
    }
}
