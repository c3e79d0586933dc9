package org.phrasebook.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's graceful handler (it counts requests in flight, so a stop can wait for them),
 * answering a request that arrives while the server stops with the app's own 503 and
 * {@code Connection: close}, so the client closes that connection instead of the server
 * closing it under the client's next request.
 */
public final class StoppingHandler extends GracefulHandler {

    private final ErrorPageHandler errors;

    public StoppingHandler(Handler application, ErrorPageHandler errors) {
        super(application);
        this.errors = errors;
    }

    @Override
    protected void handleShutdownRejection(Request request, Response response, Callback callback) {
        response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        response.getHeaders().put(HttpHeader.RETRY_AFTER, "5");
        errors.answer(request, response, callback, Problem.of(503, "stopping"));
    }
}
