package org.multiverse.scramble.shell.dashboard;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.TextGraphics;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.multiverse.scramble.protocol.client.LinkState;
import org.multiverse.scramble.protocol.v1.AuditEntry;
import org.multiverse.scramble.protocol.v1.PortalInfo;
import org.multiverse.scramble.protocol.v1.RtosStreamReport;
import org.multiverse.scramble.shell.registry.AgentRole;

/**
 * Draws a {@link DashboardModel} onto a Lanterna {@link TextGraphics} of any size. From about
 * 60×16 up every section is shown, stacked, the portal table and the audit tail taking the
 * rows that are left (wider screens get wider columns); smaller, only the focused section is
 * shown under a row of section names. Colour only when asked for (the terminal has it and
 * {@code NO_COLOR} is unset); without it, emphasis is bold and reverse video. Every string goes
 * through {@link Cells#fit}, which strips terminal escapes.
 */
final class DashboardRenderer {

    /** Below this width or height the dashboard shows one section at a time. */
    static final int FULL_MIN_COLUMNS = 60;

    static final int FULL_MIN_ROWS = 16;
    /** Routers and RTOS nodes shown in the stacked layout (the Multiverse has three routers). */
    static final int STACKED_ROWS_MAX = 3;
    /** Narrowest sparkline worth drawing beside the stream's counts; narrower, the counts give way. */
    static final int SPARK_MIN = 16;

    private final boolean colour;
    private final Clock clock;
    private final DateTimeFormatter time;

    DashboardRenderer(boolean colour, Clock clock) {
        this.colour = colour;
        this.clock = clock;
        ZoneId zone = clock.getZone();
        this.time = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(zone);
    }

    /** Draws the whole screen; rows and columns outside {@code size} are never touched. */
    void draw(DashboardModel m, TextGraphics g, TerminalSize size) {
        int w = size.getColumns();
        int h = size.getRows();
        if (w <= 0 || h <= 0) {
            return;
        }
        Canvas c = new Canvas(g, w, h, colour);
        c.fill(' ');
        if (h < 4) {
            // Too small for anything but the one line that matters.
            drawStatus(m, c, h - 1);
            return;
        }
        drawHeader(m, c, 0);
        drawStatus(m, c, h - 2);
        c.text(0, h - 1, DashboardController.footer(m), w, Style.DIM);
        int top = 1;
        int bodyRows = h - 3;
        List<Integer> heights = stackedHeights(m, w, bodyRows);
        if (heights == null) {
            drawTabs(m, c, top);
            drawSection(m, m.focus(), c, top + 1, bodyRows - 1, true);
            return;
        }
        int row = top;
        for (Pane p : Pane.values()) {
            int rows = heights.get(p.ordinal());
            drawTitle(m, p, c, row);
            drawSection(m, p, c, row + 1, rows, false);
            row += 1 + rows;
        }
    }

    /** Content rows per section when all fit, or null for the one-section layout. */
    static List<Integer> stackedHeights(DashboardModel m, int w, int bodyRows) {
        if (w < FULL_MIN_COLUMNS || bodyRows + 3 < FULL_MIN_ROWS) {
            return null;
        }
        int routers = Math.max(1, Math.min(STACKED_ROWS_MAX, m.routers().size()));
        int agents = DashboardModel.AGENTS.size();
        int rtos =
                m.nodes().isEmpty() ? 1 : Math.min(STACKED_ROWS_MAX, m.nodes().size()) + 1;
        int elastic = bodyRows - Pane.values().length - routers - agents - rtos;
        if (elastic < 4) {
            return null;
        }
        int portalsWanted = 1 + Math.max(1, m.visiblePortals().size());
        int portals = Math.max(2, Math.min(portalsWanted, elastic * 3 / 5));
        int audit = elastic - portals;
        if (portals < portalsWanted) {
            // Portals matter more than old audit lines: give them the audit rows beyond two.
            int move = Math.min(portalsWanted - portals, Math.max(0, audit - 2));
            portals += move;
            audit -= move;
        }
        return List.of(portals, routers, agents, rtos, audit);
    }

    // ------------------------------------------------------------------ chrome

    private void drawHeader(DashboardModel m, Canvas c, int row) {
        StringBuilder links = new StringBuilder();
        for (AgentRole r : DashboardModel.AGENTS) {
            links.append("  ").append(r.text()).append(' ').append(linkWord(m.agent(r)));
        }
        String left = " Multiverse dashboard · " + m.identity();
        c.text(0, row, left, c.w, Style.TITLE);
        String right = links + " ";
        if (left.length() + right.length() < c.w) {
            c.text(c.w - right.length(), row, right, right.length(), Style.TITLE);
        }
    }

    private void drawStatus(DashboardModel m, Canvas c, int row) {
        if (m.pending().isPresent()) {
            c.text(0, row, " CONFIRM: " + m.pending().get().question() + "  [y/n] ", c.w, Style.PROMPT);
            return;
        }
        if (m.filterDraft() != null) {
            c.text(0, row, " filter portals: /" + m.filterDraft() + "_", c.w, Style.PROMPT);
            return;
        }
        StatusLine s = m.status();
        Style style = switch (s.kind()) {
            case OK -> Style.GOOD;
            case FAILED, REFUSED -> Style.BAD;
            case INFO -> Style.PLAIN;
        };
        String right = (m.filter().isEmpty() ? "" : "filter /" + m.filter() + "  ") + "sort "
                + m.sort().name().toLowerCase(Locale.ROOT) + " ";
        int room = c.w - right.length() - 1;
        if (s.text().length() + 1 <= room) {
            // The sort and filter only when the message leaves room: the message matters more.
            c.text(0, row, " " + s.text(), room, style);
            c.text(c.w - right.length(), row, right, right.length(), Style.DIM);
        } else {
            c.text(0, row, " " + s.text(), c.w, style);
        }
    }

    private void drawTabs(DashboardModel m, Canvas c, int row) {
        int col = 0;
        for (Pane p : Pane.values()) {
            String label = " " + p.title + " ";
            if (col >= c.w) {
                break;
            }
            c.text(col, row, label, Math.min(label.length(), c.w - col), p == m.focus() ? Style.FOCUS : Style.DIM);
            col += label.length();
        }
    }

    private void drawTitle(DashboardModel m, Pane p, Canvas c, int row) {
        String extra = switch (p) {
            case PORTALS ->
                m.visiblePortals().size() + " shown" + (m.filter().isEmpty() ? "" : ", filter /" + m.filter());
            case ROUTERS -> vpnAndTor(m);
            default -> "";
        };
        String title = "── " + p.title + " ──" + (extra.isEmpty() ? "" : " " + extra + " ");
        c.text(
                0,
                row,
                title + "─".repeat(Math.max(0, c.w - title.length())),
                c.w,
                p == m.focus() ? Style.FOCUS : Style.SECTION);
    }

    // ------------------------------------------------------------------ sections

    private void drawSection(DashboardModel m, Pane p, Canvas c, int top, int rows, boolean alone) {
        if (rows <= 0) {
            return;
        }
        switch (p) {
            case PORTALS -> portals(m, c, top, rows);
            case ROUTERS -> routers(m, c, top, rows, alone);
            case AGENTS -> agents(m, c, top, rows);
            case RTOS -> nodes(m, c, top, rows, alone);
            case AUDIT -> audit(m, c, top, rows);
        }
    }

    private record Column(String name, int width) {}

    private static List<Column> portalColumns(int w) {
        int name = Math.max(10, Math.min(32, w / 6));
        int template = Math.max(10, Math.min(32, w / 6));
        List<Column> cols = new ArrayList<>(List.of(
                new Column("NAME", name),
                new Column("TEMPLATE", template),
                new Column("STATE", 8),
                new Column("UPTIME", 6),
                new Column("CPU", 3),
                new Column("MEM", 6),
                new Column("NET", 8),
                new Column("EPH", 3)));
        int used = 1 + cols.stream().mapToInt(col -> col.width() + 1).sum();
        cols.add(new Column("LAST EVENT", Math.max(0, w - used)));
        return cols;
    }

    private void portals(DashboardModel m, Canvas c, int top, int rows) {
        List<Column> cols = portalColumns(c.w);
        List<String> head = cols.stream().map(Column::name).toList();
        c.text(0, top, " " + row(cols, head), c.w, Style.HEAD);
        List<PortalInfo> list = m.visiblePortals();
        if (list.isEmpty()) {
            if (rows > 1) {
                c.text(
                        0,
                        top + 1,
                        m.filter().isEmpty() ? "  no portals" : "  no portal matches /" + m.filter(),
                        c.w,
                        Style.DIM);
            }
            return;
        }
        int sel = m.selected(Pane.PORTALS);
        int first = scrollStart(sel, list.size(), rows - 1);
        for (int i = 0; i < rows - 1 && first + i < list.size(); i++) {
            PortalInfo p = list.get(first + i);
            List<String> cells = List.of(
                    p.getName(),
                    p.getTemplate(),
                    org.multiverse.scramble.protocol.event.PortalRunStates.text(p.getState()),
                    p.getUptimeMillis() > 0 ? Cells.duration(p.getUptimeMillis()) : "-",
                    p.getCpus() > 0 ? Integer.toString(p.getCpus()) : "-",
                    p.getMemoryMib() > 0 ? p.getMemoryMib() + "M" : "-",
                    p.getNetwork(),
                    p.getEphemeral() ? "yes" : "no",
                    m.lastEvent(p));
            boolean selected = first + i == sel && m.focus() == Pane.PORTALS;
            int y = top + 1 + i;
            c.text(0, y, (selected ? ">" : " ") + row(cols, cells), c.w, selected ? Style.SELECTED : Style.PLAIN);
            if (!selected) {
                int stateCol = 1 + cols.get(0).width() + 1 + cols.get(1).width() + 1;
                c.text(
                        stateCol,
                        y,
                        org.multiverse.scramble.protocol.event.PortalRunStates.text(p.getState()),
                        cols.get(2).width(),
                        stateStyle(p.getState()));
            }
        }
    }

    private void routers(DashboardModel m, Canvas c, int top, int rows, boolean alone) {
        int line = 0;
        if (alone && line < rows) {
            c.text(0, top + line++, " " + vpnAndTor(m), c.w, Style.PLAIN);
        }
        List<DashboardModel.RouterRow> list = m.routers();
        if (list.isEmpty()) {
            if (line < rows) {
                c.text(0, top + line, "  " + unreachableText(m, AgentRole.ROUTER, "no routers"), c.w, Style.DIM);
            }
            return;
        }
        int sel = m.selected(Pane.ROUTERS);
        int first = scrollStart(sel, list.size(), rows - line);
        for (int i = 0; line < rows && first + i < list.size(); i++, line++) {
            DashboardModel.RouterRow r = list.get(first + i);
            boolean selected = first + i == sel && m.focus() == Pane.ROUTERS;
            String text = (selected ? ">" : " ") + Cells.fit(r.name, 10) + " " + Cells.fit(r.up ? "up" : "DOWN", 5)
                    + " " + Cells.fit(r.role, 10) + " in " + Cells.fit(Cells.bytes(r.rxBytes), 6) + " out "
                    + Cells.fit(Cells.bytes(r.txBytes), 6) + " " + r.lastAction;
            int y = top + line;
            c.text(0, y, text, c.w, selected ? Style.SELECTED : Style.PLAIN);
            if (!selected) {
                c.text(12, y, r.up ? "up" : "DOWN", 5, r.up ? Style.GOOD : Style.BAD);
            }
        }
    }

    private String vpnAndTor(DashboardModel m) {
        StringBuilder s = new StringBuilder();
        m.vpn()
                .ifPresentOrElse(
                        v -> {
                            s.append("VPN ").append(v.getProfile().isEmpty() ? "none" : v.getProfile());
                            if (v.getLatestHandshakeMillis() > 0) {
                                s.append(" handshake ")
                                        .append(Cells.duration(clock.millis() - v.getLatestHandshakeMillis()))
                                        .append(" ago");
                            } else if (!v.getProfile().isEmpty()) {
                                s.append(" no handshake");
                            }
                        },
                        () -> s.append("VPN -"));
        s.append("  ");
        m.tor()
                .ifPresentOrElse(
                        t -> s.append("Tor ")
                                .append(t.getBootstrapPercent())
                                .append("% ")
                                .append(t.getBootstrapSummary()),
                        () -> s.append("Tor -"));
        return s.toString();
    }

    private void agents(DashboardModel m, Canvas c, int top, int rows) {
        int via = Math.max(8, Math.min(40, c.w / 5));
        for (int i = 0; i < rows && i < DashboardModel.AGENTS.size(); i++) {
            AgentRole role = DashboardModel.AGENTS.get(i);
            DashboardModel.AgentRow a = m.agent(role);
            boolean selected = i == m.selected(Pane.AGENTS) && m.focus() == Pane.AGENTS;
            String rtt = a.roundTrips.last().isPresent()
                    ? a.roundTrips.last().getAsLong() + "/" + a.roundTrips.p50().getAsLong() + "ms"
                    : "-";
            // What went wrong first: at 80 columns the tail of the row is cut.
            StringBuilder rest = new StringBuilder();
            if (!a.lastError.isEmpty()) {
                rest.append("error: ").append(a.lastError).append("  ");
            }
            if (!a.events.isEmpty()) {
                rest.append("events ").append(a.events).append("  ");
            }
            if (a.eventCounts.droppedTotal() > 0) {
                rest.append("events dropped");
                a.eventCounts.dropped().forEach((reason, n) -> {
                    if (n > 0) {
                        rest.append(' ').append(reason.text()).append('×').append(n);
                    }
                });
                rest.append("  ");
            }
            long refusedTotal =
                    a.refusals.values().stream().mapToLong(Long::longValue).sum();
            if (refusedTotal > 0) {
                rest.append("refused");
                for (Map.Entry<String, Long> e : a.refusals.entrySet()) {
                    rest.append(' ').append(e.getKey()).append('×').append(e.getValue());
                }
                rest.append("  ");
            }
            if (!a.tokens.isEmpty()) {
                rest.append("tokens");
                a.tokens.forEach(
                        (k, v) -> rest.append(' ').append(k).append(' ').append(Math.round(Math.floor(v))));
            }
            String word = linkWord(a);
            String text = (selected ? ">" : " ") + Cells.fit(role.text(), 7) + Cells.fit(word, 11)
                    + Cells.fit("rtt " + rtt, 14) + Cells.fit(a.via, via) + " " + rest;
            int y = top + i;
            c.text(0, y, text, c.w, selected ? Style.SELECTED : Style.PLAIN);
            if (!selected) {
                c.text(8, y, word, 10, linkStyle(a));
                if (!a.lastError.isEmpty()) {
                    int at = text.indexOf("error: ");
                    String error = "error: " + a.lastError;
                    c.text(at, y, error, Math.min(error.length(), c.w - at), Style.BAD);
                }
            }
        }
    }

    private void nodes(DashboardModel m, Canvas c, int top, int rows, boolean alone) {
        List<DashboardModel.NodeRow> list = m.nodes();
        if (list.isEmpty()) {
            c.text(0, top, "  " + unreachableText(m, AgentRole.RTOS, "no RTOS nodes"), c.w, Style.DIM);
            return;
        }
        int nodeRows = Math.max(1, rows - 1);
        int sel = m.selected(Pane.RTOS);
        int first = scrollStart(sel, list.size(), nodeRows);
        for (int i = 0; i < nodeRows && first + i < list.size(); i++) {
            DashboardModel.NodeRow n = list.get(first + i);
            boolean selected = first + i == sel && m.focus() == Pane.RTOS;
            String mark = n.info.getName().equals(m.sparkNode()) ? "*" : " ";
            StringBuilder text = new StringBuilder((selected ? ">" : " ") + mark)
                    .append(Cells.fit(n.info.getName(), 12))
                    .append(' ')
                    .append(Cells.fit(n.info.getLinkUp() ? "link up" : "LINK DOWN", 10))
                    .append(Cells.fit("offset " + Cells.micros(n.info.getClockOffsetMicros()), 16));
            if (n.info.getFailsafe()) {
                text.append("FAILSAFE ");
            }
            RtosStreamReport r = n.report;
            if (r != null) {
                text.append(n.reportChannel)
                        .append(": ")
                        .append(r.getSamples())
                        .append(" samp, ")
                        .append(r.getLost())
                        .append(" lost, ")
                        .append(r.getDeadlineMisses())
                        .append(" deadline miss");
            }
            int y = top + i;
            c.text(0, y, text.toString(), c.w, selected ? Style.SELECTED : Style.PLAIN);
            if (!selected) {
                c.text(
                        15,
                        y,
                        n.info.getLinkUp() ? "link up" : "LINK DOWN",
                        10,
                        n.info.getLinkUp() ? Style.GOOD : Style.BAD);
            }
        }
        if (rows > 1) {
            List<Double> samples = m.samples();
            String label = " " + m.sparkNode() + "/" + (m.sparkChannel().isEmpty() ? "?" : m.sparkChannel()) + " ";
            String last = samples.isEmpty()
                    ? " no samples (t streams)"
                    : String.format(Locale.ROOT, " %.3g", samples.get(samples.size() - 1));
            // The counts go after the value while the row has room: the line itself matters more.
            String counts = m.streamProgress()
                    .map(p -> "  " + p.text() + (p.ended() ? "  ended" : ""))
                    .orElse("");
            int sparkWidth = Math.max(0, c.w - label.length() - last.length() - counts.length());
            if (sparkWidth < SPARK_MIN) {
                counts = "";
                sparkWidth = Math.max(0, c.w - label.length() - last.length());
            }
            int y = top + Math.min(nodeRows, list.size());
            c.text(0, y, label, c.w, Style.DIM);
            c.text(label.length(), y, Sparkline.draw(samples, sparkWidth), sparkWidth, Style.GOOD);
            int after = label.length() + Math.min(sparkWidth, samples.size());
            c.text(after, y, last, last.length(), Style.PLAIN);
            boolean troubled = m.streamProgress()
                    .map(p -> p.unopened() > 0 || !p.problem().isEmpty())
                    .orElse(false);
            c.text(after + last.length(), y, counts, counts.length(), troubled ? Style.BAD : Style.DIM);
        }
    }

    private void audit(DashboardModel m, Canvas c, int top, int rows) {
        List<DashboardModel.AuditLine> lines = m.auditLines();
        if (lines.isEmpty()) {
            c.text(0, top, "  no audit entries yet", c.w, Style.DIM);
            return;
        }
        List<DashboardModel.AuditLine> tail = lines.subList(Math.max(0, lines.size() - rows), lines.size());
        for (int i = 0; i < tail.size(); i++) {
            AuditEntry e = tail.get(i).entry();
            boolean refused =
                    e.getDecision() == org.multiverse.scramble.protocol.v1.AuditDecision.AUDIT_DECISION_REFUSED;
            String text = (refused ? "!" : " ") + time.format(Instant.ofEpochMilli(e.getTimeMillis())) + " "
                    + Cells.fit(tail.get(i).agent().text(), 6) + " " + Cells.fit(e.getCommand(), 20) + " "
                    + Cells.fit(org.multiverse.scramble.protocol.agent.audit.AuditDecisions.text(e.getDecision()), 9)
                    + " " + e.getReason()
                    + (e.getResult().isEmpty() ? "" : " " + e.getResult());
            c.text(0, top + i, text, c.w, refused ? Style.BAD : Style.PLAIN);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static String unreachableText(DashboardModel m, AgentRole role, String empty) {
        DashboardModel.AgentRow a = m.agent(role);
        if (!a.configured) {
            return "no " + role.text() + " agent configured";
        }
        if (!a.routed) {
            return "the host agent has no route to the " + role.text() + " agent";
        }
        return a.lastError.isEmpty() ? empty : empty + " (" + a.lastError + ")";
    }

    static String linkWord(DashboardModel.AgentRow a) {
        if (!a.configured) {
            return "—";
        }
        if (a.state == null) {
            if (!a.routed) {
                return "no route";
            }
            return a.lastError.isEmpty() ? "opening" : "no link";
        }
        return a.state.name();
    }

    private static Style linkStyle(DashboardModel.AgentRow a) {
        if (a.state == LinkState.UP) {
            return Style.GOOD;
        }
        if (a.state == LinkState.CONNECTING || (a.state == null && a.routed && a.lastError.isEmpty())) {
            return Style.WARN;
        }
        return a.configured && a.routed ? Style.BAD : Style.DIM;
    }

    private static Style stateStyle(org.multiverse.scramble.protocol.v1.PortalRunState state) {
        return switch (state) {
            case PORTAL_RUN_STATE_RUNNING -> Style.GOOD;
            case PORTAL_RUN_STATE_CRASHED -> Style.BAD;
            case PORTAL_RUN_STATE_PAUSED -> Style.WARN;
            case PORTAL_RUN_STATE_STOPPED, PORTAL_RUN_STATE_UNSPECIFIED, UNRECOGNIZED -> Style.PLAIN;
        };
    }

    /** The first row to show so that {@code selected} is visible in {@code visible} rows. */
    static int scrollStart(int selected, int count, int visible) {
        if (visible <= 0 || count <= visible) {
            return 0;
        }
        return Math.max(0, Math.min(selected - visible + 1, count - visible));
    }

    private static String row(List<Column> cols, List<String> cells) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < cols.size(); i++) {
            if (cols.get(i).width() == 0) {
                continue;
            }
            s.append(Cells.fit(cells.get(i), cols.get(i).width()));
            if (i < cols.size() - 1) {
                s.append(' ');
            }
        }
        return s.toString();
    }

    /** How a piece of text is emphasised. */
    enum Style {
        PLAIN,
        DIM,
        TITLE,
        SECTION,
        FOCUS,
        HEAD,
        SELECTED,
        GOOD,
        BAD,
        WARN,
        PROMPT
    }

    /** Clipped drawing with styles mapped to colour or to monochrome emphasis. */
    private static final class Canvas {
        final TextGraphics g;
        final int w;
        final int h;
        final boolean colour;

        Canvas(TextGraphics g, int w, int h, boolean colour) {
            this.g = g;
            this.w = w;
            this.h = h;
            this.colour = colour;
        }

        void fill(char ch) {
            reset();
            g.fillRectangle(new com.googlecode.lanterna.TerminalPosition(0, 0), new TerminalSize(w, h), ch);
        }

        /** Puts the text at (col, row), stripped and fitted to {@code width} cells and to the screen. */
        void text(int col, int row, String text, int width, Style style) {
            if (row < 0 || row >= h || col < 0 || col >= w) {
                return;
            }
            int room = Math.min(width, w - col);
            if (room <= 0) {
                return;
            }
            apply(style);
            g.putString(col, row, Cells.fit(text, room));
            reset();
        }

        private void reset() {
            g.clearModifiers();
            g.setForegroundColor(TextColor.ANSI.DEFAULT);
            g.setBackgroundColor(TextColor.ANSI.DEFAULT);
        }

        private void apply(Style s) {
            switch (s) {
                case PLAIN -> {}
                case DIM -> {
                    if (colour) {
                        g.setForegroundColor(TextColor.ANSI.WHITE);
                    }
                }
                case TITLE, FOCUS, SELECTED, PROMPT -> {
                    g.enableModifiers(SGR.REVERSE);
                    if (colour && s == Style.PROMPT) {
                        g.setForegroundColor(TextColor.ANSI.YELLOW);
                    }
                    if (colour && s == Style.TITLE) {
                        g.setForegroundColor(TextColor.ANSI.BLUE);
                    }
                }
                case SECTION, HEAD -> g.enableModifiers(SGR.BOLD);
                case GOOD -> {
                    if (colour) {
                        g.setForegroundColor(TextColor.ANSI.GREEN);
                    }
                }
                case BAD -> {
                    g.enableModifiers(SGR.BOLD);
                    if (colour) {
                        g.setForegroundColor(TextColor.ANSI.RED);
                    }
                }
                case WARN -> {
                    if (colour) {
                        g.setForegroundColor(TextColor.ANSI.YELLOW);
                    }
                }
            }
        }
    }
}
