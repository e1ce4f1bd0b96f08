package org.multiverse.scramble.protocol.vectors;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.multiverse.scramble.suite.identity.Identity;
import org.multiverse.scramble.suite.replay.FreshnessWindow;
import org.multiverse.scramble.suite.sign.SignatureContext;

/**
 * The agent every envelope vector is judged by: its identity, clock, version, authorised roots,
 * policy and (no) routes. Written into {@code envelopes.json} as {@code agent}, so another
 * implementation can set up the same agent.
 */
final class AgentFixture {

    /** What the agent reports in a Pong; part of the expected reply bodies. */
    static final String VERSION = "vectors-agent";
    /** The policy file the agent runs with: {@code agent.*} and {@code portal.*} for scope all. */
    static final String POLICY = String.join(
            "\n",
            "agent.*   @any        allow rate=1000/s burst=1000",
            "portal.*  @scope:all  allow rate=1000/s burst=1000",
            "");
    /** Sessions that appear in envelope vectors, by the name the files use. */
    static final List<SessionSpec> SESSIONS = List.of(
            SessionSpec.MAIN,
            SessionSpec.READ_ONLY,
            SessionSpec.STRANGER,
            SessionSpec.EXPIRED,
            SessionSpec.NOT_YET_VALID);

    private AgentFixture() {}

    static Identity identity() {
        return Identity.fromSeed(FixedInputs.AGENT_SEED);
    }

    static String agentId() {
        try (Identity agent = identity()) {
            return agent.id().text();
        }
    }

    static SessionSpec session(String name) {
        return SESSIONS.stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no session named " + name));
    }

    /** The {@code agent} object of the file. */
    static ObjectNode describe() {
        try (Identity agent = identity();
                Identity root = Identity.fromSeed(FixedInputs.ROOT_SEED)) {
            ObjectNode node = VectorJson.object();
            node.put("seed", VectorJson.hex(FixedInputs.AGENT_SEED));
            node.put("id", agent.id().text());
            node.put("x25519PublicKey", VectorJson.hex(agent.x25519PublicKey()));
            node.put(
                    "replyKeySignature",
                    VectorJson.hex(agent.sign(SignatureContext.AGENT_ENROLMENT, agent.x25519PublicKey())));
            node.put("version", VERSION);
            node.put("clockMillis", FixedInputs.AGENT_NOW_MILLIS);
            ArrayNode roots = node.putArray("authorizedRoots");
            roots.addObject().put("id", root.id().text()).put("scope", "all");
            node.put("policy", POLICY);
            node.putArray("routes");
            node.put("freshnessMaxAgeMillis", FreshnessWindow.DEFAULT_MAX_AGE.toMillis());
            node.put("freshnessMaxAheadMillis", FreshnessWindow.DEFAULT_MAX_AHEAD.toMillis());
            return node;
        }
    }
}
