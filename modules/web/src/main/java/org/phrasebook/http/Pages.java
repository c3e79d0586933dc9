package org.phrasebook.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.phrasebook.i18n.Language;

/** Small request and response helpers shared by the servlets. */
public final class Pages {

    /** Where a servlet that read a form body itself keeps its fields ({@code Map<String, String>}). */
    public static final String FORM_ATTRIBUTE = Pages.class.getName() + ".form";
    private static final Pattern ASCII_NUMBER = Pattern.compile("\\+?[0-9]{1,19}");
    /** The most of a refused body read before the 413 (see {@link #drain}). */
    private static final int MAX_DRAINED_BYTES = 1024 * 1024;

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
        OptionalLong number = wholeNumber(value);
        if (number.isPresent() && number.getAsLong() > 0) {
            return number;
        }
        throw ProblemException.of(400, problemSlug, name);
    }

    /**
     * The request body, read through the servlet's input stream (where Jetty's minimum data
     * rate cuts a trickling client); more than {@code max} bytes is a 413.
     */
    public static byte[] readBody(HttpServletRequest request, int max) throws IOException {
        long declared = request.getContentLengthLong();
        boolean waitsToSend = "100-continue".equalsIgnoreCase(request.getHeader("Expect"));
        if (declared > max && (declared > MAX_DRAINED_BYTES || waitsToSend)) {
            // Refused unread: a client waiting for 100 Continue is spared sending the body;
            // one larger than the drain gets the 413 or a reset.
            throw ProblemException.of(413, "content-too-large");
        }
        try (InputStream in = request.getInputStream()) {
            if (declared <= max) {
                byte[] body = in.readNBytes(max + 1);
                if (body.length <= max) {
                    return body;
                }
            }
            drain(in);
            throw ProblemException.of(413, "content-too-large");
        }
    }

    /**
     * Reads and drops the rest of a body too large to take, up to {@link #MAX_DRAINED_BYTES},
     * so that a client still sending it reads the 413: a connection closed with input unread
     * is reset, and the reset can reach the client before the answer does.
     */
    private static void drain(InputStream in) {
        byte[] buffer = new byte[8192];
        try {
            for (long read = 0; read <= MAX_DRAINED_BYTES; ) {
                int n = in.read(buffer);
                if (n < 0) {
                    return;
                }
                read += n;
            }
        } catch (IOException | RuntimeException cutOrStalled) {
            // The body ended early or stalled: nothing more to drain, and the answer is still 413.
        }
    }

    /** A number written with the digits 0-9 (Long.parseLong alone also takes other scripts' digits). */
    public static OptionalLong wholeNumber(String value) {
        if (value == null || !ASCII_NUMBER.matcher(value).matches()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(value));
        } catch (NumberFormatException tooLarge) {
            return OptionalLong.empty();
        }
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

    /** {@code &name=value} (or with {@code ?}), percent-encoded, for links that keep a parameter; "" without one. */
    public static String queryParameter(String name, Optional<String> value, char separator) {
        return value.map(v -> separator + name + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)).orElse("");
    }

    /** Renders a page template and sends it. */
    public static void sendPage(HttpServletResponse response, Templates templates, String name, Language language,
            Map<String, ?> model) throws IOException {
        sendHtml(response, templates.render(name, language, model));
    }

    /** With its length, so that the page goes out in one write, not in chunks. */
    public static void sendHtml(HttpServletResponse response, byte[] utf8) throws IOException {
        response.setContentType(ErrorRenderer.HTML);
        response.setContentLength(utf8.length);
        response.getOutputStream().write(utf8);
    }

    /**
     * {@code 303 See Other}; with a small body, so that every response carries a
     * {@code Content-Type}.
     */
    public static void seeOther(HttpServletResponse response, String location) throws IOException {
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", location);
        String page = "<!doctype html><title>303</title><a href=\"" + location + "\">" + location + "</a>\n";
        sendHtml(response, page.getBytes(StandardCharsets.UTF_8));
    }
}
