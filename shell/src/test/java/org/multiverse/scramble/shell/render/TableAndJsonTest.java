package org.multiverse.scramble.shell.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.multiverse.scramble.protocol.v1.AgentStatusResult;
import org.multiverse.scramble.protocol.v1.PortalInfo;
import org.multiverse.scramble.protocol.v1.PortalListResult;
import org.multiverse.scramble.protocol.v1.Result;
import org.multiverse.scramble.protocol.v1.VpnStatusResult;

class TableAndJsonTest {

    /** Escapes, C1 controls, bidi overrides and an unterminated DCS, as a sender or a guest may write them. */
    private static final String HOSTILE = "x\u001b]0;owned\u0007\u001b[2J\u009b31m\u202egnp\u2066\u0085\u001bPq";

    /** Issue 14: the audit and console results the shell prints carry a sender's and a guest's text. */
    @Test
    void auditAndConsoleResultsPrintNothingATerminalWouldActOn() {
        Result audit = Result.newBuilder()
                .setAuditEntries(org.multiverse.scramble.protocol.v1.AuditEntries.newBuilder()
                        .addEntries(org.multiverse.scramble.protocol.v1.AuditEntry.newBuilder()
                                .setIndex(1)
                                .setIdentity(HOSTILE)
                                .setCommand(HOSTILE)
                                .setReason("no route named '" + HOSTILE + "'")
                                .setResult(HOSTILE)))
                .build();
        Result console = Result.newBuilder()
                .setConsoleLines(org.multiverse.scramble.protocol.v1.ConsoleLines.newBuilder()
                        .addLines(HOSTILE)
                        .addLines("after"))
                .build();
        for (Result r : List.of(audit, console)) {
            List<String> lines = new ResultRenderer(Style.plain()).render(r);
            for (String l : lines) {
                assertFalse(
                        l.chars()
                                .anyMatch(c -> (c < 0x20 && c != '\t')
                                        || (c >= 0x7f && c <= 0x9f)
                                        || (c >= 0x202a && c <= 0x202e)
                                        || (c >= 0x2066 && c <= 0x2069)),
                        l);
            }
            assertTrue(String.join("\n", lines).contains("xgnp"), String.join("\n", lines));
        }
        assertEquals("after", new ResultRenderer(Style.plain()).render(console).get(1), "the next line survives");
    }

    @Test
    void tablesAlignOnWhatIsShownAndStripAgentStrings() {
        Result r = Result.newBuilder()
                .setPortalList(PortalListResult.newBuilder()
                        .addPortals(PortalInfo.newBuilder()
                                .setName("web\u001b[2J")
                                .setState(org.multiverse.scramble.protocol.v1.PortalRunState.PORTAL_RUN_STATE_RUNNING)
                                .setCpus(2)
                                .setMemoryMib(2048))
                        .addPortals(PortalInfo.newBuilder()
                                .setName("a-much-longer-name")
                                .setState(org.multiverse.scramble.protocol.v1.PortalRunState.PORTAL_RUN_STATE_STOPPED)))
                .build();
        List<String> lines = new ResultRenderer(Style.plain()).render(r);
        assertEquals(3, lines.size());
        int col = lines.get(0).indexOf("STATE");
        assertEquals(col, lines.get(1).indexOf("running"), String.join("\n", lines));
        assertEquals(col, lines.get(2).indexOf("stopped"));
        lines.forEach(l -> assertFalse(l.contains("\u001b"), l));
    }

    @Test
    void colourOnlyWhenAsked() {
        Result r = Result.newBuilder()
                .setPortalList(PortalListResult.newBuilder()
                        .addPortals(PortalInfo.newBuilder().setName("web")))
                .build();
        assertTrue(new ResultRenderer(new Style(true)).render(r).get(0).contains("\u001b[1m"));
        assertFalse(new ResultRenderer(new Style(false)).render(r).get(0).contains("\u001b"));
    }

    @Test
    void jsonHasProtoFieldNamesDefaultsUnsigned64AndStrippedStrings() throws Exception {
        Result r = Result.newBuilder()
                .setVpnStatus(VpnStatusResult.newBuilder()
                        .setProfile("se\u001b]0;x\u0007")
                        .setRxBytes(-1L))
                .build();
        JsonNode j = new ObjectMapper().readTree(ProtoJson.toJson(r).toString());
        assertEquals("se", j.get("vpn_status").get("profile").asText());
        assertEquals(
                "18446744073709551615",
                j.get("vpn_status").get("rx_bytes").bigIntegerValue().toString());
        assertEquals(0, j.get("vpn_status").get("tx_bytes").asLong(), "defaults are present");
        assertFalse(j.has("pong"), "only the set member of a oneof");
        Result s = Result.newBuilder()
                .setAgentStatus(AgentStatusResult.newBuilder()
                        .putTokensLeft("query", 19.0)
                        .addChannels("c1"))
                .build();
        JsonNode k = new ObjectMapper().readTree(ProtoJson.toJson(s).toString());
        assertEquals(19.0, k.get("agent_status").get("tokens_left").get("query").asDouble());
        assertEquals("c1", k.get("agent_status").get("channels").get(0).asText());
    }
}
