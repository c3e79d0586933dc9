package org.phrasebook.http;

import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

/**
 * Gives every request an id, so its access-log line and every app log line written for it
 * can be found together: a sane incoming {@code X-Request-Id} (a proxy's) is kept, anything
 * else is replaced by a generated one; the response echoes it. A connector customizer, so
 * it runs before any handler, error pages included.
 */
public final class RequestId implements HttpConfiguration.Customizer {

    public static final String HEADER = "X-Request-Id";
    private static final String ATTRIBUTE = RequestId.class.getName();
    private static final int MAX_LENGTH = 64;

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        String incoming = request.getHeaders().get(HEADER);
        String id = isSane(incoming) ? incoming : generate();
        request.setAttribute(ATTRIBUTE, id);
        responseHeaders.put(HEADER, id);
        return request;
    }

    /** The request's id, or null for one the server rejected before the customizers ran. */
    public static String of(Request request) {
        return request.getAttribute(ATTRIBUTE) instanceof String id ? id : null;
    }

    /** 1 to 64 characters of {@code [A-Za-z0-9._-]}: safe in a header, a log line and JSON. */
    static boolean isSane(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    /** 16 hex digits: unique enough to tell requests apart in logs, and cheap. */
    private static String generate() {
        String hex = Long.toHexString(ThreadLocalRandom.current().nextLong());
        return "0".repeat(16 - hex.length()) + hex;
    }
}
