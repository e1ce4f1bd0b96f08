package org.multiverse.scramble.suite.keyfile;

/**
 * Argon2id cost parameters stored in a key file.
 *
 * @param memoryKiB memory in KiB
 * @param iterations passes over the memory
 * @param parallelism lanes
 */
public record Argon2Params(int memoryKiB, int iterations, int parallelism) {

    /** Default memory: 64 MiB, RFC 9106's second recommended option, affordable in a small VM. */
    public static final int DEFAULT_MEMORY_KIB = 64 * 1024;
    /** Default passes: 3, RFC 9106's recommendation with 64 MiB. */
    public static final int DEFAULT_ITERATIONS = 3;
    /** Default lanes: 1, since unlocking happens on a VM that may have a single vCPU. */
    public static final int DEFAULT_PARALLELISM = 1;

    /** Most memory a key file may ask for: 1 GiB. More would let a hostile file exhaust the VM. */
    public static final int MAX_MEMORY_KIB = 1024 * 1024;
    /** Most passes a key file may ask for: with 1 GiB that is already minutes of work. */
    public static final int MAX_ITERATIONS = 16;
    /** Most lanes a key file may ask for. */
    public static final int MAX_PARALLELISM = 16;
    /** Argon2 needs at least 8 KiB per lane. */
    static final int MIN_MEMORY_KIB_PER_LANE = 8;

    /** The defaults for new key files. */
    public static final Argon2Params DEFAULT =
            new Argon2Params(DEFAULT_MEMORY_KIB, DEFAULT_ITERATIONS, DEFAULT_PARALLELISM);

    /**
     * @throws IllegalArgumentException if a value is outside the accepted limits
     */
    public Argon2Params {
        String problem = problem(memoryKiB, iterations, parallelism);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** What is wrong with these values, or null if they are acceptable. */
    static String problem(long memoryKiB, long iterations, long parallelism) {
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            return "Argon2 parallelism " + parallelism + " is outside 1.." + MAX_PARALLELISM;
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            return "Argon2 iterations " + iterations + " is outside 1.." + MAX_ITERATIONS;
        }
        if (memoryKiB < MIN_MEMORY_KIB_PER_LANE * parallelism || memoryKiB > MAX_MEMORY_KIB) {
            return "Argon2 memory " + memoryKiB + " KiB is outside " + (MIN_MEMORY_KIB_PER_LANE * parallelism) + ".."
                    + MAX_MEMORY_KIB + " KiB";
        }
        return null;
    }
}
