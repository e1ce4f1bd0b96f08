package org.multiverse.scramble.rtos.agent;

import java.util.List;
import org.multiverse.scramble.protocol.v1.Result;
import org.multiverse.scramble.protocol.v1.RtosChannelInfo;
import org.multiverse.scramble.protocol.v1.RtosInfoResult;
import org.multiverse.scramble.protocol.v1.RtosListResult;
import org.multiverse.scramble.protocol.v1.RtosNodeInfo;
import org.multiverse.scramble.protocol.v1.RtosPingResult;
import org.multiverse.scramble.protocol.v1.RtosStreamReport;
import org.multiverse.scramble.protocol.v1.RtosTimeSyncResult;
import org.multiverse.scramble.protocol.v1.RtosValue;
import org.multiverse.scramble.rtos.link.ChannelDescription;
import org.multiverse.scramble.rtos.link.NodeDescription;
import org.multiverse.scramble.rtos.link.NodeStatus;
import org.multiverse.scramble.rtos.link.Reading;
import org.multiverse.scramble.rtos.link.StreamReport;
import org.multiverse.scramble.rtos.link.TimeSyncResult;
import org.multiverse.scramble.rtos.link.WriteOutcome;

/** The bridge's answers as the typed results of results.proto. */
final class RtosResults {

    private RtosResults() {}

    static Result list(List<NodeStatus> nodes) {
        RtosListResult.Builder b = RtosListResult.newBuilder();
        nodes.forEach(n -> b.addNodes(node(n)));
        return Result.newBuilder().setRtosList(b).build();
    }

    static RtosNodeInfo node(NodeStatus n) {
        return RtosNodeInfo.newBuilder()
                .setName(n.name())
                .setLinkUp(n.linkUp())
                .setBoard(n.board())
                .setFirmware(n.firmware())
                .setClockOffsetMicros(n.clockOffsetMicros())
                .setFailsafe(n.failsafe())
                .build();
    }

    static Result info(NodeDescription d) {
        RtosInfoResult.Builder b = RtosInfoResult.newBuilder()
                .setNode(node(d.status()))
                .setClockHz((int) d.clockHz())
                .setNodeId(d.status().nodeId())
                .addAllCapabilities(d.capabilities());
        for (ChannelDescription c : d.channels()) {
            b.addChannels(RtosChannelInfo.newBuilder()
                    .setName(c.name())
                    .setWritable(c.writable())
                    .setUnit(c.unit()));
        }
        return Result.newBuilder().setRtosInfo(b).build();
    }

    static Result ping(long roundTripMicros) {
        return Result.newBuilder()
                .setRtosPing(RtosPingResult.newBuilder().setRoundTripMicros(roundTripMicros))
                .build();
    }

    static Result reading(Reading r) {
        return Result.newBuilder()
                .setRtosValue(RtosValue.newBuilder()
                        .setChannel(r.channel())
                        .setValue(r.value())
                        .setNodeTimeMicros(r.nodeTimeMicros()))
                .build();
    }

    /** A write: the value as the node holds it (a float), and when it really ran. */
    static Result written(WriteOutcome w) {
        return Result.newBuilder()
                .setRtosValue(RtosValue.newBuilder()
                        .setChannel(w.channel())
                        .setValue(w.value())
                        .setNodeTimeMicros(w.executedAtNodeMicros())
                        .setExecutedAtMicros(w.executedAtUnixMicros()))
                .build();
    }

    static Result stream(StreamReport r) {
        return Result.newBuilder()
                .setRtosStreamReport(RtosStreamReport.newBuilder()
                        .setSamples(r.received())
                        .setLost(r.lost())
                        .setJitterP50Micros(r.jitterP50Micros())
                        .setJitterP99Micros(r.jitterP99Micros())
                        .setDeadlineMisses(r.deadlineMisses()))
                .build();
    }

    static Result timeSync(TimeSyncResult t) {
        return Result.newBuilder()
                .setRtosTimeSync(RtosTimeSyncResult.newBuilder()
                        .setOffsetMicros(t.offsetMicros())
                        .setDriftPpm(t.driftPpm())
                        .setRoundTripMicros(t.roundTripMicros()))
                .build();
    }
}
