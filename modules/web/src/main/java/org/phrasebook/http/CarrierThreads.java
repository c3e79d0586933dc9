package org.phrasebook.http;

import java.util.Properties;

/**
 * Sizes the JDK's scheduler of virtual threads, which reads its setting when the first
 * virtual thread starts. By default it has one carrier thread per core; when the operating
 * system preempts a carrier for another process on the same cores (the database, a proxy),
 * the request mounted on it waits until that carrier runs again. Two carriers per core took
 * the list page's p99 from 41–64 ms to 13–17 ms at the same rate (docs/PERFORMANCE.md,
 * round 5). JDK 17 has no virtual threads and ignores the setting.
 */
public final class CarrierThreads {

    static final String PARALLELISM = "jdk.virtualThreadScheduler.parallelism";

    private CarrierThreads() {
    }

    /** Two carriers per available core, unless the operator set {@value #PARALLELISM}; call before any virtual thread starts. */
    public static void widen() {
        widen(System.getProperties(), Runtime.getRuntime().availableProcessors());
    }

    static void widen(Properties system, int cores) {
        if (system.getProperty(PARALLELISM) == null) {
            system.setProperty(PARALLELISM, Integer.toString(2 * cores));
        }
    }
}
