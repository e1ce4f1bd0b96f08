package org.multiverse.scramble.protocol.session;

import org.multiverse.scramble.protocol.v1.Error;
import org.multiverse.scramble.protocol.v1.ErrorCode;
import org.multiverse.scramble.protocol.v1.RejectCode;
import org.multiverse.scramble.protocol.v1.Result;

/** What became of one signed command: a result, a sealed error, or an unsealed rejection. */
public sealed interface CommandOutcome {

    /** The command ran and returned a result. */
    record Ok(Result result, long agentTimeMillis) implements CommandOutcome {}

    /** The agent answered with a typed error, sealed to this session. */
    record Failed(Error error) implements CommandOutcome {
        /** Authentication, authorisation or rate limits: a refusal rather than a failure. */
        public boolean isRefusal() {
            // The number, not the enum: a code newer than this client is UNRECOGNIZED, whose
            // getNumber() throws. 1-19 is the authentication class (SPEC §15.2).
            int c = error.getCodeValue();
            return c >= ErrorCode.UNKNOWN_IDENTITY_VALUE && c < ErrorCode.UNSUPPORTED_COMMAND_VALUE;
        }
    }

    /** The agent could not attribute the envelope to an authorised key and said only this. */
    record Rejected(RejectCode code) implements CommandOutcome {}
}
