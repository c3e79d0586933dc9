package org.phrasebook.faults;

import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What became of one add a load client sent: an answer (status, content type, where it
 * points), or the way it failed without one.
 */
record Outcome(int client, Way way, String text, long startNanos, long endNanos, int status, String contentType,
        String location, boolean connectionClose, Failure failure, String error, boolean freshConnection) {

    enum Way { PATH, FORM, API }

    /** How a request ended without an answer. */
    enum Failure {
        /** The connect was refused: nothing listens. */
        REFUSED,
        /** Reset or broken pipe: the server closed the connection under the request. */
        RESET,
        /** Closed before a single byte of an answer (or in the middle of one). */
        NO_ANSWER,
        /** No answer within {@link ClientConnection#TIMEOUT_MS}: a hang. */
        TIMEOUT,
        OTHER
    }

    private static final Pattern ADDED = Pattern.compile("^/\\?added=(\\d+)$|^/api/phrases/(\\d+)$");

    /** {@code fresh}: the connection was opened for this request. */
    static Outcome answered(int client, Way way, String text, long start, ClientConnection.Response response, boolean fresh) {
        return new Outcome(client, way, text, start, System.nanoTime(), response.status(), response.header("Content-Type"),
                response.header("Location"), response.closesConnection(), null, null, fresh);
    }

    static Outcome failed(int client, Way way, String text, long start, Exception e, boolean fresh) {
        return new Outcome(client, way, text, start, System.nanoTime(), 0, null, null, true, classify(e), e.toString(), fresh);
    }

    private static Failure classify(Exception e) {
        if (e instanceof ConnectException) {
            return Failure.REFUSED;
        }
        if (e instanceof SocketTimeoutException) {
            return Failure.TIMEOUT;
        }
        if (e instanceof java.io.EOFException) {
            return Failure.NO_ANSWER;
        }
        if (e instanceof SocketException) {
            return Failure.RESET;
        }
        return Failure.OTHER;
    }

    /** 303 (the browser ways) or 201 (the API), pointing at the new phrase. */
    boolean acknowledged() {
        int expected = way == Way.API ? 201 : 303;
        return status == expected && id().isPresent();
    }

    OptionalLong id() {
        if (location == null) {
            return OptionalLong.empty();
        }
        Matcher added = ADDED.matcher(location);
        if (!added.matches()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(added.group(1) != null ? added.group(1) : added.group(2)));
    }

    Duration took() {
        return Duration.ofNanos(endNanos - startNanos);
    }

    /** What it ended in, for counting: {@code 303}, {@code 503}, {@code REFUSED}... */
    String kind() {
        return failure != null ? failure.name() : Integer.toString(status);
    }

    @Override
    public String toString() {
        return "%s %s \"%s\" -> %s in %d ms%s".formatted(way, client, text, failure != null ? failure + " (" + error + ")"
                : status + " " + contentType + " " + location, took().toMillis(), connectionClose ? " (close)" : "");
    }
}
