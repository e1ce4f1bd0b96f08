package org.multiverse.scramble.shell.dashboard;

/**
 * How the stream feeding the sparkline is going, as the dashboard counts it from the samples it
 * opened (the bridge's own report arrives when the command ends).
 *
 * @param node     the node streaming
 * @param channel  its channel
 * @param streamId the stream's number on the node
 * @param shown    samples opened and drawn
 * @param lost     sequence numbers that never arrived
 * @param unopened samples that arrived but did not open, dropped
 * @param ended    whether the node's final sample was opened
 * @param problem  the last thing wrong with the stream's events ("" when none)
 */
record StreamProgress(
        String node,
        String channel,
        int streamId,
        long shown,
        long lost,
        long unopened,
        boolean ended,
        String problem) {

    /** A stream that could not be set up or read at all: only the problem is known. */
    static StreamProgress failed(String node, String channel, String problem) {
        return new StreamProgress(node, channel, 0, 0, 0, 0, false, problem);
    }

    static StreamProgress of(SealedStream s, String problem) {
        return new StreamProgress(
                s.node(), s.channel(), s.streamId(), s.shown(), s.lost(), s.unopened(), s.ended(), problem);
    }

    /** One short line for the sparkline's row: "87 shown  3 lost  1 unopened", and the problem if any. */
    String text() {
        StringBuilder s = new StringBuilder()
                .append(shown)
                .append(" shown  ")
                .append(lost)
                .append(" lost");
        if (unopened > 0) {
            s.append("  ").append(unopened).append(" unopened");
        }
        if (!problem.isEmpty()) {
            s.append("  ").append(problem);
        }
        return s.toString();
    }
}
