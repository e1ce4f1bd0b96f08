package org.multiverse.scramble.protocol.agent.audit;

/** Sees, in order, each audit entry that {@link AuditLog#verify} found chained correctly. */
@FunctionalInterface
interface ChainVisitor {
    /**
     * @param index  the entry's index (1 for the first)
     * @param hash   the chain hash stored with it (32 bytes)
     * @param record the entry
     */
    void entry(long index, byte[] hash, AuditRecord record);
}
