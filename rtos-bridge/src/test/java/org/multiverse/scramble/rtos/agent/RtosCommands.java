package org.multiverse.scramble.rtos.agent;

import com.google.protobuf.ByteString;
import org.multiverse.scramble.protocol.v1.AgentSubscribe;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.RtosInfo;
import org.multiverse.scramble.protocol.v1.RtosList;
import org.multiverse.scramble.protocol.v1.RtosPing;
import org.multiverse.scramble.protocol.v1.RtosRead;
import org.multiverse.scramble.protocol.v1.RtosStream;
import org.multiverse.scramble.protocol.v1.RtosTimeSync;
import org.multiverse.scramble.protocol.v1.RtosWrite;

/** The {@code rtos} commands as the shell builds them. */
final class RtosCommands {

    private RtosCommands() {}

    static Command list() {
        return Command.newBuilder().setRtosList(RtosList.getDefaultInstance()).build();
    }

    static Command ping(String node) {
        return Command.newBuilder()
                .setRtosPing(RtosPing.newBuilder().setNode(node))
                .build();
    }

    static Command info(String node) {
        return Command.newBuilder()
                .setRtosInfo(RtosInfo.newBuilder().setNode(node))
                .build();
    }

    static Command read(String node, String channel) {
        return Command.newBuilder()
                .setRtosRead(RtosRead.newBuilder().setNode(node).setChannel(channel))
                .build();
    }

    static Command write(String node, String channel, double value, long atOffsetMicros, byte[] nodeCommand) {
        return Command.newBuilder()
                .setRtosWrite(RtosWrite.newBuilder()
                        .setNode(node)
                        .setChannel(channel)
                        .setValue(value)
                        .setAtOffsetMicros(atOffsetMicros)
                        .setNodeCommand(ByteString.copyFrom(nodeCommand)))
                .build();
    }

    static Command stream(String node, String channel, int hz, int seconds) {
        return Command.newBuilder()
                .setRtosStream(RtosStream.newBuilder()
                        .setNode(node)
                        .setChannel(channel)
                        .setHz(hz)
                        .setSeconds(seconds))
                .build();
    }

    static Command timeSync(String node) {
        return Command.newBuilder()
                .setRtosTimeSync(RtosTimeSync.newBuilder().setNode(node))
                .build();
    }

    static Command subscribe(String kindPrefix) {
        return Command.newBuilder()
                .setAgentSubscribe(AgentSubscribe.newBuilder().addKinds(kindPrefix))
                .build();
    }
}
