package org.multiverse.scramble.shell.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.googlecode.lanterna.TextCharacter;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.input.KeyType;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.junit.jupiter.api.Test;
import org.multiverse.scramble.protocol.client.LinkState;
import org.multiverse.scramble.protocol.session.CommandOutcome;
import org.multiverse.scramble.protocol.session.EventCounts;
import org.multiverse.scramble.protocol.session.EventDropReason;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.ErrorCode;
import org.multiverse.scramble.protocol.v1.EventBody;
import org.multiverse.scramble.protocol.v1.PortalStop;
import org.multiverse.scramble.shell.registry.AgentRole;

/** The dashboard on Lanterna's virtual terminal: the text grid after results, events and keys. */
class DashboardScreenTest {

    @Test
    void at80x24EverySectionIsShown() throws IOException {
        try (Rig rig = new Rig(80, 24, Fixtures.multiverse(), false).start()) {
            String screen = rig.text();
            assertTrue(rig.row(0).startsWith(" Multiverse dashboard · ab12cd34 DEMO"), rig.row(0));
            assertTrue(rig.row(0).contains("host UP  router UP  rtos UP"), rig.row(0));
            for (String title : new String[] {
                "── Portals ──", "── Routers ──", "── Agent links ──", "── RTOS nodes ──", "── Audit tail ──"
            }) {
                assertTrue(screen.contains(title), title + " missing:\n" + screen);
            }
            // Portal rows: the table header, then the portals by name, the first one selected.
            int head = rig.rowWith(" NAME");
            assertTrue(rig.row(head).contains("TEMPLATE") && rig.row(head).contains("STATE"), rig.row(head));
            assertTrue(rig.row(head + 1).startsWith(">mail"), rig.row(head + 1));
            assertTrue(
                    rig.row(head + 2).startsWith(" vault") && rig.row(head + 2).contains("running"));
            assertTrue(rig.row(head + 3).startsWith(" web") && rig.row(head + 3).contains("1h02m"), rig.row(head + 3));
            // Routers with VPN and Tor in the section title, byte counts from the router status.
            assertTrue(screen.contains("VPN mullvad-se handshake 12s ago  Tor 100% Done"), screen);
            int star = rig.rowStarting(" star ");
            assertTrue(rig.row(star).contains("DOWN"), rig.row(star));
            assertTrue(rig.row(rig.rowStarting(" universe")).contains("in 1.5K   out 3.0M"), screen);
            // Agent links: state, round trip last/p50, tokens, refusals by reason.
            String host = rig.row(rig.rowWith(" host   "));
            assertTrue(
                    host.contains("UP") && host.contains("rtt 2/2ms") && host.contains("refused BAD_SIGNATURE×3"),
                    host);
            // The tokens come last and are cut at 80 columns.
            assertTrue(host.endsWith("  toke…"), host);
            // RTOS: the node and the line of the followed channel.
            assertTrue(
                    screen.contains("*arm0") && screen.contains("link up") && screen.contains("offset 12µs"), screen);
            assertTrue(screen.contains(" arm0/temp  no samples (t streams)"), screen);
            // Audit: the refusal is marked.
            int refused = rig.rowWith("!03:04:02");
            assertTrue(
                    refused > 0
                            && rig.row(refused).contains("portal.stop")
                            && rig.row(refused).contains("refused"),
                    screen);
            // Status and footer.
            assertTrue(rig.row(23).startsWith("s start  x stop  r reset  o sort  / filter  Tab section"), rig.row(23));
        }
    }

    @Test
    void eventsTheShellDroppedAreShownOnTheLinksRowByReason() throws IOException {
        FakeActions f = Fixtures.multiverse();
        f.links.put(
                AgentRole.HOST,
                new DashboardActions.LinkView(
                        LinkState.UP,
                        "sim:host",
                        OptionalLong.of(1),
                        new EventCounts(5, Map.of(EventDropReason.STRANGER, 2L, EventDropReason.DOES_NOT_OPEN, 1L), 1),
                        0));
        try (Rig rig = new Rig(200, 50, f, false).start()) {
            String host = rig.row(rig.rowWith(" host   "));
            assertTrue(host.contains("events dropped stranger×2 does not open×1"), host);
            String router = rig.row(rig.rowWith(" router "));
            assertFalse(router.contains("events dropped"), router);
        }
    }

    @Test
    void at200x50ColumnsWidenAndMoreAuditShows() throws IOException {
        FakeActions f = Fixtures.multiverse();
        try (Rig small = new Rig(80, 24, f, false).start();
                Rig big = new Rig(200, 50, f, false).start()) {
            String screen = big.text();
            int head = big.rowWith(" NAME");
            assertTrue(big.row(head).contains("LAST EVENT"), big.row(head));
            // The name column is a sixth of the width: 33 cells from NAME to TEMPLATE.
            assertEquals(34, big.row(head).indexOf("TEMPLATE"), big.row(head));
            assertEquals(15, small.row(small.rowWith(" NAME")).indexOf("TEMPLATE"));
            assertTrue(big.row(head + 3).contains("started"), big.row(head + 3));
            String host = big.row(big.rowWith(" host   "));
            assertTrue(host.contains("refused BAD_SIGNATURE×3  tokens lifecycle 4 query 19"), host);
            assertTrue(
                    screen.contains(
                            "!03:04:02 host   portal.stop          refused   POLICY_DENIED portal.stop: denied"),
                    screen);
            assertTrue(big.rowWith("── Audit tail ──") < 49 - 3, screen);
        }
    }

    @Test
    void aConfirmationPromptComesBeforeAnythingIsSent() throws IOException {
        try (Rig rig = new Rig(80, 24, Fixtures.multiverse(), false).start()) {
            rig.press("s");
            assertEquals(" CONFIRM: start portal mail?  [y/n]", rig.row(22).stripTrailing());
            assertEquals("y send   n cancel", rig.row(23).stripTrailing());
            assertTrue(rig.actions.sent(Command.KindCase.PORTAL_START).isEmpty());
            // Other keys do not slip past the prompt.
            rig.press("<Down>", "x");
            assertTrue(rig.row(22).contains("start portal mail?"));
            rig.press("y");
            assertEquals(
                    "mail",
                    rig.actions
                            .sent(Command.KindCase.PORTAL_START)
                            .get(0)
                            .getPortalStart()
                            .getName());
            assertEquals(1, rig.actions.sent(Command.KindCase.PORTAL_START).size());
            assertTrue(rig.row(22).startsWith(" start mail: done (started)"), rig.row(22));
            // Answered: the portals and the audit are asked again.
            assertEquals(
                    Command.KindCase.AUDIT_TAIL,
                    rig.actions.kindsSent().get(rig.actions.kindsSent().size() - 1));
        }
    }

    @Test
    void noCancelsAndNothingIsSent() throws IOException {
        try (Rig rig = new Rig(80, 24, Fixtures.multiverse(), false).start()) {
            rig.press("<Down>", "<Down>", "x");
            assertTrue(rig.row(22).contains("CONFIRM: stop portal web?"), rig.row(22));
            rig.press("n");
            assertTrue(rig.actions.sent(Command.KindCase.PORTAL_STOP).isEmpty());
            assertTrue(rig.row(22).startsWith(" stop web: cancelled, nothing sent"), rig.row(22));
            rig.press("x");
            rig.press(KeyType.Escape);
            assertTrue(rig.actions.sent(Command.KindCase.PORTAL_STOP).isEmpty());
        }
    }

    @Test
    void aRefusalIsShownWithItsReasonInRed() throws IOException {
        FakeActions f = Fixtures.multiverse()
                .refuse(
                        Command.KindCase.PORTAL_STOP,
                        ErrorCode.POLICY_DENIED,
                        "portal.stop: denied by rule 3 of /etc/multiverse/host.policy");
        try (Rig rig = new Rig(80, 24, f, true).start()) {
            rig.press("<Down>", "<Down>", "x", "y");
            assertEquals(
                    PortalStop.newBuilder().setName("web").build(),
                    f.sent(Command.KindCase.PORTAL_STOP).get(0).getPortalStop());
            String status = rig.row(22);
            assertTrue(status.startsWith(" stop web: REFUSED POLICY_DENIED: portal.stop: denied by rule 3"), status);
            TextCharacter c = rig.at(2, 22);
            assertEquals(TextColor.ANSI.RED, c.getForegroundColor());
            assertTrue(c.isBold());
        }
    }

    @Test
    void aFailureWithoutAnOutcomeIsShown() throws IOException {
        FakeActions f =
                Fixtures.multiverse().fail(Command.KindCase.PORTAL_START, new java.io.IOException("connection reset"));
        try (Rig rig = new Rig(80, 24, f, false).start()) {
            rig.press("s", "y");
            assertTrue(
                    rig.row(22)
                            .startsWith(" start mail: FAILED CONNECTION: link to the agent failed: connection reset"),
                    rig.row(22));
        }
    }

    @Test
    void withoutColourOnlyTheDefaultColoursAreUsed() throws IOException {
        try (Rig rig = new Rig(80, 24, Fixtures.multiverse(), false).start()) {
            for (int y = 0; y < 24; y++) {
                for (int x = 0; x < 80; x++) {
                    TextCharacter c = rig.at(x, y);
                    assertEquals(TextColor.ANSI.DEFAULT, c.getForegroundColor(), "at " + x + "," + y);
                    assertEquals(TextColor.ANSI.DEFAULT, c.getBackgroundColor(), "at " + x + "," + y);
                }
            }
            // Emphasis without colour: the selected row is reversed, the refusal bold.
            assertTrue(rig.at(1, rig.rowWith(">mail")).isReversed());
            assertTrue(rig.at(1, rig.rowWith("!03:04:02")).isBold());
        }
    }

    @Test
    void anEventChangesThePortalAtOnceAndAsksForTheList() throws IOException {
        try (Rig rig = new Rig(120, 30, Fixtures.multiverse(), true).start()) {
            int before = rig.actions.sent(Command.KindCase.PORTAL_LIST).size();
            rig.actions.event(EventBody.newBuilder()
                    .setKind(org.multiverse.scramble.protocol.v1.EventKind.PORTAL_STATE)
                    .setSubject("mail")
                    .setText("pid 4242")
                    .putAttributes("event", "started")
                    .build());
            rig.draw();
            String mail = rig.row(rig.rowWith(">mail"));
            // The fake's list still says stopped: the list query came back after the event and wins.
            assertTrue(mail.contains("stopped"), mail);
            assertEquals(
                    before + 1, rig.actions.sent(Command.KindCase.PORTAL_LIST).size());
            assertTrue(mail.contains("started: pid 4242"), mail);
        }
    }

    @Test
    void anEventAloneMovesTheStateBeforeTheListAnswers() throws IOException {
        CompletableFuture<CommandOutcome> held = new CompletableFuture<>();
        FakeActions f = Fixtures.multiverse();
        try (Rig rig = new Rig(80, 24, f, true).start()) {
            f.answer(Command.KindCase.PORTAL_LIST, c -> held);
            f.event(EventBody.newBuilder()
                    .setKind(org.multiverse.scramble.protocol.v1.EventKind.PORTAL_STATE)
                    .setSubject("web")
                    .putAttributes("event", "exited")
                    .build());
            rig.draw();
            assertTrue(rig.row(rig.rowWith(" web")).contains("stopped"), rig.text());
            // Running is green, stopped is plain.
            int vault = rig.rowWith(" vault");
            int stateCol = rig.row(vault).indexOf("running");
            assertEquals(TextColor.ANSI.GREEN, rig.at(stateCol, vault).getForegroundColor());
            int web = rig.rowWith(" web");
            assertEquals(
                    TextColor.ANSI.DEFAULT,
                    rig.at(rig.row(web).indexOf("stopped"), web).getForegroundColor());
            held.complete(new CommandOutcome.Ok(Fixtures.standardPortals(), 0));
            rig.draw();
            assertTrue(rig.row(rig.rowWith(" web")).contains("running"));
        }
    }

    @Test
    void agentTextCannotDriveTheTerminal() throws IOException {
        FakeActions f = Fixtures.multiverse();
        f.answer(
                Command.KindCase.PORTAL_LIST,
                Fixtures.portals(
                        Fixtures.portal("evil\u001b]0;pwned\u0007x", "t\u001b[2Jmpl", "running", false, 1000)
                                .toBuilder()
                                .setLastEvent("\u009b2J\u202eoops\r\nfake prompt$ ")
                                .build()));
        f.refuse(Command.KindCase.PORTAL_START, ErrorCode.POLICY_DENIED, "denied\u001b]52;c;Y2xpcA==\u0007 here");
        try (Rig rig = new Rig(120, 24, f, false).start()) {
            rig.press("s");
            String prompt = rig.row(22);
            assertTrue(prompt.contains("start portal evilx?"), prompt);
            rig.press("y");
            String screen = rig.text();
            int row = rig.rowStarting(">evilx");
            assertTrue(row > 0, screen);
            assertTrue(
                    rig.row(row).contains("tmpl")
                            && rig.row(row).contains("running ")
                            && rig.row(row).contains("oopsfake prompt$"),
                    rig.row(row));
            assertTrue(rig.row(22).contains("denied here"), rig.row(22));
            for (char c : screen.toCharArray()) {
                assertFalse(
                        c != '\n' && (Character.isISOControl(c) || (c >= 0x202a && c <= 0x202e)),
                        "control " + (int) c + " on screen");
            }
        }
    }

    @Test
    void filterAndSortChangeTheTable() throws IOException {
        try (Rig rig = new Rig(80, 24, Fixtures.multiverse(), false).start()) {
            rig.press("/", "m", "a");
            assertTrue(rig.row(22).startsWith(" filter portals: /ma_"), rig.row(22));
            rig.press("<Enter>");
            assertTrue(rig.rowWith(">mail") > 0);
            assertEquals(-1, rig.rowWith(" web "));
            assertTrue(rig.text().contains("1 shown, filter /ma"));
            rig.press("/");
            rig.press(KeyType.Backspace);
            rig.press(KeyType.Backspace);
            rig.press("z", "<Enter>");
            assertTrue(rig.text().contains("no portal matches /z"));
            rig.press(KeyType.Escape);
            assertTrue(rig.text().contains("3 shown"));
            rig.press("o");
            int head = rig.rowWith(" NAME");
            // Sorted by state: running before stopped, then by name.
            assertTrue(rig.row(head + 1).startsWith(">vault"), rig.row(head + 1));
            assertTrue(rig.row(head + 3).startsWith(" mail"), rig.row(head + 3));
            assertTrue(rig.row(22).contains("sort state"), rig.row(22));
        }
    }

    @Test
    void smallScreensShowOneSectionAtATime() throws IOException {
        try (Rig rig = new Rig(50, 12, Fixtures.multiverse(), false).start()) {
            assertTrue(rig.row(1).startsWith(" Portals  Routers  Agent links "), rig.row(1));
            assertTrue(rig.at(1, 1).isReversed());
            assertTrue(rig.text().contains(">mail"));
            assertEquals(-1, rig.rowWith("Audit tail ──"));
            rig.press("<Tab>");
            assertTrue(rig.row(2).startsWith(" VPN mullvad-se"), rig.text());
            assertTrue(rig.text().contains(">universe"));
            rig.press("<Tab>", "<Tab>", "<Tab>");
            assertTrue(rig.text().contains("portal.stop"), rig.text());
        }
        for (int[] size : new int[][] {{1, 1}, {10, 3}, {20, 4}, {59, 24}, {80, 15}}) {
            try (Rig rig = new Rig(size[0], size[1], Fixtures.multiverse(), true).start()) {
                rig.press("<Tab>");
                assertNotEquals("", rig.text().strip(), "nothing drawn at " + size[0] + "x" + size[1]);
            }
        }
    }

    @Test
    void routerActionsAreConfirmedAndSentToTheRouterAgent() throws IOException {
        FakeActions f = Fixtures.multiverse();
        f.answer(
                Command.KindCase.TOR_NEWNYM,
                org.multiverse.scramble.protocol.v1.Result.newBuilder()
                        .setAck(org.multiverse.scramble.protocol.v1.Ack.newBuilder()
                                .setMessage("NEWNYM sent"))
                        .build());
        try (Rig rig = new Rig(80, 24, f, false).start()) {
            rig.press("<Tab>", "<Down>", "r");
            assertTrue(rig.row(22).contains("CONFIRM: restart router galaxy?"), rig.row(22));
            rig.press("y");
            assertEquals(
                    "galaxy",
                    f.sent(Command.KindCase.ROUTER_RESTART)
                            .get(0)
                            .getRouterRestart()
                            .getName());
            assertTrue(f.sent.stream()
                    .filter(s -> s.command().hasRouterRestart())
                    .allMatch(s -> s.role() == org.multiverse.scramble.shell.registry.AgentRole.ROUTER));
            rig.press("n");
            assertTrue(rig.row(22).contains("CONFIRM: ask Tor for a new identity"), rig.row(22));
            rig.press("y");
            assertTrue(rig.row(22).startsWith(" new Tor identity: done (NEWNYM sent)"), rig.row(22));
        }
    }

    /** The node seals to the session: every stream test's start, as the bridge relays it. */
    private static SealingNode node(Rig rig, String channel, int streamId) {
        return new SealingNode("arm0", channel, streamId, SealingNode.publicOf(rig.sessionKey));
    }

    private static CompletableFuture<CommandOutcome> report(long samples, long lost) {
        return CompletableFuture.completedFuture(new CommandOutcome.Ok(
                org.multiverse.scramble.protocol.v1.Result.newBuilder()
                        .setRtosStreamReport(org.multiverse.scramble.protocol.v1.RtosStreamReport.newBuilder()
                                .setSamples(samples)
                                .setLost(lost)
                                .setDeadlineMisses(1))
                        .build(),
                0));
    }

    @Test
    void rtosStreamOpensTheSealedSamplesAndDrawsThemLive() throws IOException {
        FakeActions f = Fixtures.multiverse();
        try (Rig rig = new Rig(80, 24, f, false).start()) {
            SealingNode n = node(rig, "temp", 7);
            CompletableFuture<CommandOutcome> answer = new CompletableFuture<>();
            f.answer(Command.KindCase.RTOS_STREAM, c -> {
                f.event(n.start());
                f.event(n.batch(n.seal(0, 0f, 1f, 2f, 3f)));
                return answer;
            });
            rig.press("<Tab>", "<Tab>", "<Tab>", "c");
            assertTrue(rig.text().contains(" arm0/volt "), rig.text());
            rig.press("c", "t");
            assertTrue(rig.row(22).contains("CONFIRM: stream arm0/temp at 25 Hz for 10 s?"), rig.row(22));
            rig.press("y");
            // While the command still runs, the first batch is on the screen.
            String screen = rig.text();
            assertTrue(screen.contains(" arm0/temp ▁▃▆█ 3.00  4 shown  0 lost"), screen);
            assertTrue(rig.row(22).contains("stream arm0/temp: sent"), rig.row(22));

            // The next batch moves the line; a gap of two numbers (6, 7) is counted as lost.
            f.event(n.batch(
                    List.of(n.seal(4, 4f, false), n.seal(5, 5f, false), n.seal(8, 8f, false), n.seal(9, 9f, true))));
            rig.draw();
            screen = rig.text();
            assertTrue(screen.contains(" arm0/temp ▁▂▃▃▄▅▇█ 9.00  8 shown  2 lost  ended"), screen);

            answer.complete(report(8, 2).join());
            rig.draw();
            assertTrue(rig.text().contains("temp: 8 samp, 2 lost, 1 deadline miss"), rig.text());
        }
    }

    @Test
    void aTamperedSampleIsNotShownAndIsCounted() throws IOException {
        FakeActions f = Fixtures.multiverse();
        try (Rig rig = new Rig(80, 24, f, false).start()) {
            SealingNode n = node(rig, "temp", 9);
            List<SealingNode.Sealed> samples = n.seal(0, 0f, 1f, 2f, 100f, 4f, 5f, 6f, 7f);
            // The bridge (or the line) flips a bit of sample 3: the tag no longer matches.
            samples.get(3).sealed[0] ^= 0x01;
            f.answer(Command.KindCase.RTOS_STREAM, c -> {
                f.event(n.start());
                f.event(n.batch(samples));
                return report(8, 0);
            });
            rig.press("<Tab>", "<Tab>", "<Tab>", "t", "y");
            String screen = rig.text();
            // 100 would have flattened the rest to the lowest block: it is not drawn.
            assertTrue(screen.contains(" arm0/temp ▁▂▃▅▆▇█ 7.00  7 shown  0 lost  1 unopened"), screen);
            assertEquals(List.of(0.0, 1.0, 2.0, 4.0, 5.0, 6.0, 7.0), rig.model.samples());
        }
    }

    @Test
    void aStreamNotAskedForOrSealedToAnotherSessionIsNotDrawn() throws IOException {
        FakeActions f = Fixtures.multiverse();
        try (Rig rig = new Rig(80, 24, f, false).start()) {
            // Not asked for: ignored, nothing counted.
            SealingNode mine = node(rig, "temp", 3);
            f.event(mine.start());
            f.event(mine.batch(mine.seal(0, 1f, 2f)));
            rig.draw();
            assertTrue(rig.text().contains(" arm0/temp  no samples (t streams)"), rig.text());

            // Asked for, but the node sealed to someone else: every sample is dropped and counted.
            SealingNode other = new SealingNode(
                    "arm0",
                    "temp",
                    4,
                    SealingNode.publicOf(new X25519PrivateKeyParameters(new java.security.SecureRandom())));
            f.answer(Command.KindCase.RTOS_STREAM, c -> {
                f.event(other.start());
                f.event(other.batch(other.seal(0, 1f, 2f, 3f)));
                return report(3, 0);
            });
            rig.press("<Tab>", "<Tab>", "<Tab>", "t", "y");
            assertTrue(
                    rig.text().contains(" arm0/temp  no samples (t streams)  0 shown  0 lost  3 unopened"), rig.text());
            assertTrue(rig.model.samples().isEmpty());
        }
    }

    @Test
    void aRefusedStreamLeavesNoStartToTake() throws IOException {
        FakeActions f = Fixtures.multiverse();
        f.refuse(Command.KindCase.RTOS_STREAM, ErrorCode.POLICY_DENIED, "rtos.stream: denied");
        try (Rig rig = new Rig(80, 24, f, false).start()) {
            rig.press("<Tab>", "<Tab>", "<Tab>", "t", "y");
            assertTrue(rig.row(22).contains("REFUSED"), rig.row(22));
            // A start arriving afterwards (another session's, on the same node) is not taken.
            SealingNode n = node(rig, "temp", 5);
            f.event(n.start());
            f.event(n.batch(n.seal(0, 1f, 2f)));
            rig.draw();
            assertTrue(rig.model.samples().isEmpty());
            assertTrue(rig.model.streamProgress().isEmpty());
        }
    }

    @Test
    void aMalformedBatchIsNamedAndTheStreamGoesOn() throws IOException {
        FakeActions f = Fixtures.multiverse();
        try (Rig rig = new Rig(100, 24, f, false).start()) {
            SealingNode n = node(rig, "temp", 6);
            f.answer(Command.KindCase.RTOS_STREAM, c -> {
                f.event(n.start());
                f.event(n.batch(n.seal(0, 1f, 2f)).toBuilder()
                        .putAttributes("count", "3")
                        .build());
                return report(3, 0);
            });
            rig.press("<Tab>", "<Tab>", "<Tab>", "t", "y");
            assertTrue(rig.text().contains("0 shown  0 lost  samples: count 3 but 2 records"), rig.text());
            f.event(n.batch(n.seal(2, 3f)));
            rig.draw();
            String screen = rig.text();
            // Nothing of the malformed batch was counted; the next one opens, and its gap is loss.
            assertTrue(screen.contains(" arm0/temp ▁ 3.00  1 shown  2 lost"), screen);
            assertEquals(List.of(3.0), rig.model.samples());
            assertTrue(rig.model.streamProgress().orElseThrow().problem().isEmpty());
        }
    }

    @Test
    void qAndCtrlCLeave() throws IOException {
        try (Rig rig = new Rig(80, 24, Fixtures.multiverse(), false).start()) {
            assertTrue(rig.press("<Down>"));
            assertFalse(rig.press("q"));
            assertFalse(rig.press("<c-c>"));
            rig.press("s");
            // q at a prompt answers no; Ctrl-C still leaves.
            assertTrue(rig.press("q"));
            assertTrue(rig.actions.sent(Command.KindCase.PORTAL_START).isEmpty());
            rig.press("s");
            assertFalse(rig.press("<c-c>"));
            assertFalse(rig.press(KeyType.EOF));
        }
    }
}
