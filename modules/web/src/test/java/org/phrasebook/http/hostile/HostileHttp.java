package org.phrasebook.http.hostile;

import java.io.IOException;
import java.util.Optional;
import java.util.regex.Pattern;
import org.phrasebook.support.RawHttp;
import org.phrasebook.support.RawHttp.Answer;
import org.phrasebook.support.TestServer;

/**
 * Sends hostile requests to the shared test server and checks what every answer must be
 * (property 1): an answer within {@link RawHttp#TIMEOUT_MS}, no 5xx, no stack trace or
 * exception name, {@code Content-Type} with {@code charset=utf-8}, the safe headers, and a
 * sane {@code X-Request-Id}.
 */
public final class HostileHttp {

    /** What a stack trace or a leaked exception looks like in a body. */
    private static final Pattern STACK_TRACE = Pattern.compile(
            "Exception|\\tat [\\w$.]+\\(|org\\.phrasebook\\.|org\\.eclipse\\.jetty\\.|java\\.base/|Caused by:");
    private static final Pattern UTF8_CONTENT_TYPE = Pattern.compile("(?i)[^;]+/[^;]+;\\s*charset=\"?utf-8\"?\\s*(;.*)?");
    static final Pattern SANE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private static RawHttp client;

    private HostileHttp() {
    }

    static synchronized RawHttp client() {
        if (client == null) {
            client = RawHttp.of(TestServer.http());
        }
        return client;
    }

    public static int port() {
        return client().port();
    }

    /** Sends the request and checks property 1; the answer for further checks. */
    public static Answer send(RawRequest request) {
        Optional<Answer> answer;
        try {
            answer = client().exchange(request.bytes(port()), request.endsOutputEarly());
        } catch (RawHttp.NoAnswer hang) {
            throw failure("no answer within " + RawHttp.TIMEOUT_MS + " ms", request, hang.getMessage());
        } catch (IOException e) {
            throw failure("the exchange failed: " + e.getClass().getSimpleName(), request, e.toString());
        }
        Answer a = answer.orElseThrow(() -> failure("the server closed the connection without an answer", request, ""));
        assertWellBehaved(request, a);
        return a;
    }

    static void assertWellBehaved(RawRequest request, Answer answer) {
        if (answer.status() >= 500) {
            throw failure("a " + answer.status() + " answer (the database is up)", request, answer);
        }
        String contentType = answer.header("Content-Type").orElse("");
        if (!UTF8_CONTENT_TYPE.matcher(contentType).matches()) {
            throw failure("Content-Type without charset=utf-8: «" + contentType + "»", request, answer);
        }
        if (STACK_TRACE.matcher(answer.bodyText()).find()) {
            throw failure("a stack trace or an exception name in the body", request, answer);
        }
        if (!answer.header("X-Content-Type-Options").orElse("").equals("nosniff")
                || !answer.header("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'")) {
            throw failure("an answer without the safe headers", request, answer);
        }
        Optional<String> id = answer.header("X-Request-Id");
        if (id.isPresent() && !SANE_REQUEST_ID.matcher(id.get()).matches()) {
            throw failure("an X-Request-Id that is not sane: «" + id.get() + "»", request, answer);
        }
    }

    /** A failure whose first line names its kind (for grouping), then the request and the answer. */
    public static AssertionError failure(String kind, Object request, Object detail) {
        return new AssertionError(kind + "\nrequest: " + request + "\nanswer: " + detail);
    }
}
