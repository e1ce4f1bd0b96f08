package org.multiverse.scramble.host.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.multiverse.scramble.host.hypervisor.HypervisorException;
import org.multiverse.scramble.host.hypervisor.VmEvent;
import org.multiverse.scramble.host.hypervisor.VmHandle;
import org.multiverse.scramble.host.hypervisor.VmStatus;

/**
 * One QEMU process under our control: its QMP connection, its exit. A process we started
 * is our child and reports its exit status; an adopted one (started before an agent
 * restart) is not, so its exit is noticed by polling {@code /proc} and its status is unknown.
 */
final class QemuVm implements VmHandle {

    /** How often an adopted (non-child) QEMU is checked for exit; Java offers no pidfd. */
    static final long ADOPTED_EXIT_POLL_MILLIS = 100;
    /** How often {@link #awaitExit} looks at an adopted process. */
    private static final long AWAIT_POLL_MILLIS = 10;

    private final String name;
    private final long pid;
    private final long startTime;
    private final Process child;
    private final Duration qmpTimeout;
    private final AtomicBoolean exited = new AtomicBoolean();
    private volatile Consumer<VmEvent> listener;
    private volatile QmpClient qmp;
    private volatile ScheduledFuture<?> poller;

    private QemuVm(
            String name, long pid, long startTime, Process child, Duration qmpTimeout, Consumer<VmEvent> listener) {
        this.name = name;
        this.pid = pid;
        this.startTime = startTime;
        this.child = child;
        this.qmpTimeout = qmpTimeout;
        this.listener = listener;
    }

    /** A QEMU this agent just started (our child). */
    static QemuVm started(String name, Process child, Duration qmpTimeout, Consumer<VmEvent> listener) {
        long start = ProcFiles.startTimeIfRunning(child.pid()).orElse(-1);
        return new QemuVm(name, child.pid(), start, child, qmpTimeout, listener);
    }

    /** A QEMU found running after an agent restart. */
    static QemuVm adopted(String name, long pid, long startTime, Duration qmpTimeout, Consumer<VmEvent> listener) {
        return new QemuVm(name, pid, startTime, null, qmpTimeout, listener);
    }

    /** Begins watching for the process's exit (call once the QMP connection stands). */
    void watchExit(ScheduledExecutorService scheduler) {
        if (child != null) {
            child.onExit().thenAccept(p -> exited(p.exitValue()));
        } else {
            poller = scheduler.scheduleWithFixedDelay(
                    () -> {
                        if (!isAlive()) {
                            exited(null);
                        }
                    },
                    ADOPTED_EXIT_POLL_MILLIS,
                    ADOPTED_EXIT_POLL_MILLIS,
                    TimeUnit.MILLISECONDS);
        }
    }

    void attachQmp(QmpClient client) {
        this.qmp = client;
    }

    /** Turns QMP's events into backend-neutral ones. */
    void onQmpEvent(QmpEvent event) {
        VmEvent.Kind kind;
        switch (event.name()) {
            case "SHUTDOWN" -> kind = VmEvent.Kind.SHUTDOWN;
            case "STOP" -> kind = VmEvent.Kind.STOP;
            case "RESUME" -> kind = VmEvent.Kind.RESUME;
            case "RESET" -> kind = VmEvent.Kind.RESET;
            default -> {
                return;
            }
        }
        emit(new VmEvent(kind, event.data().path("reason").asText(""), null));
    }

    private void exited(Integer status) {
        if (!exited.compareAndSet(false, true)) {
            return;
        }
        ScheduledFuture<?> p = poller;
        if (p != null) {
            p.cancel(false);
        }
        QmpClient q = qmp;
        if (q != null) {
            q.close();
        }
        emit(new VmEvent(VmEvent.Kind.EXIT, describeExit(status), status));
    }

    static String describeExit(Integer status) {
        if (status == null) {
            return "exit status unknown (the process was adopted after an agent restart)";
        }
        if (status > 128 && status < 128 + 65) {
            return "killed by signal " + (status - 128);
        }
        return "exit status " + status;
    }

    private void emit(VmEvent event) {
        Consumer<VmEvent> l = listener;
        if (l != null) {
            l.accept(event);
        }
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public VmStatus status() throws HypervisorException {
        if (!isAlive()) {
            return VmStatus.EXITED;
        }
        JsonNode r;
        try {
            r = qmp("query-status").execute("query-status", Map.of(), qmpTimeout);
        } catch (QmpException e) {
            if (!isAlive()) {
                return VmStatus.EXITED;
            }
            throw unavailable(e);
        }
        return switch (r.path("status").asText("")) {
            case "running" -> VmStatus.RUNNING;
            case "shutdown" -> VmStatus.SHUTDOWN;
            case "internal-error", "io-error", "guest-panicked" -> VmStatus.ERROR;
            default -> VmStatus.PAUSED;
        };
    }

    @Override
    public void pause() throws HypervisorException {
        run("stop");
    }

    @Override
    public void resume() throws HypervisorException {
        run("cont");
    }

    @Override
    public void powerdown() throws HypervisorException {
        run("system_powerdown");
    }

    private void run(String command) throws HypervisorException {
        try {
            qmp(command).execute(command, Map.of(), qmpTimeout);
        } catch (QmpException e) {
            throw unavailable(e);
        }
    }

    private QmpClient qmp(String command) throws QmpException {
        QmpClient q = qmp;
        if (q == null || !q.isOpen()) {
            throw new QmpException("Disconnected", command + ": no QMP connection to " + name);
        }
        return q;
    }

    private HypervisorException unavailable(QmpException e) {
        return new HypervisorException(
                HypervisorException.Reason.UNAVAILABLE,
                "QEMU of " + name + " (pid " + pid + ") does not answer: " + e.getMessage());
    }

    @Override
    public void kill() {
        if (child != null) {
            child.destroyForcibly();
            return;
        }
        // Only signal the process we adopted, never a later one that reused its pid.
        OptionalLong now = ProcFiles.startTimeIfRunning(pid);
        if (now.isPresent() && now.getAsLong() == startTime) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Override
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        if (child != null) {
            return child.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (isAlive()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(AWAIT_POLL_MILLIS);
        }
        return true;
    }

    @Override
    public boolean isAlive() {
        if (child != null) {
            return child.isAlive();
        }
        OptionalLong now = ProcFiles.startTimeIfRunning(pid);
        return now.isPresent() && now.getAsLong() == startTime;
    }

    @Override
    public void detach() {
        listener = null;
        ScheduledFuture<?> p = poller;
        if (p != null) {
            p.cancel(false);
        }
        QmpClient q = qmp;
        if (q != null) {
            q.close();
        }
    }
}
