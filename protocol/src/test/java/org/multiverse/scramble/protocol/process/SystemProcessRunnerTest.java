package org.multiverse.scramble.protocol.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real runner against real programs (coreutils and a shell that this test itself chooses to run). */
class SystemProcessRunnerTest {

    private final SystemProcessRunner runner = new SystemProcessRunner();

    @Test
    void capturesBothStreamsSeparatelyAndTheExitStatus() {
        ProcessResult r = runner.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"));
        assertEquals(3, r.exitCode());
        assertFalse(r.succeeded());
        assertEquals("out\n", r.stdoutText());
        assertEquals("err\n", r.stderr());
        assertEquals("err", r.diagnostic());
    }

    @Test
    void argumentsAreNeverShellSyntax() {
        ProcessResult r = runner.check(List.of("printf", "%s|", "$(id)", "a b", ";", "*", "--"));
        assertEquals("$(id)|a b|;|*|--|", r.stdoutText());
    }

    @Test
    void theEnvironmentIsCleanAndTheLocaleFixed() {
        Set<String> env = runner.check(List.of("env")).stdoutText().lines().collect(Collectors.toSet());
        assertEquals(Set.of("PATH=" + SystemProcessRunner.PATH, "LC_ALL=" + SystemProcessRunner.LOCALE), env);
    }

    @Test
    void standardInputIsEmpty() {
        assertEquals("", runner.check(List.of("cat"), Duration.ofSeconds(10)).stdoutText());
    }

    @Test
    void diagnosticFallsBackToStandardOutput() {
        assertEquals(
                "said on stdout",
                runner.run(List.of("sh", "-c", "echo said on stdout; exit 1")).diagnostic());
    }

    /** Was the host agent's CommandRunner test: a slow program is bounded in time. */
    @Test
    void aProgramOverItsTimeIsKilledAndRefused() {
        long start = System.nanoTime();
        ProcessFailedException e = assertThrows(
                ProcessFailedException.class, () -> runner.run(List.of("sleep", "5"), Duration.ofMillis(200)));
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(4).toNanos(), "killed, not waited for");
        assertFalse(e.finished());
        assertEquals(ProcessFailedException.DID_NOT_FINISH, e.exitCode());
        assertEquals("sleep: did not finish within 200 ms; killed", e.getMessage());
    }

    @Test
    void aTimeoutKillsWhatTheProgramStartedToo(@TempDir Path dir) throws Exception {
        Path pidFile = dir.resolve("child.pid");
        ProcessFailedException e = assertThrows(
                ProcessFailedException.class,
                () -> runner.run(
                        List.of("sh", "-c", "sleep 30 & echo $! > \"$1\"; wait", "sh", pidFile.toString()),
                        Duration.ofSeconds(2)));
        assertTrue(e.getMessage().contains("did not finish"), e.getMessage());
        long child = Long.parseLong(Files.readString(pidFile).strip());
        Optional<ProcessHandle> left = ProcessHandle.of(child);
        if (left.isPresent()) {
            left.get().onExit().get(5, TimeUnit.SECONDS); // SIGKILL is delivered, not awaited
        }
    }

    /**
     * Was the host agent's CommandRunner test ("a runaway program cannot fill the heap"), which
     * cut the output; the merged runner refuses it instead, because standard output is parsed.
     */
    @Test
    void outputBeyondTheLimitIsRefusedNotCut() {
        ProcessFailedException e = assertThrows(
                ProcessFailedException.class,
                () -> runner.run(
                        List.of("head", "-c", Integer.toString(SystemProcessRunner.MAX_OUTPUT_BYTES + 1), "/dev/zero"),
                        Duration.ofSeconds(10)));
        assertTrue(
                e.getMessage()
                        .contains("wrote more than " + SystemProcessRunner.MAX_OUTPUT_BYTES
                                + " bytes of standard output"),
                e.getMessage());
        ProcessResult atLimit = runner.check(
                List.of("head", "-c", Integer.toString(SystemProcessRunner.MAX_OUTPUT_BYTES), "/dev/zero"),
                Duration.ofSeconds(10));
        assertEquals(SystemProcessRunner.MAX_OUTPUT_BYTES, atLimit.stdout().length);
    }

    @Test
    void endlessOutputIsStoppedAtOnceNotAtTheDeadline() {
        long start = System.nanoTime();
        ProcessFailedException e = assertThrows(
                ProcessFailedException.class, () -> runner.run(List.of("sh", "-c", "yes >&2"), Duration.ofSeconds(60)));
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(30).toNanos(), "stopped at the limit");
        assertTrue(e.getMessage().contains("bytes of error output"), e.getMessage());
    }

    @Test
    void checkRefusesANonZeroStatusWithWhatTheProgramSaid() {
        ProcessFailedException e = assertThrows(
                ProcessFailedException.class,
                () -> runner.check(List.of("sh", "-c", "printf 'first\\n\\033[31msecond\\n' >&2; exit 2")));
        assertEquals(2, e.exitCode());
        assertTrue(e.finished());
        assertEquals(
                "sh -c printf 'first\\n\\033[31msecond\\n' >&2; exit 2 exited with status 2: first / second",
                e.getMessage());
    }

    @Test
    void aLongDiagnosticIsCut() {
        ProcessFailedException e = assertThrows(
                ProcessFailedException.class,
                () -> runner.check(List.of("sh", "-c", "head -c 5000 /dev/zero | tr '\\0' x >&2; exit 1")));
        assertTrue(
                e.getMessage().endsWith("x".repeat(ProcessFailedException.MAX_DIAGNOSTIC_IN_MESSAGE) + "..."),
                e.getMessage());
    }

    @Test
    void aMissingProgramCannotStart() {
        ProcessFailedException e =
                assertThrows(ProcessFailedException.class, () -> runner.run(List.of("no-such-program-anywhere")));
        assertTrue(e.getMessage().startsWith("no-such-program-anywhere: cannot start: "), e.getMessage());
        assertFalse(e.finished());
    }

    @Test
    void anEmptyCommandOrTimeoutIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> runner.run(List.of()));
        assertThrows(IllegalArgumentException.class, () -> runner.run(List.of("true"), Duration.ZERO));
    }
}
