package org.multiverse.scramble.shell.interactive;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;
import org.multiverse.scramble.protocol.client.LinkState;
import org.multiverse.scramble.protocol.ratelimit.CommandClass;
import org.multiverse.scramble.shell.connect.AgentLink;

/**
 * The status line under the prompt: each agent's link state, last heartbeat round trip and
 * the tokens left in the shell's mirror of its rate limit.
 */
final class StatusLine {

    private StatusLine() {}

    static AttributedString render(List<AgentLink> links, String lastNotice) {
        AttributedStringBuilder b = new AttributedStringBuilder();
        if (links.isEmpty()) {
            b.style(AttributedStyle.DEFAULT.faint()).append("no agent contacted yet");
        }
        for (int i = 0; i < links.size(); i++) {
            AgentLink l = links.get(i);
            if (i > 0) {
                b.style(AttributedStyle.DEFAULT).append("  │  ");
            }
            LinkState st = l.state();
            AttributedStyle colour = st == LinkState.UP
                    ? AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN)
                    : st == LinkState.DOWN
                            ? AttributedStyle.DEFAULT.foreground(AttributedStyle.RED)
                            : AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW);
            b.style(AttributedStyle.BOLD)
                    .append(l.role().text())
                    .style(AttributedStyle.DEFAULT)
                    .append(" ");
            b.style(colour).append(st.name().toLowerCase(Locale.ROOT)).style(AttributedStyle.DEFAULT);
            if (!l.route().isEmpty()) {
                b.append(" via host");
            }
            l.roundTripMillis().ifPresent(ms -> b.append(" " + ms + " ms"));
            Map<CommandClass, Double> tokens = l.client().rateMirror().tokensLeft();
            b.append(
                    " tokens q" + fmt(tokens.get(CommandClass.QUERY)) + " l" + fmt(tokens.get(CommandClass.LIFECYCLE)));
        }
        if (lastNotice != null && !lastNotice.isEmpty()) {
            b.style(AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW)).append("  " + lastNotice);
        }
        return b.toAttributedString();
    }

    private static String fmt(Double d) {
        return d == null ? "?" : String.format(Locale.ROOT, "%.0f", d);
    }
}
