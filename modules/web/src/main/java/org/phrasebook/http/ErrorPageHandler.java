package org.phrasebook.http;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.phrasebook.i18n.Language;

/**
 * Jetty's own error answers (a malformed or oversized request, an unknown method, a
 * missing static file) rendered like the application's: same page or problem+json,
 * same safe headers, never a stack trace.
 */
public final class ErrorPageHandler extends ErrorHandler {

    private final ErrorRenderer renderer;

    public ErrorPageHandler(ErrorRenderer renderer) {
        this.renderer = renderer;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = request.getAttribute(ERROR_STATUS) instanceof Integer code ? code : response.getStatus();
        answer(request, response, callback, Problem.forStatus(status < 400 ? 500 : status));
        return true;
    }

    /** Answers with the problem's page or problem+json, in the visitor's language. */
    public void answer(Request request, Response response, Callback callback, Problem problem) {
        Language language = Language.choose(null, request.getHeaders().get(HttpHeader.ACCEPT_LANGUAGE));
        ErrorRenderer.Rendered page = renderer.render(problem, ErrorRenderer.isApiPath(path(request)), language, null, false);
        response.setStatus(page.status());
        HttpFields.Mutable headers = response.getHeaders();
        SecurityHeaders.addTo(headers);
        String id = RequestId.of(request);
        if (id != null) {
            headers.put(RequestId.HEADER, id);
        }
        headers.put(HttpHeader.CONTENT_TYPE, page.contentType());
        headers.put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(page.body()), callback);
    }

    private static String path(Request request) {
        try {
            return request.getHttpURI().getPath();
        } catch (RuntimeException unparsable) {
            return null;
        }
    }
}
