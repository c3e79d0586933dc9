package org.phrasebook.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Server-Sent Events client for the tests: reads one stream on a thread of its own and
 * hands over what it parsed, field by field as the specification reads them, without the
 * reconnecting a browser does (the tests reconnect on purpose).
 */
public final class EventStream implements AutoCloseable {

    /** An event ({@code id} and {@code data}), or, with {@code comment}, a comment line. */
    public record Event(String id, String data, String comment) {
        public long phraseId() {
            return Long.parseLong(id);
        }
    }

    /** What {@link #next} returns once the server ended the stream. */
    public static final Event END = new Event(null, null, "(end of stream)");

    private static final String UNEXPECTED = "unexpected line: ";
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final HttpResponse<InputStream> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private volatile String retry;

    private EventStream(HttpResponse<InputStream> response) {
        this.response = response;
        Thread reader = new Thread(this::read, "event-stream-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens {@code path} on the server at {@code port}; returns once the response's headers are in. */
    public static EventStream open(int port, String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return new EventStream(CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot open " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int status() {
        return response.statusCode();
    }

    public HttpHeaders headers() {
        return response.headers();
    }

    /** The {@code retry:} field the server sent, once it arrived. */
    public String retry() {
        return retry;
    }

    /** The next event or comment, {@link #END} when the stream ended, null when none came within {@code wait}. */
    public Event next(Duration wait) throws InterruptedException {
        return events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next event, passing over comments; fails when none comes within {@code wait}. */
    public Event nextEvent(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Event event = next(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (event == null) {
                throw new AssertionError("No event within " + wait);
            }
            if (event.comment() == null || event == END) {
                return event;
            }
            if (event.comment().startsWith(UNEXPECTED)) {
                throw new AssertionError(event.comment());
            }
        }
    }

    /** The events that come within {@code wait}, comments passed over, in order. */
    public List<Event> eventsWithin(Duration wait) throws InterruptedException {
        List<Event> all = new ArrayList<>();
        long deadline = System.nanoTime() + wait.toNanos();
        for (Event event; (event = next(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) != null; ) {
            if (event.comment() == null || event == END) {
                all.add(event);
            }
            if (event == END) {
                break;
            }
        }
        return all;
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = null;
            StringBuilder data = null;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(id, data.toString(), null));
                    }
                    id = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    events.add(new Event(null, null, line.substring(1).strip()));
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("data: ")) {
                    data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
                } else if (line.startsWith("retry: ")) {
                    retry = line.substring(7);
                } else {
                    events.add(new Event(null, null, UNEXPECTED + line));
                }
            }
        } catch (IOException closedByUs) {
            // close() cut the connection: nothing more will come
        }
        events.add(END);
    }

    /** Cuts the connection, as a client that leaves does. */
    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
