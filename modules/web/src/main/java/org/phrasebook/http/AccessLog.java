package org.phrasebook.http;

import java.util.Locale;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.DateCache;
import org.eclipse.jetty.util.NanoTime;
import org.phrasebook.logging.LogSetup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One line per request, in the NCSA common log format, with the request's id; in JSON logs
 * its parts are also fields of their own. Written by hand rather than with Jetty's
 * {@code CustomRequestLog}, whose format compiler was a tenth of the start-up.
 */
public final class AccessLog implements RequestLog {

    private static final Logger log = LoggerFactory.getLogger(AccessLog.class);
    private static final DateCache NCSA_TIME = new DateCache("dd/MMM/yyyy:HH:mm:ss Z", Locale.US, "GMT");

    @Override
    public void log(Request request, Response response) {
        if (!log.isInfoEnabled()) {
            return;
        }
        String client = Request.getRemoteAddr(request);
        String method = request.getMethod();
        String target = request.getHttpURI().getPathQuery();
        String protocol = request.getConnectionMetaData().getProtocol();
        int status = response.getStatus();
        long bytes = Response.getContentBytesWritten(response);
        long millis = NanoTime.millisSince(request.getBeginNanoTime());
        String time = NCSA_TIME.format(Request.getTimeStamp(request));
        String line = client + " - - [" + time + "] \"" + method + ' ' + target + ' ' + protocol + "\" " + status + ' ' + bytes;

        String id = RequestId.of(request);
        if (id != null) {
            MDC.put(LogSetup.REQUEST_ID, id);
        }
        try {
            log.atInfo()
                    .addKeyValue("client", client)
                    .addKeyValue("method", method)
                    .addKeyValue("target", target)
                    .addKeyValue("status", status)
                    .addKeyValue("bytes", bytes)
                    .addKeyValue("durationMs", millis)
                    .log(line);
        } finally {
            MDC.remove(LogSetup.REQUEST_ID);
        }
    }
}
