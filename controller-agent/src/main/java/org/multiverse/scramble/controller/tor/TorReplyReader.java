package org.multiverse.scramble.controller.tor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads control-port replies (control-spec §2.3, §4): lines "NNN-text", "NNN text" (the
 * last), "NNN+text" followed by a data block ended by a lone "."; lines end in CRLF. Limits
 * keep a misbehaving peer from making us buffer without bound.
 */
public final class TorReplyReader {
    /** Longer than any line Tor sends for the commands we use (config-text is a data block). */
    static final int MAX_LINE = 16 * 1024;
    /** Total characters of one reply, data blocks included. */
    static final int MAX_REPLY = 1024 * 1024;

    static final int MAX_LINES = 4096;

    /** Where reply bytes come from; blocks until at least one byte or end of stream (-1). */
    public interface Source {
        int read(byte[] buffer) throws IOException;
    }

    private final Source source;
    private final byte[] buffer = new byte[4096];
    private int pos;
    private int limit;

    public TorReplyReader(Source source) {
        this.source = source;
    }

    /**
     * Reads one complete reply.
     *
     * @throws TorControlException for malformed input, exceeded limits or end of stream
     * @throws IOException if the source fails
     */
    public TorReply read() throws TorControlException, IOException {
        List<TorReply.Line> lines = new ArrayList<>();
        int status = -1;
        int total = 0;
        while (true) {
            String line = readLine();
            total += line.length();
            if (line.length() < 4) {
                throw new TorControlException(0, "malformed reply line (shorter than 4 characters)");
            }
            int code = code(line);
            if (status == -1) {
                status = code;
            } else if (code != status) {
                throw new TorControlException(0, "reply mixes status codes " + status + " and " + code);
            }
            char sep = line.charAt(3);
            String text = line.substring(4);
            switch (sep) {
                case ' ' -> {
                    lines.add(new TorReply.Line(text, Optional.empty()));
                    return new TorReply(status, lines);
                }
                case '-' -> lines.add(new TorReply.Line(text, Optional.empty()));
                case '+' -> {
                    StringBuilder data = new StringBuilder();
                    while (true) {
                        String d = readLine();
                        total += d.length();
                        if (total > MAX_REPLY) {
                            throw new TorControlException(0, "reply larger than " + MAX_REPLY + " characters");
                        }
                        if (d.equals(".")) {
                            break;
                        }
                        data.append(d.startsWith(".") ? d.substring(1) : d).append('\n');
                    }
                    lines.add(new TorReply.Line(text, Optional.of(data.toString())));
                }
                default ->
                    throw new TorControlException(
                            0, "malformed reply line: separator '" + printable(sep) + "' after status " + code);
            }
            if (total > MAX_REPLY) {
                throw new TorControlException(0, "reply larger than " + MAX_REPLY + " characters");
            }
            if (lines.size() >= MAX_LINES) {
                throw new TorControlException(0, "reply has more than " + MAX_LINES + " lines");
            }
        }
    }

    private static int code(String line) throws TorControlException {
        for (int i = 0; i < 3; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') {
                throw new TorControlException(0, "malformed reply line: status is not three digits");
            }
        }
        int code = Integer.parseInt(line.substring(0, 3));
        if (code < 200 || code > 699) {
            throw new TorControlException(0, "malformed reply line: status " + code + " out of range");
        }
        return code;
    }

    private String readLine() throws TorControlException, IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean sawCr = false;
        while (true) {
            if (pos == limit) {
                int n = source.read(buffer);
                if (n < 0) {
                    throw new TorControlException(0, "control connection closed by Tor");
                }
                pos = 0;
                limit = n;
                continue;
            }
            byte b = buffer[pos++];
            if (sawCr) {
                if (b != '\n') {
                    throw new TorControlException(0, "malformed reply: CR not followed by LF");
                }
                return line.toString(StandardCharsets.UTF_8);
            }
            if (b == '\r') {
                sawCr = true;
            } else if (b == '\n') {
                throw new TorControlException(0, "malformed reply: line ends with LF instead of CRLF");
            } else if (b == 0) {
                throw new TorControlException(0, "malformed reply: NUL byte");
            } else {
                if (line.size() >= MAX_LINE) {
                    throw new TorControlException(0, "reply line longer than " + MAX_LINE + " bytes");
                }
                line.write(b);
            }
        }
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c);
    }
}
