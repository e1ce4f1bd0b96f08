package org.multiverse.scramble.protocol.agent;

import org.multiverse.scramble.protocol.reply.ReplyParts;
import org.multiverse.scramble.protocol.v1.Error;
import org.multiverse.scramble.protocol.v1.ErrorCode;
import org.multiverse.scramble.protocol.v1.ReplyBody;

/**
 * The one size rule on what a handler answers: a reply body larger than even parts can carry
 * (SPEC.md §8.1) is replaced, before it is audited, by an error the client can act on, so the
 * person hears "too large" and the audit log says the command failed, never "done ok" for an
 * answer nobody got.
 */
final class ReplySizes {

    private ReplySizes() {}

    /** Replaces {@code body}'s result by a RESOURCE_EXHAUSTED error when too large; true if it did. */
    static boolean replaceIfTooLarge(ReplyBody.Builder body, String commandName) {
        int size = body.build().getSerializedSize();
        if (size <= ReplyParts.MAX_BODY_BYTES) {
            return false;
        }
        body.clearResult()
                .setError(Error.newBuilder()
                        .setCode(ErrorCode.RESOURCE_EXHAUSTED)
                        .setMessage("the answer to " + commandName + " is " + size + " bytes; an agent sends at most "
                                + ReplyParts.MAX_BODY_BYTES + " (ask for less)"));
        return true;
    }
}
