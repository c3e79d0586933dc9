package org.phrasebook.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.phrasebook.i18n.Language;
import org.phrasebook.i18n.Messages;

/**
 * The one place where a {@link Problem} becomes a response body: an HTML page in the
 * visitor's language, or RFC 9457 problem+json (in English) under {@code /api/}.
 */
public final class ErrorRenderer {

    public static final String PROBLEM_JSON = "application/problem+json;charset=utf-8";
    public static final String HTML = "text/html;charset=utf-8";

    /** A rendered error: what to put in {@code Content-Type}, and the body in UTF-8. */
    public record Rendered(int status, String contentType, byte[] body) {
    }

    private final Templates templates;
    private final Messages messages;
    private final ObjectMapper json;

    public ErrorRenderer(Templates templates, Messages messages, ObjectMapper json) {
        this.templates = templates;
        this.messages = messages;
        this.json = json;
    }

    public static boolean isApiPath(String path) {
        return path != null && (path.equals("/api") || path.startsWith("/api/"));
    }

    /**
     * @param formText         the text to put back in the form, so a rejected phrase is not
     *                         lost (may be {@code null})
     * @param explicitLanguage whether the visitor chose the language with {@code ?lang=}
     */
    public Rendered render(Problem problem, boolean api, Language language, String formText, boolean explicitLanguage) {
        if (api) {
            return new Rendered(problem.status(), PROBLEM_JSON, problemJson(problem));
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("status", problem.status());
        model.put("title", text(problem, language, "title"));
        model.put("detail", text(problem, language, "detail"));
        model.put("explicitLang", explicitLanguage);
        if (problem.isInvalidPhrase() && formText != null) {
            model.put("formText", formText);
        }
        return new Rendered(problem.status(), HTML, templates.render("error.ftlh", language, model));
    }

    private byte[] problemJson(Problem problem) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.type());
        body.put("title", text(problem, Language.EN, "title"));
        body.put("status", problem.status());
        body.put("detail", text(problem, Language.EN, "detail"));
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a problem as JSON", e);
        }
    }

    private String text(Problem problem, Language language, String part) {
        return messages.format(language, "problem." + problem.slug() + "." + part, problem.arguments().toArray());
    }
}
