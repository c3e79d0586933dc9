package org.phrasebook.http;

import java.util.List;
import org.phrasebook.phrase.InvalidPhraseException;

/**
 * An error answer as a value: the HTTP status and a slug that names both the problem
 * type and its texts ({@code problem.<slug>.title} and {@code .detail} in the messages).
 * {@link ErrorRenderer} turns it into a page or into problem+json.
 */
public record Problem(int status, String slug, List<Object> arguments) {

    public static Problem of(int status, String slug, Object... arguments) {
        return new Problem(status, slug, List.of(arguments));
    }

    public static Problem invalidPhrase(InvalidPhraseException.Reason reason) {
        return switch (reason) {
            case BLANK -> of(400, "phrase-blank");
            case TOO_LONG -> of(400, "phrase-too-long", org.phrasebook.phrase.PhraseText.MAX_CODE_POINTS);
            case CONTROL_CHARACTER -> of(400, "phrase-control-character");
            case LONE_SURROGATE -> of(400, "phrase-lone-surrogate");
            case BAD_ENCODING -> of(400, "phrase-bad-encoding");
        };
    }

    public static Problem invalidSearch(InvalidPhraseException.Reason reason) {
        return switch (reason) {
            case TOO_LONG -> of(400, "search-too-long", org.phrasebook.phrase.SearchQuery.MAX_CODE_POINTS);
            case CONTROL_CHARACTER -> of(400, "search-control-character");
            case LONE_SURROGATE -> of(400, "search-lone-surrogate");
            case BLANK, BAD_ENCODING -> of(400, "bad-request");
        };
    }

    /** For statuses Jetty answers by itself (malformed requests, unknown methods...). */
    public static Problem forStatus(int status) {
        return switch (status) {
            case 400 -> of(400, "bad-request");
            case 404 -> of(404, "not-found");
            case 408 -> of(408, "request-timeout");
            case 405 -> of(405, "method-not-allowed");
            case 413 -> of(413, "content-too-large");
            case 414 -> of(414, "uri-too-long");
            case 415 -> of(415, "unsupported-media-type");
            case 431 -> of(431, "headers-too-large");
            case 503 -> of(503, "database-unavailable");
            default -> status >= 500 ? of(status, "internal-error") : of(status, "http-error", status);
        };
    }

    /** The problem type URI of RFC 9457. */
    public String type() {
        return "urn:phrasebook:problem:" + slug;
    }

    public boolean isInvalidPhrase() {
        return slug.startsWith("phrase-");
    }
}
