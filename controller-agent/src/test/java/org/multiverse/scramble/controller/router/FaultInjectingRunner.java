package org.multiverse.scramble.controller.router;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.multiverse.scramble.controller.net.CommandResult;
import org.multiverse.scramble.controller.net.CommandRunner;

/** The real runner, except that a command matching the armed predicate fails (once) as if the tool had. */
final class FaultInjectingRunner implements CommandRunner {
    private final CommandRunner real;
    private volatile Predicate<List<String>> fault;

    FaultInjectingRunner(CommandRunner real) {
        this.real = real;
    }

    void failOnce(Predicate<List<String>> predicate) {
        this.fault = predicate;
    }

    @Override
    public CommandResult run(List<String> argv, Duration timeout) {
        Predicate<List<String>> f = fault;
        if (f != null && f.test(argv)) {
            fault = null;
            return new CommandResult(2, new byte[0], "injected failure");
        }
        return real.run(argv, timeout);
    }
}
