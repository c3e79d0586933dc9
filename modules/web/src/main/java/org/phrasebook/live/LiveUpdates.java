package org.phrasebook.live;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Handler;
import org.phrasebook.db.ConnectionSource;
import org.phrasebook.http.ErrorPageHandler;
import org.phrasebook.phrase.PhraseJson;
import org.phrasebook.phrase.PhraseRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live updates, wired: the listening connection feeds the {@link PhraseFeed}, which feeds
 * the streams of {@code GET /api/phrases/stream}; a timer sends their heartbeats.
 */
public final class LiveUpdates implements AutoCloseable {

    static final long HEARTBEAT_SECONDS = 15;
    private static final long START_WAIT_MILLIS = 5_000;
    private static final Logger log = LoggerFactory.getLogger(LiveUpdates.class);

    private final PhraseListener listener;
    private final LiveStreamHandler streams;
    private final ScheduledExecutorService heartbeats;

    public LiveUpdates(ConnectionSource listening, PhraseRepository phrases, PhraseJson json, ErrorPageHandler errors, int streamLimit) {
        PhraseFeed feed = new PhraseFeed();
        listener = new PhraseListener(listening, phrases, json, feed);
        streams = new LiveStreamHandler(feed, phrases, json, errors, streamLimit);
        heartbeats = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "live-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts listening for adds, on a thread of its own, and the heartbeats. */
    public void start() {
        listener.start();
        heartbeats.scheduleAtFixedRate(streams::heartbeat, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Waits for the first read-back of the newest ids, so that a stream resuming at once
     * after a start is replayed from a known point. Until then (a database that went away
     * just after the migrations) streams are answered 503.
     */
    public void awaitListening() throws InterruptedException {
        if (!listener.awaitStarted(START_WAIT_MILLIS)) {
            log.warn("Not yet listening for adds; live streams are answered 503 until then");
        }
    }

    /** Open streams, and whether this process is listening for adds (1) or not (0). */
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("phrasebook.live.streams", streams, LiveStreamHandler::openStreams)
                .description("Live streams open in this process")
                .register(registry);
        Gauge.builder("phrasebook.live.listening", listener, l -> l.isListening() ? 1 : 0)
                .description("1 while this process's connection that listens for adds is up")
                .register(registry);
    }

    /** The handler of {@code /api/phrases/stream}; it declines every other path. */
    public Handler handler() {
        return streams;
    }

    /** Stops listening; the streams themselves end with the server's graceful stop. */
    @Override
    public void close() {
        heartbeats.shutdownNow();
        try {
            listener.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("Interrupted while the listener for adds stopped");
        }
    }
}
