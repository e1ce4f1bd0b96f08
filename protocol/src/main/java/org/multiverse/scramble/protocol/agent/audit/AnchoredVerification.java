package org.multiverse.scramble.protocol.agent.audit;

import java.util.List;

/**
 * The audit chain checked against itself and against the agent's signed checkpoints.
 *
 * @param verdict            ok, or the first problem: the entry it starts at and which
 *                           checkpoint shows it ({@code firstBadIndex} 0 when the problem is
 *                           a checkpoint rather than an entry)
 * @param checkpointsChecked signed checkpoints whose signature was checked
 * @param witnessedHeads     for each count asked about, the chain hash of that entry; an empty
 *                           array when the chain has fewer intact entries
 */
public record AnchoredVerification(AuditVerification verdict, int checkpointsChecked, List<byte[]> witnessedHeads) {}
