package org.phrasebook.http;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.phrasebook.logging.LogSetup;
import org.slf4j.MDC;

/** Puts the request's id in the logging context while the application handles it. */
public final class LogContextHandler extends Handler.Wrapper {

    public LogContextHandler(Handler application) {
        super(application);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String id = RequestId.of(request);
        if (id == null) {
            return super.handle(request, response, callback);
        }
        MDC.put(LogSetup.REQUEST_ID, id);
        try {
            return super.handle(request, response, callback);
        } finally {
            MDC.remove(LogSetup.REQUEST_ID);
        }
    }
}
