package org.multiverse.scramble.protocol.agent.audit;

/**
 * The result of checking the hash chain.
 *
 * @param ok             true when every entry chains to the one before it
 * @param entriesChecked entries read before the first problem (all of them when ok)
 * @param firstBadIndex  the index of the first entry that breaks the chain (0 when ok)
 * @param problem        what is wrong with it, and in which file
 */
public record AuditVerification(boolean ok, long entriesChecked, long firstBadIndex, String problem) {}
