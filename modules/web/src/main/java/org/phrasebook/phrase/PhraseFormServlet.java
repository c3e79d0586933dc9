package org.phrasebook.phrase;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.util.UrlEncoded;
import org.phrasebook.http.ProblemException;
import org.phrasebook.http.AppServlet;
import org.phrasebook.http.ContentType;
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
        if (!ContentType.isUtf8(request.getHeader("Content-Type"), FORM)) {
            throw ProblemException.of(415, "unsupported-form-type");
        }
        Map<String, String> form = readForm(request);
        Phrase phrase = phrases.add(PhraseText.parse(form.get("text")));
        Pages.seeOther(response, "/?added=" + phrase.id() + Pages.langQuery(request, '&'));
    }

    /**
     * The form's fields (the first value of each), from a body read through the servlet's
     * input stream (Jetty's own form parsing does not apply the minimum data rate), as
     * strict UTF-8, raw bytes and percent-escapes alike. Kept on the request, so an error
     * page can show the text again.
     */
    private static Map<String, String> readForm(HttpServletRequest request) throws IOException {
        byte[] body = Pages.readBody(request, MAX_FORM_BYTES);
        Map<String, String> form = new HashMap<>();
        request.setAttribute(Pages.FORM_ATTRIBUTE, form);
        try {
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body)).toString();
            UrlEncoded.decodeTo(text, form::putIfAbsent, StandardCharsets.UTF_8);
        } catch (CharacterCodingException | IllegalArgumentException badEncoding) {
            throw ProblemException.of(400, "bad-form-encoding");
        }
        return form;
    }
}
