package org.phrasebook.phrase;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import org.phrasebook.http.AppServlet;
import org.phrasebook.http.Pages;
import org.phrasebook.http.ProblemException;
import org.phrasebook.http.Templates;

/**
 * The site root: {@code GET /} lists phrases, newest first, a page at a time;
 * {@code GET /<phrase>} adds a phrase, as the original demo did, then redirects to the list.
 */
public final class PhrasePagesServlet extends AppServlet {

    static final int PAGE_SIZE = 50;
    private static final Set<String> ONLY_GET = Set.of("GET");

    /** First path segments that are never stored as phrases, whatever their letter case. */
    private static final Set<String> RESERVED = Set.of(
            "favicon.ico", "robots.txt", "static", "api", "phrases", "healthz", "readyz", "metrics");

    private final PhraseRepository phrases;
    private final Templates templates;

    public PhrasePagesServlet(PhraseRepository phrases, Templates templates) {
        this.phrases = phrases;
        this.templates = templates;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getRequestURI();
        if (path.equals("/")) {
            list(request, response);
        } else {
            add(request, response, path.substring(1));
        }
    }

    /** HEAD must not add anything, so only the list answers it. */
    @Override
    protected Set<String> allowedMethods(HttpServletRequest request) {
        return request.getRequestURI().equals("/") ? READ : ONLY_GET;
    }

    private void list(HttpServletRequest request, HttpServletResponse response) throws IOException {
        OptionalLong before = Pages.positiveLong(request, "before", "bad-cursor");
        OptionalLong addedId = Pages.positiveLong(request, "added", "bad-cursor");
        Optional<SearchQuery> search = SearchQuery.parse(request.getParameter("q"));
        PhrasePage page = phrases.page(search, before, PAGE_SIZE);
        // Just added, the phrase is nearly always on the page; a second query only when it is not.
        Optional<Phrase> added = addedId.isEmpty() ? Optional.empty()
                : page.items().stream().filter(p -> p.id() == addedId.getAsLong()).findFirst()
                        .or(() -> phrases.find(addedId.getAsLong()));

        Map<String, Object> model = new HashMap<>();
        if (search.isPresent()) {
            Pattern match = search.get().pattern();
            model.put("query", search.get().text());
            model.put("phrases", page.items().stream().map(p -> PhraseView.found(p, match)).toList());
        } else {
            model.put("phrases", page.items().stream()
                    .map(p -> PhraseView.of(p, addedId.isPresent() && p.id() == addedId.getAsLong()))
                    .toList());
        }
        added.ifPresent(p -> model.put("added", PhraseView.of(p, true)));
        String searchQuery = Pages.queryParameter("q", search.map(SearchQuery::text), '&');
        page.nextBefore().ifPresent(id -> model.put("olderHref",
                "/?before=" + id + searchQuery + Pages.langQuery(request, '&')));
        if (before.isPresent()) {
            String first = Pages.queryParameter("q", search.map(SearchQuery::text), '?');
            model.put("newestHref", "/" + first + Pages.langQuery(request, first.isEmpty() ? '?' : '&'));
        }
        if (search.isEmpty() && before.isEmpty()) {
            // The newest page goes live from its newest phrase on (0: from the first ever).
            model.put("liveAfter", page.items().isEmpty() ? 0L : page.items().get(0).id());
        }
        model.put("explicitLang", Pages.isLanguageChosen(request));
        response.setHeader("Vary", "Accept-Language");
        Pages.sendPage(response, templates, "index.ftlh", Pages.language(request), model);
    }

    private void add(HttpServletRequest request, HttpServletResponse response, String rawSegment) throws IOException {
        if (rawSegment.contains("/") || isReserved(rawSegment)) {
            throw ProblemException.of(404, "not-found");
        }
        String decoded = PathSegment.decode(rawSegment);
        if (isReserved(decoded)) {
            throw ProblemException.of(404, "not-found");
        }
        // The demo answered /prueba and /Prueba with a fixed phrase.
        String text = decoded.equalsIgnoreCase("prueba") ? "Funciona!" : decoded;
        Phrase phrase = phrases.add(PhraseText.parse(text));
        Pages.seeOther(response, "/?added=" + phrase.id() + Pages.langQuery(request, '&'));
    }

    /** Whether a raw single path segment is the place of a phrase, not a reserved name such as {@code api}. */
    public static boolean isPhraseSegment(String rawSegment) {
        return !rawSegment.isEmpty() && !isReserved(rawSegment);
    }

    private static boolean isReserved(String segment) {
        return RESERVED.contains(segment.toLowerCase(Locale.ROOT));
    }
}
