package org.multiverse.scramble.shell.registry;

import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.shell.ShellFailure;

/** Turns checked arguments into the protobuf command that is signed and sent. */
@FunctionalInterface
public interface CommandFactory {

    Command build(ParsedArgs args, BuildContext context) throws ShellFailure;
}
