package org.phrasebook.live;

import java.util.List;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The adds of every replica, published to this process's streams in id order.
 *
 * <p>Notifications arrive in commit order, and two adds may commit in the other order than
 * they drew their ids. A stream that resumes after id N ({@code Last-Event-ID}) is replayed
 * only what comes after N, so it must have been sent every id below N: the feed holds an add
 * back while a lower id may still commit, until that id arrives or for {@link #HOLD_NANOS}
 * at most. Then the missing ids are taken to be rolled back and remembered as skipped: a
 * replay leaves them out, and one that commits after all is published late, to every stream.
 *
 * <p>Published events are queued on every stream at once but written at most every
 * {@link #FLUSH_NANOS}: the first after a quiet spell goes out at once, and under a stream of
 * adds each stream writes what gathered meanwhile in one go. Every event is one system call
 * per stream otherwise, and at 100 adds a second to 1,000 streams those calls were most of
 * the machine.
 *
 * <p>Thread-safe; subscribers are called under the feed's lock and must not block.
 */
final class PhraseFeed {

    /** Longest an add waits for a lower id (an add in flight commits in milliseconds). */
    static final long HOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** Skipped ids are remembered this far below the newest published one, and this many at most. */
    static final int SKIPPED_KEPT = 1000;
    /**
     * A read-back add is also announced, moments later. An announced id at or below the
     * published one, that long after the last read-back and not a skipped one, means the ids
     * started again (the table was emptied with {@code RESTART IDENTITY}).
     */
    static final long READ_BACK_ECHO_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** Shortest time between two writes to the streams. */
    static final long FLUSH_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** A stream, as the feed sees it. */
    interface Subscriber {

        /** Takes an event to write; never blocks. */
        void queue(LiveEvent event);

        /** Writes what was queued. */
        void flush();
    }

    /** What a new subscriber is to be replayed from the database before the live events. */
    record Start(long publishedUpTo, List<Long> skipped) {
    }

    private record Waiting(LiveEvent event, long arrivedNanos) {
    }

    private static final Logger log = LoggerFactory.getLogger(PhraseFeed.class);

    // Copied on change: a stream that fails while it is sent an event unsubscribes at once.
    private final Set<Subscriber> subscribers = new CopyOnWriteArraySet<>();
    private final TreeMap<Long, Waiting> waiting = new TreeMap<>();
    private final NavigableSet<Long> skipped = new TreeSet<>();
    private long published = -1;
    private long readBackNanos;
    private boolean unflushed;
    private boolean flushedOnce;
    private long flushedNanos;

    /**
     * Starts (or restarts, after the listening connection was lost) from the newest ids in
     * the database, newest first: the highest is taken as published; ids missing between
     * them may belong to adds still in flight, so they count as skipped.
     */
    synchronized void startAfter(List<Long> newestIds, long nowNanos) {
        readBackNanos = nowNanos;
        if (published >= 0) {
            return;
        }
        published = newestIds.isEmpty() ? 0 : newestIds.get(0);
        long expected = published;
        for (long id : newestIds) {
            for (long missing = expected; missing > id; missing--) {
                skipped.add(missing);
            }
            expected = id - 1;
        }
        skipped.remove(published);
    }

    synchronized boolean isStarted() {
        return published >= 0;
    }

    /** The lowest id a catch-up read must start after to see every add this feed may lack. */
    synchronized long catchUpAfter() {
        return skipped.isEmpty() ? published : Math.min(published, skipped.first() - 1);
    }

    /** An add announced by {@code NOTIFY}. */
    synchronized void announced(LiveEvent event, long nowNanos) {
        if (event.id() <= published && !skipped.contains(event.id()) && nowNanos - readBackNanos > READ_BACK_ECHO_NANOS) {
            log.info("Phrase ids started again (announced {}, after {} was published): live streams follow the new ids",
                    event.id(), published);
            published = event.id() - 1;
            waiting.clear();
            skipped.clear();
        }
        received(event, nowNanos);
    }

    /** An add read back from the database after the listening connection was lost. */
    synchronized void readBack(LiveEvent event, long nowNanos) {
        readBackNanos = nowNanos;
        received(event, nowNanos);
    }

    /** One already published is ignored: it was both read back and announced. */
    private void received(LiveEvent event, long nowNanos) {
        if (event.id() <= published) {
            if (skipped.remove(event.id())) {
                publish(event.asLate());
            }
            return;
        }
        waiting.putIfAbsent(event.id(), new Waiting(event, nowNanos));
        drain(nowNanos);
    }

    /** Publishes what has waited long enough, and writes what is due; called after each wait for adds. */
    synchronized void tick(long nowNanos) {
        drain(nowNanos);
        if (unflushed && (!flushedOnce || nowNanos - flushedNanos >= FLUSH_NANOS)) {
            subscribers.forEach(Subscriber::flush);
            unflushed = false;
            flushedOnce = true;
            flushedNanos = nowNanos;
        }
    }

    /** How long the next wait for adds may last before {@link #tick} has work, at most {@code longest}. */
    synchronized long nanosUntilDue(long nowNanos, long longest) {
        long due = longest;
        if (unflushed) {
            due = flushedOnce ? Math.min(due, flushedNanos + FLUSH_NANOS - nowNanos) : 0;
        }
        if (!waiting.isEmpty()) {
            due = Math.min(due, waiting.firstEntry().getValue().arrivedNanos() + HOLD_NANOS - nowNanos);
        }
        return Math.max(0, due);
    }

    /** Adds a subscriber and says what it must be replayed first: ids up to this point, less the skipped ones. */
    synchronized Start subscribe(Subscriber subscriber) {
        subscribers.add(subscriber);
        return new Start(Math.max(published, 0), List.copyOf(skipped));
    }

    synchronized void unsubscribe(Subscriber subscriber) {
        subscribers.remove(subscriber);
    }

    private void drain(long nowNanos) {
        while (!waiting.isEmpty()) {
            var head = waiting.firstEntry();
            long id = head.getKey();
            if (id != published + 1) {
                if (nowNanos - head.getValue().arrivedNanos() < HOLD_NANOS) {
                    return;
                }
                for (long missing = Math.max(published + 1, id - SKIPPED_KEPT); missing < id; missing++) {
                    skipped.add(missing);
                }
            }
            waiting.pollFirstEntry();
            published = id;
            publish(head.getValue().event());
        }
        while (!skipped.isEmpty() && (skipped.size() > SKIPPED_KEPT || skipped.first() < published - SKIPPED_KEPT)) {
            skipped.pollFirst();
        }
    }

    private void publish(LiveEvent event) {
        for (Subscriber subscriber : subscribers) {
            subscriber.queue(event);
        }
        unflushed = true;
    }
}
