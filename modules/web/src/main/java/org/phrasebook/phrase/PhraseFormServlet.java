package org.phrasebook.phrase;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.util.UrlEncoded;
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
        Map<String, String> form = readForm(request);
        Phrase phrase = phrases.add(PhraseText.parse(form.get("text")));
        Pages.seeOther(response, "/?added=" + phrase.id() + Pages.langQuery(request, '&'));
    }

    /**
     * The form's fields (the first value of each), read through the servlet's input stream,
     * where Jetty's minimum data rate cuts a trickling client (its own form parsing does not),
     * as strict UTF-8. Kept on the request, so an error page can show the text again.
     */
    private static Map<String, String> readForm(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > MAX_FORM_BYTES) {
            throw ProblemException.of(413, "content-too-large");
        }
        Map<String, String> form = new HashMap<>();
        request.setAttribute(Pages.FORM_ATTRIBUTE, form);
        try (InputStream body = request.getInputStream()) {
            UrlEncoded.decodeUtf8To(body, form::putIfAbsent, MAX_FORM_BYTES, MAX_FORM_BYTES);
        } catch (IllegalStateException tooLarge) {
            throw ProblemException.of(413, "content-too-large");
        } catch (IllegalArgumentException badEncoding) {
            throw ProblemException.of(400, "bad-form-encoding");
        }
        return form;
    }
}
