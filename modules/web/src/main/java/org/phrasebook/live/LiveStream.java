package org.phrasebook.live;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;

/**
 * One open stream: the events for one client, written without holding a thread. Events
 * are queued while the replay runs, then written whenever the feed flushes, as many per
 * write as are waiting; those the client already has (up to the id it resumed after) are
 * left out. A client that falls {@link #MAX_QUEUED} events behind is ended: it reconnects
 * with its {@code Last-Event-ID} and is replayed from the database instead of from memory.
 */
final class LiveStream extends IteratingCallback implements PhraseFeed.Subscriber {

    static final int MAX_QUEUED = 1_000;
    /** A comment line: proxies see traffic, clients ignore it. Late, so it is never left out. */
    private static final LiveEvent HEARTBEAT = new LiveEvent(0, ": heartbeat\n\n".getBytes(StandardCharsets.US_ASCII), true);

    private final Response response;
    private final Callback done;
    private final Consumer<LiveStream> onClose;
    private final ArrayDeque<LiveEvent> queued = new ArrayDeque<>();
    private long after = Long.MAX_VALUE;
    private boolean replaying = true;
    private boolean ending;
    private boolean endWritten;

    /** @param onClose called once when the stream ends, however it ends */
    LiveStream(Response response, Callback done, Consumer<LiveStream> onClose) {
        this.response = response;
        this.done = done;
        this.onClose = onClose;
    }

    /** From the feed, under its lock. */
    @Override
    public synchronized void queue(LiveEvent event) {
        if (ending) {
            return;
        }
        if (queued.size() >= MAX_QUEUED) {
            ending = true;
        } else {
            queued.add(event);
        }
    }

    /** From the feed, under its lock: starts a write, never waits for one. */
    @Override
    public void flush() {
        synchronized (this) {
            if (replaying) {
                return;
            }
        }
        iterate();
    }

    /**
     * The replay is written, up to {@code after}: from now on events are written as they
     * come, except the ones up to that id (the client has them) that are not late.
     */
    void goLive(long after) {
        synchronized (this) {
            this.after = after;
            replaying = false;
        }
        iterate();
    }

    synchronized boolean isEnding() {
        return ending;
    }

    void heartbeat() {
        synchronized (this) {
            if (replaying || ending || !queued.isEmpty()) {
                return;
            }
            queued.add(HEARTBEAT);
        }
        iterate();
    }

    /** Ends the stream cleanly once what is queued is written; the client reconnects by itself. */
    void end() {
        synchronized (this) {
            ending = true;
        }
        iterate();
    }

    @Override
    protected Action process() {
        ByteBuffer next;
        boolean last = false;
        synchronized (this) {
            if (endWritten) {
                return Action.SUCCEEDED;
            }
            if (queued.isEmpty() && !ending || replaying) {
                return Action.IDLE;
            }
            next = drain();
            if (!next.hasRemaining() && !ending) {
                return Action.IDLE;
            }
            if (ending) {
                endWritten = true;
                last = true;
            }
        }
        response.write(last, next, this);
        return Action.SCHEDULED;
    }

    /** Everything queued that the client lacks, in one buffer (one write, one TCP segment when small). */
    private ByteBuffer drain() {
        queued.removeIf(event -> event.id() <= after && !event.late());
        if (queued.size() == 1) {
            return ByteBuffer.wrap(queued.poll().frame());
        }
        int size = 0;
        for (LiveEvent event : queued) {
            size += event.frame().length;
        }
        ByteBuffer all = ByteBuffer.allocate(size);
        for (LiveEvent event = queued.poll(); event != null; event = queued.poll()) {
            all.put(event.frame());
        }
        return all.flip();
    }

    @Override
    protected void onCompleteSuccess() {
        onClose.accept(this);
        done.succeeded();
    }

    @Override
    protected void onCompleteFailure(Throwable cause) {
        onClose.accept(this);
        done.failed(cause);
    }
}
