package org.phrasebook.phrase;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.phrasebook.http.AppServlet;
import org.phrasebook.http.ContentType;
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
        if (!ContentType.isUtf8(request.getHeader("Content-Type"), "application/json")) {
            // JSON only, and in UTF-8 (the only charset JSON may be exchanged in, RFC 8259).
            throw ProblemException.of(415, "unsupported-media-type");
        }
        String text = json.readNewPhraseText(Pages.readBody(request, MAX_BODY_BYTES));
        Phrase phrase = phrases.add(PhraseText.parse(text));
        response.setStatus(HttpServletResponse.SC_CREATED);
        response.setHeader("Location", "/api/phrases/" + phrase.id());
        send(response, PhraseJson.PhraseBody.of(phrase));
    }

    private void list(HttpServletRequest request, HttpServletResponse response) throws IOException {
        OptionalLong before = Pages.positiveLong(request, "before", "bad-cursor");
        int limit = limit(request.getParameter("limit"));
        Optional<SearchQuery> search = SearchQuery.parse(request.getParameter("q"));
        PhrasePage page = phrases.page(search, before, limit);
        String next = null;
        if (page.nextBefore().isPresent()) {
            next = "/api/phrases?before=" + page.nextBefore().getAsLong() + "&limit=" + limit + Pages.queryParameter("q", search.map(SearchQuery::text), '&');
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
        OptionalLong limit = Pages.wholeNumber(value);
        if (limit.isPresent() && limit.getAsLong() >= 1 && limit.getAsLong() <= MAX_LIMIT) {
            return (int) limit.getAsLong();
        }
        throw ProblemException.of(400, "bad-limit", MAX_LIMIT);
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
