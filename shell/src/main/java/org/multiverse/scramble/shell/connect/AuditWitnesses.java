package org.multiverse.scramble.shell.connect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.multiverse.scramble.protocol.session.CommandOutcome;
import org.multiverse.scramble.protocol.v1.AuditVerify;
import org.multiverse.scramble.protocol.v1.AuditVerifyResult;
import org.multiverse.scramble.protocol.v1.AuditWitness;
import org.multiverse.scramble.protocol.v1.Command;
import org.multiverse.scramble.suite.identity.InvalidScrambleIdException;
import org.multiverse.scramble.suite.identity.ScrambleId;
import org.multiverse.scramble.suite.keyfile.PrivateFiles;

/**
 * The shell's witness of each pinned agent's audit log (SPEC §13.4): the chain heads (entry
 * count and hash of the last entry) it saw in authentic replies, kept in {@code audit_witnesses}
 * beside the pinned agents. {@code audit verify} asks the agent for its chain's hash at each
 * witnessed count; a count the chain no longer reaches means entries were cut, another hash
 * means entries up to it were changed and the chain recomputed — both named, with when this shell
 * saw the original. A successful check keeps only the newest head: the agent has just shown the
 * others are in its chain.
 *
 * <p>Heads are only compared at {@code audit verify}, not on each reply: replies sealed at once
 * by several workers may arrive out of order, so a lower count alone proves nothing.
 *
 * <p>What a witness cannot see: entries newer than the newest head it saw, and an agent process
 * (with its key) that lies about its own log.
 */
public final class AuditWitnesses {

    /**
     * Heads kept per agent between two checks: each is a hash the next {@code audit verify}
     * asks about (an agent answers at most {@code AnchorCheck.MAX_WITNESSED}). Past this the
     * older half is thinned; the newest, which vouch for the most entries, stay.
     */
    static final int MAX_PER_AGENT = 32;
    /** Saves are batched: a script's replies do not each cost a file write. */
    static final Duration SAVE_EVERY = Duration.ofSeconds(10);

    private static final String HEADER = "# Audit heads seen per agent: SCRAMBLE-ID COUNT HEAD-HEX SEEN-MILLIS";

    /**
     * One head seen.
     *
     * @param count      entries in the agent's chain
     * @param head       hash of entry {@code count}
     * @param seenMillis when this shell saw it
     */
    record Seen(long count, byte[] head, long seenMillis) {
        boolean same(long c, byte[] h) {
            return count == c && Arrays.equals(head, h);
        }

        String describe() {
            return "head " + HexFormat.of().formatHex(head).substring(0, 12) + " seen "
                    + Instant.ofEpochMilli(seenMillis);
        }
    }

    private final Path file;
    private final Clock clock;
    private final Map<String, List<Seen>> byAgent = new TreeMap<>();
    private boolean dirty;
    private long savedMillis;

    private AuditWitnesses(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    /** Witnesses kept for this process only (demo, tests). */
    public static AuditWitnesses inMemory(Clock clock) {
        return new AuditWitnesses(null, clock);
    }

    /** Loads (or starts) the witness file; refuses one others may write or that does not parse. */
    public static AuditWitnesses open(Path file, Clock clock) throws IOException {
        AuditWitnesses w = new AuditWitnesses(file, clock);
        if (!Files.exists(file)) {
            return w;
        }
        if (PrivateFiles.writableByOthers(file)) {
            throw new IOException(file + " may be written by others: a witness anyone can edit witnesses nothing "
                    + "(chmod 600 it)");
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(" ");
            try {
                if (f.length != 4) {
                    throw new IllegalArgumentException("expected 4 fields");
                }
                ScrambleId.parse(f[0]);
                byte[] head = HexFormat.of().parseHex(f[2]);
                if (head.length != 32) {
                    throw new IllegalArgumentException("a head is 32 bytes");
                }
                w.byAgent
                        .computeIfAbsent(f[0], k -> new ArrayList<>())
                        .add(new Seen(Long.parseLong(f[1]), head, Long.parseLong(f[3])));
            } catch (IllegalArgumentException | InvalidScrambleIdException e) {
                throw new IOException(file + ":" + (i + 1) + ": not a witness line (" + e.getMessage() + ")");
            }
        }
        for (List<Seen> seen : w.byAgent.values()) {
            seen.sort((a, b) -> Long.compare(a.count, b.count));
            thin(seen); // a file edited by hand asks no more than one check answers
        }
        return w;
    }

    /** Records the head an authentic reply of {@code agent} carried (the session client's sink); memory only. */
    public void observe(ScrambleId agent, AuditWitness w) {
        byte[] head = w.getHead().toByteArray();
        if (w.getCount() == 0 || head.length != 32) {
            return;
        }
        synchronized (this) {
            List<Seen> seen = byAgent.computeIfAbsent(agent.text(), k -> new ArrayList<>());
            for (Seen s : seen) {
                if (s.same(w.getCount(), head)) {
                    return;
                }
            }
            seen.add(new Seen(w.getCount(), head, clock.millis()));
            seen.sort((a, b) -> Long.compare(a.count, b.count));
            thin(seen);
            dirty = true;
        }
    }

    /** Drops every other head of the older half until at most {@link #MAX_PER_AGENT} remain. */
    private static void thin(List<Seen> seen) {
        while (seen.size() > MAX_PER_AGENT) {
            int half = seen.size() / 2;
            for (int i = half - 1; i >= 1 && seen.size() > MAX_PER_AGENT; i -= 2) {
                seen.remove(i);
            }
        }
    }

    /** The witnessed counts of {@code agent}, ascending. */
    synchronized List<Long> counts(ScrambleId agent) {
        return byAgent.getOrDefault(agent.text(), List.of()).stream()
                .map(Seen::count)
                .toList();
    }

    /** {@code command}, with the witnessed counts added when it is an {@code audit.verify}. */
    public Command ask(ScrambleId agent, Command command) {
        if (!command.hasAuditVerify() || command.getAuditVerify().getWitnessedCountsCount() > 0) {
            return command;
        }
        return command.toBuilder()
                .setAuditVerify(AuditVerify.newBuilder().addAllWitnessedCounts(counts(agent)))
                .build();
    }

    /**
     * The outcome of {@code sent}, with an {@code audit.verify} result judged against this witness:
     * a cut or rewritten log turns it into a failure naming the entries and the head seen.
     */
    public CommandOutcome judge(ScrambleId agent, Command sent, CommandOutcome outcome) {
        if (!sent.hasAuditVerify()
                || !(outcome instanceof CommandOutcome.Ok ok)
                || !ok.result().hasAuditVerify()) {
            return outcome;
        }
        AuditVerifyResult r = ok.result().getAuditVerify();
        List<Long> asked = sent.getAuditVerify().getWitnessedCountsList();
        AuditVerifyResult judged;
        synchronized (this) {
            judged = judge(agent, asked, r);
        }
        return new CommandOutcome.Ok(
                ok.result().toBuilder().setAuditVerify(judged).build(), ok.agentTimeMillis());
    }

    private AuditVerifyResult judge(ScrambleId agent, List<Long> asked, AuditVerifyResult r) {
        List<Seen> seen = byAgent.getOrDefault(agent.text(), List.of());
        List<Seen> matching = new ArrayList<>();
        Seen firstChanged = null;
        byte[] changedTo = null;
        Seen longestMissing = null;
        for (int i = 0; i < asked.size(); i++) {
            long count = asked.get(i);
            byte[] now = i < r.getWitnessedHeadsCount() ? r.getWitnessedHeads(i).toByteArray() : new byte[0];
            for (Seen s : seen) {
                if (s.count != count) {
                    continue;
                }
                if (now.length == 0) {
                    if (longestMissing == null || s.count > longestMissing.count) {
                        longestMissing = s;
                    }
                } else if (Arrays.equals(now, s.head)) {
                    matching.add(s);
                } else if (firstChanged == null || s.count < firstChanged.count) {
                    firstChanged = s;
                    changedTo = now;
                }
            }
        }
        // The hash at a count covers every entry before it: the newest match below the first
        // change bounds where the change is.
        long changedAt = firstChanged == null ? Long.MAX_VALUE : firstChanged.count;
        Seen lastMatching = null;
        for (Seen s : matching) {
            if (s.count < changedAt && (lastMatching == null || s.count > lastMatching.count)) {
                lastMatching = s;
            }
        }
        List<String> problems = new ArrayList<>();
        long firstBad = Long.MAX_VALUE;
        if (firstChanged != null) {
            long from = lastMatching == null ? 1 : lastMatching.count + 1;
            problems.add("entries " + from + ".." + firstChanged.count + " were changed and the chain recomputed: this "
                    + "shell saw entry " + firstChanged.count + " with " + firstChanged.describe()
                    + ", the agent's chain now has "
                    + HexFormat.of().formatHex(changedTo).substring(0, 12)
                    + (lastMatching == null ? "" : " (entry " + lastMatching.count + " still matches)"));
            firstBad = from;
        }
        if (longestMissing != null) {
            long have = r.getEntriesChecked();
            problems.add("entries " + (have + 1) + ".." + longestMissing.count + " are gone: this shell saw the log at "
                    + longestMissing.count + " entries (" + longestMissing.describe() + "), the agent now has " + have
                    + (r.getOk() ? "" : " intact"));
            firstBad = Math.min(firstBad, have + 1);
        }
        AuditVerifyResult.Builder b = r.toBuilder();
        if (problems.isEmpty()) {
            long newest = seen.isEmpty() ? 0 : seen.get(seen.size() - 1).count;
            b.setWitness(
                    asked.isEmpty()
                            ? "no earlier head of this agent witnessed yet"
                            : "consistent with the " + asked.size() + " head(s) this shell witnessed, up to entry "
                                    + newest);
            if (r.getOk() && !seen.isEmpty()) {
                // The agent has just shown every witnessed head is in its chain: the newest vouches for all.
                Seen keep = seen.get(seen.size() - 1);
                seen.removeIf(s -> s != keep && asked.contains(s.count));
                dirty = true;
            }
        } else {
            String witness = "WITNESS CONTRADICTED: " + String.join("; ", problems)
                    + (file == null
                            ? ""
                            : " (if the log was moved aside on purpose, delete this agent's lines from " + file + ")");
            b.setOk(false).setWitness(witness);
            b.setProblem(r.getProblem().isEmpty() ? witness : r.getProblem() + "; " + witness);
            long agentBad = r.getFirstBadIndex() == 0 ? Long.MAX_VALUE : r.getFirstBadIndex();
            b.setFirstBadIndex(Math.min(agentBad, firstBad));
        }
        return b.build();
    }

    /** Writes the file now if anything changed (the connections call it when they close). */
    public synchronized void save() throws IOException {
        if (file == null || !dirty) {
            return;
        }
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        byAgent.forEach((agent, seen) -> seen.forEach(s -> out.append(agent)
                .append(' ')
                .append(s.count)
                .append(' ')
                .append(HexFormat.of().formatHex(s.head))
                .append(' ')
                .append(s.seenMillis)
                .append('\n')));
        PrivateFiles.writeAtomically(file, out.toString().getBytes(StandardCharsets.UTF_8));
        dirty = false;
        savedMillis = clock.millis();
    }

    /**
     * Saves when something changed and the last save is {@link #SAVE_EVERY} old. Called on the
     * sender's thread before each command: {@link #observe} and {@link #judge} run on the
     * transport's thread, which must not wait for a disk.
     */
    public synchronized void saveIfDue() {
        if (!dirty || clock.millis() - savedMillis < SAVE_EVERY.toMillis()) {
            return;
        }
        try {
            save();
        } catch (IOException e) {
            // The witness stays in memory; the next save tries again.
        }
    }

    /** For tests: the heads kept for {@code agent}. */
    synchronized List<Seen> seen(ScrambleId agent) {
        return List.copyOf(byAgent.getOrDefault(agent.text(), List.of()));
    }
}
