package org.phrasebook.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalLong;
import org.phrasebook.i18n.Language;

/** Small request and response helpers shared by the servlets. */
public final class Pages {

    /** Where a servlet that read a form body itself keeps its fields ({@code Map<String, String>}). */
    public static final String FORM_ATTRIBUTE = Pages.class.getName() + ".form";

    private Pages() {
    }

    /** The page language: {@code ?lang=} first, then {@code Accept-Language}. */
    public static Language language(HttpServletRequest request) {
        return Language.choose(parameter(request, "lang"), request.getHeader("Accept-Language"));
    }

    /** A parameter, or {@code null} when it is absent or the request body cannot be read as a form. */
    public static String parameter(HttpServletRequest request, String name) {
        if (request.getAttribute(FORM_ATTRIBUTE) instanceof Map<?, ?> form && form.get(name) instanceof String value) {
            return value;
        }
        try {
            return request.getParameter(name);
        } catch (RuntimeException unreadableForm) {
            return null;
        }
    }

    /** An optional positive whole-number parameter such as a keyset cursor; a bad one is a 400. */
    public static OptionalLong positiveLong(HttpServletRequest request, String name, String problemSlug) {
        String value = request.getParameter(name);
        if (value == null) {
            return OptionalLong.empty();
        }
        try {
            long number = Long.parseLong(value);
            if (number > 0) {
                return OptionalLong.of(number);
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw ProblemException.of(400, problemSlug, name);
    }

    /** Whether the visitor chose the language with a valid {@code lang} parameter. */
    public static boolean isLanguageChosen(HttpServletRequest request) {
        return Language.fromTag(parameter(request, "lang")) != null;
    }

    /** {@code ?lang=xx} to carry an explicit language choice across a redirect or a link. */
    public static String langQuery(HttpServletRequest request, char separator) {
        Language chosen = Language.fromTag(parameter(request, "lang"));
        return chosen == null ? "" : separator + "lang=" + chosen.tag();
    }

    /** Renders a page template straight into the response. */
    public static void sendPage(HttpServletResponse response, Templates templates, String name, Language language,
            Map<String, ?> model) throws IOException {
        response.setContentType(ErrorRenderer.HTML);
        templates.write(name, language, model, response.getOutputStream());
    }

    public static void sendHtml(HttpServletResponse response, String html) throws IOException {
        response.setContentType(ErrorRenderer.HTML);
        response.getOutputStream().write(html.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@code 303 See Other}; with a small body, so that every response carries a
     * {@code Content-Type}.
     */
    public static void seeOther(HttpServletResponse response, String location) throws IOException {
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", location);
        sendHtml(response, "<!doctype html><title>303</title><a href=\"" + location + "\">" + location + "</a>\n");
    }
}
