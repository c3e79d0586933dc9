package org.phrasebook.http;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

/**
 * The safe headers every response carries. As a connector customizer they reach every
 * request the server handles; {@link ErrorPageHandler} adds them to the answers Jetty
 * gives to requests it rejects before any handler runs.
 */
public final class SecurityHeaders implements HttpConfiguration.Customizer {

    // Scripts and styles only from our own /static/ (no inline script), the live stream only
    // from ourselves, forms only to ourselves.
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private static final HttpField[] FIELDS = {
        new HttpField("Content-Security-Policy", CONTENT_SECURITY_POLICY),
        new HttpField("X-Content-Type-Options", "nosniff"),
        // same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on
        // form posts, which the cross-site check must reject.
        new HttpField("Referrer-Policy", "same-origin"),
        new HttpField("X-Frame-Options", "DENY"),
    };

    public static void addTo(HttpFields.Mutable headers) {
        for (HttpField field : FIELDS) {
            headers.put(field);
        }
    }

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        addTo(responseHeaders);
        return request;
    }
}
