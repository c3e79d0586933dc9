package org.phrasebook.phrase;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import org.phrasebook.http.AppServlet;
import org.phrasebook.http.Pages;
import org.phrasebook.http.ProblemException;

/**
 * The JSON API under {@code /api}: {@code GET /api/phrases} pages, {@code POST /api/phrases}
 * adds, {@code GET /api/phrases/<id>} reads one.
 */
public final class PhraseApiServlet extends AppServlet {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 100;
    /** Far above any valid phrase (280 code points, at most 4 bytes each, escaped). */
    static final int MAX_BODY_BYTES = 16 * 1024;

    private static final String JSON = "application/json;charset=utf-8";
    private static final String COLLECTION = "/phrases";
    private static final Set<String> READ_AND_ADD = Set.of("GET", "HEAD", "POST");

    private final PhraseRepository phrases;
    private final PhraseJson json;

    public PhraseApiServlet(PhraseRepository phrases, PhraseJson json) {
        this.phrases = phrases;
        this.json = json;
    }

    @Override
    protected Set<String> allowedMethods(HttpServletRequest request) {
        // Any other path is a 404 whatever the method: doGet and doPost say so.
        return subPath(request).startsWith(COLLECTION + "/") ? READ : READ_AND_ADD;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = subPath(request);
        if (path.equals(COLLECTION)) {
            list(request, response);
        } else if (path.startsWith(COLLECTION + "/")) {
            one(path.substring(COLLECTION.length() + 1), response);
        } else {
            throw ProblemException.of(404, "not-found");
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!subPath(request).equals(COLLECTION)) {
            throw ProblemException.of(404, "not-found");
        }
        requireJson(request.getContentType());
        String text = json.readNewPhraseText(readBody(request));
        Phrase phrase = phrases.add(PhraseText.parse(text));
        response.setStatus(HttpServletResponse.SC_CREATED);
        response.setHeader("Location", "/api/phrases/" + phrase.id());
        send(response, PhraseJson.PhraseBody.of(phrase));
    }

    private void list(HttpServletRequest request, HttpServletResponse response) throws IOException {
        OptionalLong before = Pages.positiveLong(request, "before", "bad-cursor");
        int limit = limit(request.getParameter("limit"));
        PhrasePage page = phrases.page(before, limit);
        String next = null;
        if (page.nextBefore().isPresent()) {
            next = "/api/phrases?before=" + page.nextBefore().getAsLong() + "&limit=" + limit;
            response.setHeader("Link", "<" + next + ">; rel=\"next\"");
        }
        send(response, new PhraseJson.PageBody(page.items().stream().map(PhraseJson.PhraseBody::of).toList(), next));
    }

    private void one(String rawId, HttpServletResponse response) throws IOException {
        long id;
        try {
            id = Long.parseLong(rawId);
        } catch (NumberFormatException notANumber) {
            throw ProblemException.of(404, "not-found");
        }
        Phrase phrase = phrases.find(id).orElseThrow(() -> ProblemException.of(404, "phrase-not-found", id));
        send(response, PhraseJson.PhraseBody.of(phrase));
    }

    private static int limit(String value) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw ProblemException.of(400, "bad-limit", MAX_LIMIT);
    }

    /** JSON only, and in UTF-8 (the only charset JSON may be exchanged in, RFC 8259). */
    private static void requireJson(String contentType) {
        String normalized = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).replace(" ", "");
        String mediaType = normalized.split(";", 2)[0];
        boolean otherCharset = normalized.contains("charset=") && !normalized.matches(".*charset=\"?utf-8\"?(;.*)?");
        if (!mediaType.equals("application/json") || otherCharset) {
            throw ProblemException.of(415, "unsupported-media-type");
        }
    }

    private static byte[] readBody(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > MAX_BODY_BYTES) {
            throw ProblemException.of(413, "content-too-large");
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw ProblemException.of(413, "content-too-large");
            }
            return body;
        }
    }

    private void send(HttpServletResponse response, Object body) throws IOException {
        response.setContentType(JSON);
        response.getOutputStream().write(json.write(body));
    }

    private static String subPath(HttpServletRequest request) {
        String path = request.getPathInfo();
        return path == null ? "" : path;
    }
}
