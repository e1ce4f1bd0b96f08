package org.multiverse.scramble.protocol.session;

import org.multiverse.scramble.protocol.command.CommandCatalog;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Error;
import org.multiverse.scramble.protocol.v1.ErrorCode;

/**
 * When the client may sign a command a second time, under a new request id, after the agent
 * refused the first envelope as REPLAYED (a restarted agent refuses the numbers it reserved
 * ahead, see {@code ReplayGuard#RESERVE_AHEAD}).
 *
 * <ul>
 * <li>A read-only command: always. Running it twice changes nothing.</li>
 * <li>A state-changing command whose envelope was sent <em>once</em>: yes. The agent looks a
 *     request up in its reply cache (this run) and its request ledger (earlier runs) before the
 *     sequence window, so a REPLAYED answer to the only copy ever sent means no copy of it ran.</li>
 * <li>A state-changing command whose envelope was sent again after a link was lost: never. The
 *     first copy may have run; an agent that remembers it answers with its outcome or
 *     INTERRUPTED, so REPLAYED here means it no longer knows (its ledger forgot the request). The
 *     person is told the outcome is unknown, as for INTERRUPTED; nothing is sent again.</li>
 * </ul>
 */
final class ResendRule {

    private ResendRule() {}

    static boolean maySignAgain(Command.KindCase kind, boolean envelopeWasResent) {
        boolean changesState =
                kind != Command.KindCase.KIND_NOT_SET && CommandCatalog.of(kind).changesState();
        return !changesState || !envelopeWasResent;
    }

    /** The outcome reported when a resent state change is refused as REPLAYED. */
    static CommandOutcome unknownOutcome(Command.KindCase kind) {
        return new CommandOutcome.Failed(Error.newBuilder()
                .setCode(ErrorCode.INTERRUPTED)
                .setMessage(CommandCatalog.of(kind).name() + " was sent again after the link was lost and the"
                        + " agent no longer knows whether it ran; its result is unknown, and it was not sent again")
                .build());
    }
}
