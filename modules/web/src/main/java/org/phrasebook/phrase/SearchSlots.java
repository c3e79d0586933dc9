package org.phrasebook.phrase;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * How many searches run at once: half the pool's connections, at least one. A costly search
 * holds its connection for up to its statement timeout; unbounded, a burst of them took every
 * connection, and list pages and adds waited for one until the pool gave up (3 s, then 503:
 * docs/RELIABILITY.md). A search beyond the bound waits its turn, first come first served, for
 * at most as long as one search may run, then is refused with {@link SearchBusyException}.
 */
final class SearchSlots {

    private final int count;
    private final Semaphore slots;
    private final Duration wait;
    private final LongAdder refused = new LongAdder();

    SearchSlots(int count, Duration wait) {
        this.count = count;
        this.slots = new Semaphore(count, true);
        this.wait = wait;
    }

    /** The slots a pool of {@code poolSize} connections gives searches. */
    static int forPool(int poolSize) {
        return Math.max(1, poolSize / 2);
    }

    <T> T run(Supplier<T> search) {
        try {
            if (!slots.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                refused.increment();
                throw new SearchBusyException();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            refused.increment();
            throw new SearchBusyException();
        }
        try {
            return search.get();
        } finally {
            slots.release();
        }
    }

    void bindTo(MeterRegistry registry) {
        Gauge.builder("phrasebook.searches.running", slots, s -> count - s.availablePermits())
                .description("Searches holding a slot (at most half the pool)")
                .register(registry);
        Gauge.builder("phrasebook.searches.waiting", slots, Semaphore::getQueueLength)
                .description("Searches waiting for a slot")
                .register(registry);
        FunctionCounter.builder("phrasebook.searches.refused", refused, LongAdder::sum)
                .description("Searches answered 503 search-busy: no slot came free in time")
                .register(registry);
    }
}
