package org.multiverse.scramble.e2e.guest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.multiverse.scramble.host.guest.VirtioSerialPort;

/**
 * The host side of the host-root guest's line protocol ({@code src/test/guest/hostroot-init.sh})
 * on the virtio-serial port {@value HostRootGuest#TEST_PORT}, whose QEMU end is a chardev unix
 * socket.
 *
 * <p>The protocol, one line each way per message: the host opens with {@code HELLO}, the guest
 * answers {@code READY <kernel release>}. Requests: {@code RUN ID B64CMD} (run {@code sh -c CMD}
 * in the host root, in the background), {@code SEND ID B64LINE} (a line to its stdin),
 * {@code CLOSE ID} (end its stdin), {@code POWEROFF}. Replies: {@code OUT ID <line>} per line of
 * merged stdout and stderr, {@code EXIT ID <code> <elapsed ms>}, {@code ERR <reason>} for a
 * request the guest refused ({@code ERR RUN|SEND|CLOSE ID: why} when it names an ID), and
 * {@code FAIL <reason>} before the guest powers off after a fatal error. Arguments are base64 so
 * that any text passes; an ID is {@value #ID_SYNTAX}.
 *
 * <p>A daemon thread reads the guest's lines as they come and sorts them by ID, so output never
 * waits in the socket and several commands can run at once. The methods may be called from any
 * thread; each request goes out as one whole line.
 */
public final class GuestCommandPort implements AutoCloseable {

    /** What an ID may be: short, and safe as a file name in the guest. */
    public static final String ID_SYNTAX = "[a-z0-9-]{1,16}";

    /** The end of one command in the guest. */
    public record Exit(int code, long elapsedMillis, List<String> output) {}

    private static final Pattern ID = Pattern.compile(ID_SYNTAX);
    private static final Pattern ERR_FOR_ID = Pattern.compile("(?:RUN|SEND|CLOSE) (" + ID_SYNTAX + "): .*");

    /** The reader waits for lines in slices this long, far beyond any test, until closed. */
    private static final Duration READ_SLICE = Duration.ofDays(1);

    /** How many unattributable lines are kept for a failure message. */
    private static final int MAX_STRAY_LINES = 50;

    private final VirtioSerialPort port;
    private final Thread reader;
    private final Object writeLock = new Object();

    // Guarded by this.
    private final Map<String, Job> jobs = new HashMap<>();
    private final List<String> errors = new ArrayList<>();
    private final List<String> stray = new ArrayList<>();
    private String ready;
    private String failure;
    private boolean closed;

    /** What arrived for one ID. */
    private static final class Job {
        final List<String> output = new ArrayList<>();
        Exit exit;
        String error;
    }

    private GuestCommandPort(VirtioSerialPort port) {
        this.port = port;
        this.reader = new Thread(this::readLines, "guest-command-port");
        reader.setDaemon(true);
    }

    /**
     * Connects to QEMU's socket for the port once it listens, giving up at {@code deadline} or
     * when {@code qemuAlive} turns false.
     */
    public static GuestCommandPort connect(Path socket, Instant deadline, BooleanSupplier qemuAlive)
            throws IOException, InterruptedException {
        GuestCommandPort commands = new GuestCommandPort(VirtioSerialPort.connect(socket, deadline, qemuAlive));
        commands.reader.start();
        return commands;
    }

    /**
     * Says {@code HELLO} and waits for {@code READY}: the guest talks only after the host's first
     * line, because QEMU drops what a guest writes while no host client is connected.
     *
     * @return the guest's kernel release
     */
    public String hello(Instant deadline) throws IOException, InterruptedException {
        synchronized (this) {
            ready = null;
        }
        writeLine("HELLO");
        synchronized (this) {
            while (ready == null) {
                waitUntil(deadline, "READY");
            }
            return ready;
        }
    }

    /** Starts {@code sh -c command} in the guest's host root as {@code id}. */
    public void run(String id, String command) throws IOException {
        checkId(id);
        synchronized (this) {
            Job previous = jobs.get(id);
            if (previous != null && previous.exit == null && previous.error == null) {
                throw new IllegalStateException("command " + id + " is still running");
            }
            jobs.put(id, new Job());
        }
        writeLine("RUN " + id + " " + base64(command));
    }

    /** Writes {@code line} and a newline to the stdin of command {@code id}. */
    public void send(String id, String line) throws IOException {
        checkId(id);
        writeLine("SEND " + id + " " + base64(line));
    }

    /** Closes the stdin of command {@code id}: it reads end-of-file once it has read the rest. */
    public void closeInput(String id) throws IOException {
        checkId(id);
        writeLine("CLOSE " + id);
    }

    /** Asks the guest to sync and power off; QEMU then exits. */
    public void powerOff() throws IOException {
        writeLine("POWEROFF");
    }

    /**
     * Waits for command {@code id} to end.
     *
     * @throws IOException at the deadline, if the guest refused the command or failed, or if the
     *     port closed; the message has the output so far
     */
    public Exit awaitExit(String id, Instant deadline) throws IOException, InterruptedException {
        synchronized (this) {
            Job job = job(id);
            while (job.exit == null) {
                checkRefused(id, job);
                waitUntil(deadline, "the end of " + id + " (output so far: " + job.output + ")");
            }
            return job.exit;
        }
    }

    /**
     * Waits for a line of command {@code id} that contains {@code text}, and returns it (a line
     * that came before the call counts too).
     *
     * @throws IOException at the deadline, when the command ended without such a line, if the
     *     guest refused the command or failed, or if the port closed
     */
    public String awaitOutput(String id, String text, Instant deadline) throws IOException, InterruptedException {
        synchronized (this) {
            Job job = job(id);
            for (int seen = 0; ; ) {
                for (; seen < job.output.size(); seen++) {
                    if (job.output.get(seen).contains(text)) {
                        return job.output.get(seen);
                    }
                }
                if (job.exit != null) {
                    throw new IOException(id + " ended (exit " + job.exit.code() + ") without a line" + " containing '"
                            + text + "': " + job.output);
                }
                checkRefused(id, job);
                waitUntil(deadline, "'" + text + "' from " + id + " (output so far: " + job.output + ")");
            }
        }
    }

    /** The lines command {@code id} has written so far. */
    public synchronized List<String> output(String id) {
        return List.copyOf(job(id).output);
    }

    /** Every {@code ERR} reason the guest sent. */
    public synchronized List<String> errors() {
        return List.copyOf(errors);
    }

    /** Writes a raw request line; for testing the guest's refusals. */
    void writeRaw(String line) throws IOException {
        writeLine(line);
    }

    @Override
    public void close() throws IOException {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        port.close(); // wakes the reader, which then ends
    }

    private void writeLine(String line) throws IOException {
        synchronized (writeLock) {
            port.writeLine(line);
        }
    }

    private void readLines() {
        try {
            while (true) {
                String line = port.readLine(Instant.now().plus(READ_SLICE));
                synchronized (this) {
                    dispatch(line);
                    notifyAll();
                }
            }
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                if (!closed && failure == null) {
                    failure = "the port closed (QEMU exited?): " + e.getMessage();
                }
                closed = true;
                notifyAll();
            }
        }
    }

    /** Sorts one guest line; called with this locked. */
    private void dispatch(String line) {
        String[] words = line.split(" ", 3);
        switch (words[0]) {
            case "READY" -> ready = words.length > 1 ? line.substring("READY ".length()) : "";
            case "OUT" -> {
                // "OUT ID " + the line, which may be empty.
                Job job = words.length > 1 ? jobs.get(words[1]) : null;
                if (job == null) {
                    stray(line);
                } else {
                    job.output.add(words.length > 2 ? words[2] : "");
                }
            }
            case "EXIT" -> exit(line, words);
            case "ERR" -> {
                String reason = line.length() > 4 ? line.substring(4) : "";
                errors.add(reason);
                Matcher matcher = ERR_FOR_ID.matcher(reason);
                if (matcher.matches() && jobs.containsKey(matcher.group(1))) {
                    Job job = jobs.get(matcher.group(1));
                    if (job.exit == null && job.error == null) {
                        job.error = reason;
                    }
                }
            }
            case "FAIL" -> failure = "the guest failed: " + line;
            default -> stray(line);
        }
    }

    private void exit(String line, String[] words) {
        String[] fields = line.split(" ");
        Job job = words.length > 1 ? jobs.get(words[1]) : null;
        if (job == null || fields.length != 4) {
            stray(line);
            return;
        }
        try {
            job.exit = new Exit(Integer.parseInt(fields[2]), Long.parseLong(fields[3]), List.copyOf(job.output));
        } catch (NumberFormatException e) {
            stray(line);
        }
    }

    private void stray(String line) {
        if (stray.size() < MAX_STRAY_LINES) {
            stray.add(line);
        }
    }

    private Job job(String id) {
        Job job = jobs.get(id);
        if (job == null) {
            throw new IllegalArgumentException("no command " + id + " was run");
        }
        return job;
    }

    private void checkRefused(String id, Job job) throws IOException {
        if (job.error != null) {
            throw new IOException("the guest refused " + id + ": " + job.error);
        }
    }

    /** One wait for a guest line; called with this locked, in a loop over the awaited state. */
    private void waitUntil(Instant deadline, String what) throws IOException, InterruptedException {
        if (failure != null) {
            throw new IOException(failure + "; while waiting for " + what + strayText());
        }
        if (closed) {
            throw new IOException("the port is closed; while waiting for " + what);
        }
        long millis = Duration.between(Instant.now(), deadline).toMillis();
        if (millis <= 0) {
            throw new IOException("no " + what + " by the deadline" + strayText());
        }
        wait(millis);
    }

    private String strayText() {
        return stray.isEmpty() ? "" : "; unexpected lines: " + stray;
    }

    private static void checkId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("an ID is " + ID_SYNTAX + ", not " + id);
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
