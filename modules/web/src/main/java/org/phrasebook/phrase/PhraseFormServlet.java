package org.phrasebook.phrase;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import org.phrasebook.http.ProblemException;
import org.phrasebook.http.AppServlet;
import org.phrasebook.http.Pages;

/** {@code POST /phrases}: the form on the list page adds a phrase, then shows the list. */
public final class PhraseFormServlet extends AppServlet {

    /** Largest form body; a phrase is at most 280 code points. */
    public static final int MAX_FORM_BYTES = 16 * 1024;

    private static final String FORM = "application/x-www-form-urlencoded";

    private final PhraseRepository phrases;

    public PhraseFormServlet(PhraseRepository phrases) {
        this.phrases = phrases;
    }

    @Override
    protected Set<String> allowedMethods(HttpServletRequest request) {
        return Set.of("POST");
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String contentType = request.getContentType();
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith(FORM)) {
            throw ProblemException.of(415, "unsupported-form-type");
        }
        if (request.getContentLengthLong() > MAX_FORM_BYTES) {
            throw ProblemException.of(413, "content-too-large");
        }
        request.setCharacterEncoding(StandardCharsets.UTF_8.name());
        Phrase phrase = phrases.add(PhraseText.parse(request.getParameter("text")));
        Pages.seeOther(response, "/?added=" + phrase.id() + Pages.langQuery(request, '&'));
    }
}
