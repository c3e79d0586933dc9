package org.phrasebook.live;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jooq.exception.DataAccessException;
import org.phrasebook.db.ConnectionSource;
import org.phrasebook.phrase.Phrase;
import org.phrasebook.phrase.PhraseJson;
import org.phrasebook.phrase.PhraseRepository;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's one listening connection: {@code LISTEN}s on the adds' channel and hands
 * every announced phrase to the {@link PhraseFeed}, whichever replica added it. When the
 * connection is lost it connects again and reads back what was added meanwhile, so the
 * feed misses nothing across a database restart.
 */
final class PhraseListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PhraseListener.class);
    /** The longest wait for notifications, when the feed has nothing due sooner. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long RETRY_MILLIS = 1_000;
    /** Newest ids read at the first start; gaps among them may be adds in flight. */
    private static final int START_IDS = 100;
    private static final int CATCH_UP_PAGE = 1_000;

    private final ConnectionSource connections;
    private final PhraseRepository phrases;
    private final PhraseJson json;
    private final PhraseFeed feed;
    private final Thread thread;
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile boolean closed;
    private volatile boolean listening;

    PhraseListener(ConnectionSource connections, PhraseRepository phrases, PhraseJson json, PhraseFeed feed) {
        this.connections = connections;
        this.phrases = phrases;
        this.json = json;
        this.feed = feed;
        this.thread = new Thread(this::run, "phrase-listener");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    boolean isListening() {
        return listening;
    }

    /** Waits (at most {@code millis}) until the first read-back is done and streams can be served. */
    boolean awaitStarted(long millis) throws InterruptedException {
        return started.await(millis, TimeUnit.MILLISECONDS);
    }

    private void run() {
        boolean lost = false;
        while (!closed) {
            try (Connection connection = connections.open()) {
                try (Statement listen = connection.createStatement()) {
                    // Before reading back: an add committed from now on is announced to us.
                    listen.execute("LISTEN " + PhraseRepository.ADDED_CHANNEL);
                }
                catchUp();
                started.countDown();
                listening = true;
                if (lost) {
                    log.info("Listening for adds again");
                    lost = false;
                }
                PGConnection postgres = connection.unwrap(PGConnection.class);
                while (!closed) {
                    long wait = TimeUnit.NANOSECONDS.toMillis(feed.nanosUntilDue(System.nanoTime(), POLL_NANOS));
                    // getNotifications(0) would wait without end: 1 ms is the shortest wait.
                    PGNotification[] notifications = postgres.getNotifications((int) Math.max(1, wait));
                    long now = System.nanoTime();
                    for (PGNotification notification : notifications == null ? new PGNotification[0] : notifications) {
                        feed.announced(LiveEvent.of(json.readAnnouncement(notification.getParameter()), json), now);
                    }
                    feed.tick(now);
                }
            } catch (SQLException | DataAccessException e) {
                listening = false;
                if (closed) {
                    return;
                }
                if (!lost) {
                    log.warn("Lost the database connection that listens for adds; live streams wait until it is back: {}", e.getMessage());
                    lost = true;
                }
                pause();
            } catch (RuntimeException e) {
                listening = false;
                // A defect, not the database: say so in full, and listen again rather than never.
                log.error("Listening for adds failed; listening again", e);
                lost = true;
                pause();
            }
        }
    }

    /** Publishes what was added while this replica was not listening (nothing at the first start). */
    private void catchUp() {
        if (!feed.isStarted()) {
            feed.startAfter(phrases.newestIds(START_IDS), System.nanoTime());
            return;
        }
        long after = feed.catchUpAfter();
        List<Phrase> page;
        do {
            page = phrases.addedBetween(after, Long.MAX_VALUE, List.of(), CATCH_UP_PAGE);
            long now = System.nanoTime();
            for (Phrase phrase : page) {
                feed.readBack(LiveEvent.of(phrase, json), now);
                after = phrase.id();
            }
        } while (page.size() == CATCH_UP_PAGE);
    }

    private void pause() {
        try {
            Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.interrupt();
        thread.join(RETRY_MILLIS + TimeUnit.NANOSECONDS.toMillis(POLL_NANOS) * 5);
    }
}
