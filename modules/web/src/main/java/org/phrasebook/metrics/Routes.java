package org.phrasebook.metrics;

import java.util.Set;
import org.phrasebook.phrase.PhrasePagesServlet;

/**
 * The route template of a raw request path, for metric labels: every phrase path is
 * {@code /{phrase}}, never the path itself, so the labels stay few whatever visitors send.
 */
final class Routes {

    static final String PHRASE = "/{phrase}";
    static final String OTHER = "other";
    private static final Set<String> FIXED = Set.of(
            "/", "/phrases", "/api/phrases", "/api/phrases/stream", "/healthz", "/readyz", "/robots.txt", "/favicon.ico");

    private Routes() {
    }

    static String template(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return OTHER;
        }
        if (FIXED.contains(rawPath)) {
            return rawPath;
        }
        if (rawPath.startsWith("/static/")) {
            return "/static/{file}";
        }
        if (rawPath.startsWith("/api/phrases/")) {
            return "/api/phrases/{id}";
        }
        String segment = rawPath.substring(1);
        return segment.indexOf('/') < 0 && PhrasePagesServlet.isPhraseSegment(segment) ? PHRASE : OTHER;
    }
}
