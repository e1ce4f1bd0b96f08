package org.multiverse.scramble.shell.run;

import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.multiverse.scramble.protocol.client.RequestTimeoutException;
import org.multiverse.scramble.protocol.session.AgentKeyException;
import org.multiverse.scramble.protocol.session.CommandOutcome;
import org.multiverse.scramble.protocol.session.RateLimitedLocallyException;
import org.multiverse.scramble.protocol.text.EscapeStripper;
import org.multiverse.scramble.protocol.v1.RejectCode;
import org.multiverse.scramble.shell.ExitCodes;
import org.multiverse.scramble.shell.ShellFailure;

/**
 * How one command ended, for the person (message), for programs (code, as in the JSON
 * output) and for the process (exit code).
 *
 * @param exitCode         see {@link ExitCodes}
 * @param code             an {@code ErrorCode} name, or one of the shell's own: {@code PARSE},
 *                         {@code REJECTED_<code>}, {@code RATE_LIMITED_LOCALLY}, {@code TIMEOUT},
 *                         {@code CONNECTION}, {@code CANCELLED}, {@code AGENT_KEY}, {@code SHELL}; "" when ok
 * @param message          one line (the agent's part stripped of escapes)
 * @param retryAfterMillis for rate limits: when a token is due; else 0
 */
public record Verdict(int exitCode, String code, String message, long retryAfterMillis) {

    public static final Verdict OK = new Verdict(ExitCodes.OK, "", "", 0);

    public boolean ok() {
        return exitCode == ExitCodes.OK;
    }

    public static Verdict parse(String message) {
        return new Verdict(ExitCodes.USAGE, "PARSE", message, 0);
    }

    /** The verdict of an opened outcome. */
    public static Verdict of(CommandOutcome outcome) {
        if (outcome instanceof CommandOutcome.Ok ok) {
            if (ok.result().hasAuditVerify() && !ok.result().getAuditVerify().getOk()) {
                // The command ran, but what it found is a failure a script must not miss.
                var audit = ok.result().getAuditVerify();
                return new Verdict(
                        ExitCodes.FAILED,
                        "AUDIT_BROKEN",
                        EscapeStripper.strip("audit log BROKEN"
                                + (audit.getFirstBadIndex() > 0 ? " at entry " + audit.getFirstBadIndex() : "") + ": "
                                + audit.getProblem()),
                        0);
            }
            return OK;
        }
        if (outcome instanceof CommandOutcome.Failed f) {
            String msg = EscapeStripper.strip(f.error().getMessage());
            return new Verdict(
                    f.isRefusal() ? ExitCodes.REFUSED : ExitCodes.FAILED,
                    f.error().getCode().name(),
                    msg.isEmpty() ? f.error().getCode().name() : msg,
                    f.error().getRetryAfterMillis());
        }
        RejectCode rc = ((CommandOutcome.Rejected) outcome).code();
        String why = switch (rc) {
            case UNAUTHENTICATED ->
                "the agent rejected the command unread: it does not know this ID or session "
                        + "(is the ID authorised on the agent?)";
            case OVERLOADED -> "the agent is overloaded and dropped the command; try again";
            case UNSUPPORTED_PROTOCOL -> "the agent speaks another protocol version";
            default -> "the agent rejected the command as malformed";
        };
        return new Verdict(
                rc == RejectCode.OVERLOADED ? ExitCodes.CONNECTION : ExitCodes.REFUSED,
                "REJECTED_" + rc.name(),
                why,
                0);
    }

    /** The verdict of a command that did not get an outcome. */
    public static Verdict of(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof ShellFailure f) {
            return new Verdict(
                    f.exitCode(), f.exitCode() == ExitCodes.CONNECTION ? "CONNECTION" : "SHELL", f.getMessage(), 0);
        }
        if (c instanceof RateLimitedLocallyException r) {
            return new Verdict(
                    ExitCodes.REFUSED,
                    "RATE_LIMITED_LOCALLY",
                    "rate limited: retry in " + r.retryAfterMillis() + " ms",
                    r.retryAfterMillis());
        }
        if (c instanceof RequestTimeoutException) {
            return new Verdict(ExitCodes.CONNECTION, "TIMEOUT", "no answer in time: " + c.getMessage(), 0);
        }
        if (c instanceof AgentKeyException) {
            return new Verdict(
                    ExitCodes.REFUSED, "AGENT_KEY", "the reply is not from the pinned agent: " + c.getMessage(), 0);
        }
        if (c instanceof CancellationException) {
            return new Verdict(ExitCodes.FAILED, "CANCELLED", "cancelled (the agent may still finish it)", 0);
        }
        if (c instanceof IOException) {
            return new Verdict(ExitCodes.CONNECTION, "CONNECTION", "link to the agent failed: " + c.getMessage(), 0);
        }
        return new Verdict(
                ExitCodes.FAILED,
                "SHELL",
                c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage()),
                0);
    }
}
