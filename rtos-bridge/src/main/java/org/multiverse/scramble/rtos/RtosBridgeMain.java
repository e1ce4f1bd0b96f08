package org.multiverse.scramble.rtos;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code rtos-bridge}: the bridge to real-time nodes, and a simulated node for tests. */
@Command(name = "rtos-bridge", mixinStandardHelpOptions = true,
    subcommands = {SimulateNodeCommand.class},
    description = "The RTOS bridge of Scramble Shell (wire spec: rtos-bridge/WIRE.md).")
public final class RtosBridgeMain {

  private RtosBridgeMain() {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new RtosBridgeMain()).execute(args));
  }
}
