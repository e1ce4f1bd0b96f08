package org.multiverse.scramble.shell.render;

import java.util.ArrayList;
import java.util.List;
import org.multiverse.scramble.protocol.text.EscapeStripper;

/**
 * Columns aligned on the widest cell, headers in bold. Cells are stripped of escape sequences
 * on the way in, so widths are computed on what is shown.
 */
public final class Table {

    /** Cells wider than this are cut with an ellipsis, so one long value cannot wreck the layout. */
    static final int MAX_CELL = 60;

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... headers) {
        this.headers = List.of(headers);
    }

    public Table row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + headers.size() + " columns");
        }
        List<String> r = new ArrayList<>();
        for (Object c : cells) {
            String s = EscapeStripper.strip(String.valueOf(c));
            r.add(s.length() > MAX_CELL ? s.substring(0, MAX_CELL - 1) + "…" : s);
        }
        rows.add(r);
        return this;
    }

    public int size() {
        return rows.size();
    }

    public List<String> render(Style style) {
        int[] width = new int[headers.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = headers.get(c).length();
            for (List<String> r : rows) {
                width[c] = Math.max(width[c], r.get(c).length());
            }
        }
        List<String> out = new ArrayList<>();
        out.add(style.bold(line(headers, width)));
        for (List<String> r : rows) {
            out.add(line(r, width));
        }
        return out;
    }

    private static String line(List<String> cells, int[] width) {
        StringBuilder s = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            s.append(cell);
            if (c < cells.size() - 1) {
                s.append(" ".repeat(width[c] - cell.length() + 2));
            }
        }
        return s.toString().stripTrailing();
    }
}
