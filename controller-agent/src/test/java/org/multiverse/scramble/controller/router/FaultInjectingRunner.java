package org.multiverse.scramble.controller.router;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.multiverse.scramble.protocol.process.ProcessResult;
import org.multiverse.scramble.protocol.process.ProcessRunner;

/** The real runner, except that a command matching the armed predicate fails (once) as if the tool had. */
final class FaultInjectingRunner implements ProcessRunner {
    private final ProcessRunner real;
    private volatile Predicate<List<String>> fault;

    FaultInjectingRunner(ProcessRunner real) {
        this.real = real;
    }

    void failOnce(Predicate<List<String>> predicate) {
        this.fault = predicate;
    }

    @Override
    public ProcessResult run(List<String> argv, Duration timeout) {
        Predicate<List<String>> f = fault;
        if (f != null && f.test(argv)) {
            fault = null;
            return new ProcessResult(2, new byte[0], "injected failure");
        }
        return real.run(argv, timeout);
    }
}
