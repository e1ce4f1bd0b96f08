package org.multiverse.scramble.shell.registry;

import static org.multiverse.scramble.shell.registry.CommandSpec.command;

import java.util.List;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.protocol.v1.Command.KindCase;
import org.multiverse.scramble.protocol.v1.Result;
import org.multiverse.scramble.protocol.v1.RtosInfo;
import org.multiverse.scramble.protocol.v1.RtosList;
import org.multiverse.scramble.protocol.v1.RtosPing;
import org.multiverse.scramble.protocol.v1.RtosRead;
import org.multiverse.scramble.protocol.v1.RtosStream;
import org.multiverse.scramble.protocol.v1.RtosTimeSync;
import org.multiverse.scramble.protocol.v1.RtosWrite;

/** The RTOS bridge's commands: real-time nodes and their channels. */
final class RtosCommands {

    private static final ArgSpec NODE = ArgSpec.positional("NODE", ArgType.NAME, LiveName.RTOS_NODE, "the node");
    private static final ArgSpec CHANNEL =
            ArgSpec.positional("CHANNEL", ArgType.NAME, LiveName.RTOS_CHANNEL, "the node's channel");

    private RtosCommands() {}

    static List<CommandSpec> all() {
        return List.of(
                command(KindCase.RTOS_LIST)
                        .help("The nodes, their links, boards and failsafe state.", "rtos list")
                        .answers(Result.KindCase.RTOS_LIST)
                        .builds((a, c) -> Command.newBuilder()
                                .setRtosList(RtosList.getDefaultInstance())
                                .build()),
                command(KindCase.RTOS_PING)
                        .help("Round trip to a node.", "rtos ping motor-1")
                        .arg(NODE)
                        .answers(Result.KindCase.RTOS_PING)
                        .builds((a, c) -> Command.newBuilder()
                                .setRtosPing(RtosPing.newBuilder().setNode(a.text("NODE")))
                                .build()),
                command(KindCase.RTOS_INFO)
                        .help("A node's board, firmware, clock and channels.", "rtos info motor-1")
                        .arg(NODE)
                        .answers(Result.KindCase.RTOS_INFO)
                        .builds((a, c) -> Command.newBuilder()
                                .setRtosInfo(RtosInfo.newBuilder().setNode(a.text("NODE")))
                                .build()),
                command(KindCase.RTOS_READ)
                        .help("Read one channel of a node.", "rtos read motor-1 temperature")
                        .arg(NODE)
                        .arg(CHANNEL)
                        .answers(Result.KindCase.RTOS_VALUE)
                        .builds((a, c) -> Command.newBuilder()
                                .setRtosRead(RtosRead.newBuilder()
                                        .setNode(a.text("NODE"))
                                        .setChannel(a.text("CHANNEL")))
                                .build()),
                command(KindCase.RTOS_WRITE)
                        .help(
                                "Write a channel, now or deadline-tagged at now + offset on the node's clock; "
                                        + "the node verifies the write signed by your session key.",
                                "rtos write motor-1 speed 42.5 --at +50ms")
                        .arg(NODE)
                        .arg(CHANNEL)
                        .arg(ArgSpec.positional(
                                "VALUE",
                                ArgType.FLOAT32,
                                null,
                                "the value, one a 32-bit float holds (the node's channels are float32)"))
                        .arg(ArgSpec.option(
                                "--at",
                                ArgType.OFFSET,
                                "run at now + DURATION (+500us, +50ms, +2s), or the node refuses it as late"))
                        .answers(Result.KindCase.RTOS_VALUE)
                        // node_command is signed when it is sent: it needs the node's ID and channel
                        // index from a signed rtos info, and the time of sending.
                        .sendsWith(new RtosWriteStep())
                        .builds((a, c) -> Command.newBuilder()
                                .setRtosWrite(RtosWrite.newBuilder()
                                        .setNode(a.text("NODE"))
                                        .setChannel(a.text("CHANNEL"))
                                        .setValue(a.decimal("VALUE"))
                                        .setAtOffsetMicros(a.uint64("--at", 0)))
                                .build()),
                command(KindCase.RTOS_STREAM)
                        .help(
                                "Stream a channel for a while and report loss, jitter and deadline misses.",
                                "rtos stream motor-1 speed --hz 100 --seconds 5")
                        .arg(NODE)
                        .arg(CHANNEL)
                        .arg(ArgSpec.option("--hz", ArgType.UINT, "samples per second"))
                        .arg(ArgSpec.option("--seconds", ArgType.UINT, "how long"))
                        .answers(Result.KindCase.RTOS_STREAM_REPORT)
                        .builds((a, c) -> Command.newBuilder()
                                .setRtosStream(RtosStream.newBuilder()
                                        .setNode(a.text("NODE"))
                                        .setChannel(a.text("CHANNEL"))
                                        .setHz(a.uint("--hz", 0))
                                        .setSeconds(a.uint("--seconds", 0)))
                                .build()),
                command(KindCase.RTOS_TIME_SYNC)
                        .help("Synchronise a node's clock and report offset and drift.", "rtos time-sync motor-1")
                        .arg(NODE)
                        .answers(Result.KindCase.RTOS_TIME_SYNC)
                        .builds((a, c) -> Command.newBuilder()
                                .setRtosTimeSync(RtosTimeSync.newBuilder().setNode(a.text("NODE")))
                                .build()));
    }
}
