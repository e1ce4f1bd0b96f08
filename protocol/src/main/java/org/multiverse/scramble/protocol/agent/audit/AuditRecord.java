package org.multiverse.scramble.protocol.agent.audit;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One audit entry. An accepted command gets two: its decision ({@code accepted}) before
 * it runs, its outcome ({@code done}, with {@code result} and {@code duration_ms}) after.
 * Never holds a secret: identities and sessions are public key fingerprints.
 *
 * @param index        position in the whole log, from 1, assigned by {@link AuditLog}
 * @param time         ISO-8601 instant
 * @param identity     the root Scramble ID, or {@code unknown} when it could not be attributed
 * @param session      short fingerprint of the session key, or {@code -}
 * @param requestId    hex request id, or {@code -}
 * @param command      dotted command name, or {@code -}
 * @param decision     accepted, refused, duplicate, relayed, done, agent
 * @param reason       why (the policy rule, the verification failure, ...)
 * @param result       ok or an error code, for outcomes
 * @param durationMs   time the command took, for outcomes
 */
@JsonPropertyOrder({
    "index",
    "time",
    "identity",
    "session",
    "request_id",
    "command",
    "decision",
    "reason",
    "result",
    "duration_ms"
})
public record AuditRecord(
        @JsonProperty("index") long index,
        @JsonProperty("time") String time,
        @JsonProperty("identity") String identity,
        @JsonProperty("session") String session,
        @JsonProperty("request_id") String requestId,
        @JsonProperty("command") String command,
        @JsonProperty("decision") String decision,
        @JsonProperty("reason") String reason,
        @JsonProperty("result") String result,
        @JsonProperty("duration_ms") long durationMs) {

    /** The same record at a given index (the log assigns indexes). */
    AuditRecord withIndex(long i) {
        return new AuditRecord(i, time, identity, session, requestId, command, decision, reason, result, durationMs);
    }
}
