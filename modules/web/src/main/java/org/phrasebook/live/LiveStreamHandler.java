package org.phrasebook.live;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.component.Graceful;
import org.jooq.exception.DataAccessException;
import org.phrasebook.http.ErrorPageHandler;
import org.phrasebook.http.Pages;
import org.phrasebook.http.Problem;
import org.phrasebook.phrase.Phrase;
import org.phrasebook.phrase.PhraseJson;
import org.phrasebook.phrase.PhraseRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/phrases/stream}: Server-Sent Events, one per added phrase. With
 * {@code Last-Event-ID} (or {@code ?after=<id>} on a first connection) it first replays
 * from the database what was added after that id, then sends live events from the
 * {@link PhraseFeed}. A Jetty handler rather than a servlet, so that an open stream holds
 * neither a thread nor an output buffer; a graceful stop ends every stream.
 */
final class LiveStreamHandler extends Handler.Abstract implements Graceful {

    static final String PATH = "/api/phrases/stream";
    private static final Logger log = LoggerFactory.getLogger(LiveStreamHandler.class);
    private static final Set<String> METHODS = Set.of("GET", "HEAD");
    private static final int REPLAY_PAGE = 500;
    /** Asks the browser to reconnect this soon (ms) after a stream ends, a stop's included. */
    private static final byte[] PREAMBLE = "retry: 2000\n\n".getBytes(StandardCharsets.US_ASCII);

    private final PhraseFeed feed;
    private final PhraseRepository phrases;
    private final PhraseJson json;
    private final ErrorPageHandler errors;
    private final int limit;
    private final AtomicInteger open = new AtomicInteger();
    private final Set<LiveStream> streams = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> allEnded = new CompletableFuture<>();
    private volatile boolean stopping;

    LiveStreamHandler(PhraseFeed feed, PhraseRepository phrases, PhraseJson json, ErrorPageHandler errors, int limit) {
        this.feed = feed;
        this.phrases = phrases;
        this.json = json;
        this.errors = errors;
        this.limit = limit;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!PATH.equals(Request.getPathInContext(request))) {
            return false;
        }
        if (!METHODS.contains(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            errors.answer(request, response, callback, Problem.of(405, "method-not-allowed"));
            return true;
        }
        OptionalLong after = lastEventId(request);
        if (after == null) {
            errors.answer(request, response, callback, Problem.of(400, "bad-event-id"));
            return true;
        }
        if (HttpMethod.HEAD.is(request.getMethod())) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            response.write(true, null, callback);
            return true;
        }
        if (isShutdown() || !feed.isStarted()) {
            refuse(request, response, callback, isShutdown() ? Problem.of(503, "stopping") : Problem.forStatus(503));
            return true;
        }
        if (open.incrementAndGet() > limit) {
            open.decrementAndGet();
            refuse(request, response, callback, Problem.of(503, "too-many-streams", limit));
            return true;
        }
        start(request, response, callback, after);
        return true;
    }

    /** A 503 that says when to try again; browsers' EventSource gives up on it, live.js does not. */
    private void refuse(Request request, Response response, Callback callback, Problem problem) {
        response.getHeaders().put(HttpHeader.RETRY_AFTER, "5");
        errors.answer(request, response, callback, problem);
    }

    /** The id to resume after: the header first (a browser's reconnect), then {@code after}; null when malformed. */
    private static OptionalLong lastEventId(Request request) {
        String value = request.getHeaders().get("Last-Event-ID");
        if (value == null || value.isEmpty()) {
            Fields query;
            try {
                query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
            } catch (RuntimeException badEncoding) {
                return null;
            }
            value = query.getValue("after");
            if (value == null) {
                return OptionalLong.empty();
            }
        }
        OptionalLong id = Pages.wholeNumber(value.strip());
        return id.isPresent() ? id : null;
    }

    private void start(Request request, Response response, Callback callback, OptionalLong after) {
        LiveStream stream = new LiveStream(response, callback, this::ended);
        streams.add(stream);
        if (stopping) {
            stream.end(); // the stop began after the check in handle(): this stream ends with the others
        }
        // Subscribed before the replay is read: an add committed meanwhile is queued, not lost.
        PhraseFeed.Start start = feed.subscribe(stream);
        long from = after.orElse(start.publishedUpTo());
        List<Phrase> page;
        try {
            page = replayPage(from, start);
        } catch (DataAccessException unavailable) {
            log.warn("Database unavailable for a live stream's replay: {}", unavailable.getMessage());
            ended(stream);
            errors.answer(request, response, callback, Problem.forStatus(503));
            return;
        }
        HttpFields.Mutable headers = response.getHeaders();
        headers.put(HttpHeader.CONTENT_TYPE, "text/event-stream");
        headers.put(HttpHeader.CACHE_CONTROL, "no-store");
        // nginx buffers responses unless told otherwise; this tells it per response.
        headers.put("X-Accel-Buffering", "no");
        try {
            ByteBuffer first = frames(PREAMBLE, page);
            while (true) {
                write(response, first);
                if (page.size() < REPLAY_PAGE || stream.isEnding()) {
                    break;
                }
                from = page.get(page.size() - 1).id();
                page = replayPage(from, start);
                first = frames(new byte[0], page);
            }
        } catch (IOException | DataAccessException e) {
            // The client left, or the database did: the client reconnects and resumes.
            stream.abort(e);
            return;
        }
        stream.goLive(Math.max(after.orElse(0), start.publishedUpTo()));
    }

    private List<Phrase> replayPage(long after, PhraseFeed.Start start) {
        if (after >= start.publishedUpTo()) {
            return List.of();
        }
        List<Long> skipped = start.skipped().stream().filter(id -> id > after).toList();
        return phrases.addedBetween(after, start.publishedUpTo(), skipped, REPLAY_PAGE);
    }

    private ByteBuffer frames(byte[] preamble, List<Phrase> page) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(preamble.length + page.size() * 128);
        bytes.writeBytes(preamble);
        for (Phrase phrase : page) {
            bytes.writeBytes(LiveEvent.of(phrase, json).frame());
        }
        return ByteBuffer.wrap(bytes.toByteArray());
    }

    private static void write(Response response, ByteBuffer content) throws IOException {
        try (Blocker.Callback written = Blocker.callback()) {
            response.write(false, content, written);
            written.block();
        }
    }

    private void ended(LiveStream stream) {
        if (streams.remove(stream)) {
            feed.unsubscribe(stream);
            if (open.decrementAndGet() == 0 && stopping) {
                allEnded.complete(null);
            }
        }
    }

    /** Every 15 s: a comment on each idle stream, so that no proxy closes it as idle. */
    void heartbeat() {
        streams.forEach(LiveStream::heartbeat);
    }

    int openStreams() {
        return open.get();
    }

    /** A graceful stop: new streams are refused, open ones end after what is queued. */
    @Override
    public CompletableFuture<Void> shutdown() {
        stopping = true;
        streams.forEach(LiveStream::end);
        if (open.get() == 0) {
            allEnded.complete(null);
        }
        return allEnded;
    }

    @Override
    public boolean isShutdown() {
        return stopping;
    }
}
