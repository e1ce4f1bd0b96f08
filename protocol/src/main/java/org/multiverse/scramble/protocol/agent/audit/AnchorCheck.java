package org.multiverse.scramble.protocol.agent.audit;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.multiverse.scramble.suite.identity.ScrambleId;

/**
 * Checks an audit log against the agent's signed checkpoints (SPEC §13.4): each checkpoint must
 * be signed by the agent, and the chain must still have its count of entries with its head.
 * Finds, and names by entry and checkpoint:
 * <ul>
 * <li>newest entries cut off — the chain is shorter than a checkpoint;
 * <li>entries edited, inserted or deleted with the hashes after them recomputed — the chain
 *     no longer has a checkpoint's head;
 * <li>a checkpoint altered or made without the agent's key — its signature fails;
 * <li>the checkpoint file cut or rolled back to an older copy while the chain ran on — entries
 *     stay without a checkpoint far longer than the agent lets them ({@link #UNANCHORED_GRACE}).
 * </ul>
 * What it cannot find alone: the chain and the checkpoint file cut back together to an older
 * consistent pair. A client's witness (the heads it saw in replies) finds that.
 */
public final class AnchorCheck {

    /**
     * How long entries may stand in the log without a checkpoint covering them before that is a
     * sign the checkpoint file was cut: the agent signs every {@link AuditAnchor#INTERVAL} and
     * at shutdown, so twice that plus a minute for a slow disk or a starved thread.
     */
    static final Duration UNANCHORED_GRACE =
            AuditAnchor.INTERVAL.multipliedBy(2).plusSeconds(60);

    /** Most witnessed counts one verification answers (the client keeps fewer). */
    public static final int MAX_WITNESSED = 64;

    private AnchorCheck() {}

    /** Checks the whole log in {@code auditDir} (offline: {@code AGENT audit verify}). */
    public static AnchoredVerification verify(Path auditDir, ScrambleId agent, List<Long> witnessedCounts)
            throws IOException {
        return verify(auditDir, agent, Long.MAX_VALUE, witnessedCounts);
    }

    /**
     * Checks the first {@code limit} entries (a running agent passes its durable count) against
     * every checkpoint, and reports the chain hash at each of {@code witnessedCounts}.
     */
    public static AnchoredVerification verify(Path auditDir, ScrambleId agent, long limit, List<Long> witnessedCounts)
            throws IOException {
        CheckpointFile.Contents file = CheckpointFile.read(auditDir);
        List<AuditCheckpoint> cps = file.checkpoints();
        Set<Long> wanted = new HashSet<>(witnessedCounts);
        long lastCovered = 0;
        for (AuditCheckpoint c : cps) {
            wanted.add(c.count());
            lastCovered = Math.max(lastCovered, c.count());
        }
        Map<Long, byte[]> hashes = new HashMap<>();
        hashes.put(0L, new byte[AuditHead.HASH_BYTES]);
        long firstUncovered = lastCovered + 1;
        String[] times = new String[2]; // [0] the first entry no checkpoint covers, [1] the newest entry
        AuditVerification chain = AuditLog.verify(auditDir, limit, (index, hash, record) -> {
            if (wanted.contains(index)) {
                hashes.put(index, hash);
            }
            if (index == firstUncovered) {
                times[0] = record.time();
            }
            times[1] = record.time();
        });
        List<byte[]> heads = new ArrayList<>();
        for (long n : witnessedCounts) {
            byte[] h = hashes.get(n);
            heads.add(h == null ? new byte[0] : h);
        }
        long entries = chain.entriesChecked();

        List<String> problems = new ArrayList<>();
        long firstBad = Long.MAX_VALUE;
        if (!chain.ok()) {
            problems.add(chain.problem());
            firstBad = chain.firstBadIndex();
        }
        problems.addAll(file.problems());
        int signed = 0;
        long previousCount = -1;
        int lastMatching = -1;
        boolean rewriteNamed = false;
        AuditCheckpoint longest = null;
        int longestNumber = 0;
        for (int i = 0; i < cps.size(); i++) {
            AuditCheckpoint c = cps.get(i);
            String name = "checkpoint #" + file.lineNumbers().get(i) + " (" + c.describe() + ")";
            if (!c.verify(agent)) {
                problems.add(name + " is not signed by agent " + agent.shortForm() + ": forged or altered");
                continue;
            }
            signed++;
            if (c.count() < previousCount) {
                problems.add(name + " covers fewer entries than the checkpoint before it (" + previousCount
                        + "): the checkpoint file was reordered or spliced");
            }
            previousCount = Math.max(previousCount, c.count());
            if (longest == null || c.count() > longest.count()) {
                longest = c;
                longestNumber = file.lineNumbers().get(i);
            }
            byte[] have = hashes.get(c.count());
            if (have == null) {
                continue; // past the intact chain: reported below, once, by the longest checkpoint
            }
            if (MessageDigest.isEqual(have, c.head())) {
                if (!rewriteNamed) {
                    lastMatching = i;
                }
                continue;
            }
            if (!rewriteNamed) {
                long from = lastMatching < 0 ? 1 : cps.get(lastMatching).count() + 1;
                String since = lastMatching < 0
                        ? "no earlier checkpoint matches"
                        : "checkpoint #" + file.lineNumbers().get(lastMatching) + " at entry "
                                + cps.get(lastMatching).count() + " still does";
                problems.add("entries " + from + ".." + c.count() + " were changed and the hashes after them "
                        + "recomputed: the chain no longer matches " + name + "; " + since);
                firstBad = Math.min(firstBad, from);
                rewriteNamed = true;
            }
        }
        if (longest != null && chain.ok() && longest.count() > entries) {
            long vouched = lastMatching < 0 ? 0 : cps.get(lastMatching).count();
            String since = lastMatching < 0
                    ? "no checkpoint still vouches for any entry"
                    : "entry " + vouched + " is the newest a checkpoint still vouches for (checkpoint #"
                            + file.lineNumbers().get(lastMatching) + ")";
            problems.add("entries were cut or removed: checkpoint #" + longestNumber + " (" + longest.describe()
                    + ") covers " + longest.count() + " entries and the log has " + entries + ", so at least "
                    + (longest.count() - entries) + " (entries " + (entries + 1) + ".." + longest.count()
                    + " at the end, or fewer there and some before) are gone; " + since);
            firstBad = Math.min(firstBad, vouched + 1);
        }
        if (chain.ok() && entries >= firstUncovered) {
            String gap = unanchoredGap(times[0], times[1]);
            if (gap != null) {
                problems.add("entries " + firstUncovered + ".." + entries + " are covered by no signed checkpoint "
                        + "though they span " + gap + " (the agent signs one every " + AuditAnchor.INTERVAL.toSeconds()
                        + " s and at shutdown): the checkpoint file was cut or rolled back"
                        + (longest == null ? " (or this log predates checkpoints)" : ""));
                firstBad = Math.min(firstBad, firstUncovered);
            }
        }
        if (problems.isEmpty()) {
            return new AnchoredVerification(new AuditVerification(true, entries, 0, ""), signed, heads);
        }
        return new AnchoredVerification(
                new AuditVerification(
                        false, entries, firstBad == Long.MAX_VALUE ? 0 : firstBad, String.join("; ", problems)),
                signed,
                heads);
    }

    /** The span between two entry times when longer than the grace, else null. */
    private static String unanchoredGap(String first, String last) {
        if (first == null || last == null) {
            return null;
        }
        try {
            Duration span = Duration.between(Instant.parse(first), Instant.parse(last));
            return span.compareTo(UNANCHORED_GRACE) > 0 ? span.toSeconds() + " s" : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
