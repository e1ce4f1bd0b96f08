package org.multiverse.scramble.controller.tor;

import java.util.List;
import java.util.Optional;

/**
 * One complete control-port reply: a status code shared by all its lines, each line's text
 * (after "250-", "250 " or "250+") and, for "+" lines, the dot-decoded data block.
 */
public record TorReply(int status, List<Line> lines) {
    public TorReply {
        lines = List.copyOf(lines);
    }

    /** One reply line; {@code data} is present for a "NNN+" line. */
    public record Line(String text, Optional<String> data) {}

    public boolean isOk() {
        return status == 250;
    }

    /** An asynchronous event (650), not the answer to a command. */
    public boolean isEvent() {
        return status == 650;
    }

    /** The text of the final line ("OK" for most successes, the reason for errors). */
    public String endText() {
        return lines.get(lines.size() - 1).text();
    }

    /** The reply as Tor wrote it, data blocks elided, for messages to a person. */
    public String summary() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            if (i > 0) {
                out.append("; ");
            }
            out.append(status).append(' ').append(lines.get(i).text());
        }
        return out.toString();
    }
}
