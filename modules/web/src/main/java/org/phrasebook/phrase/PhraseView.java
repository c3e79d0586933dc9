package org.phrasebook.phrase;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A phrase as the list page shows it; in search results also as {@code parts}, the text cut
 * around each match so the page can mark them (each part is escaped like any text).
 */
public record PhraseView(long id, String text, String addedAt, String addedAtLabel, boolean highlighted, List<Part> parts) {

    /** A piece of a phrase's text, and whether it matched the search. */
    public record Part(String text, boolean match) {
    }

    static PhraseView of(Phrase phrase, boolean highlighted) {
        return new PhraseView(phrase.id(), phrase.text(), phrase.createdAt().toString(),
                label(phrase.createdAt()), highlighted, null);
    }

    static PhraseView found(Phrase phrase, Pattern search) {
        return new PhraseView(phrase.id(), phrase.text(), phrase.createdAt().toString(),
                label(phrase.createdAt()), false, parts(phrase.text(), search));
    }

    /**
     * {@code 2026-11-25 12:00 UTC}. Through the date's and time's own {@code toString}: a
     * {@code DateTimeFormatter} pattern cost 5% of the list page's CPU, 50 times a page.
     */
    static String label(Instant time) {
        LocalDateTime utc = LocalDateTime.ofInstant(time, ZoneOffset.UTC);
        return utc.toLocalDate() + " " + utc.toLocalTime().truncatedTo(ChronoUnit.MINUTES) + " UTC";
    }

    static List<Part> parts(String text, Pattern search) {
        List<Part> parts = new ArrayList<>();
        Matcher match = search.matcher(text);
        int start = 0;
        while (match.find()) {
            if (match.start() > start) {
                parts.add(new Part(text.substring(start, match.start()), false));
            }
            parts.add(new Part(match.group(), true));
            start = match.end();
        }
        if (start < text.length()) {
            parts.add(new Part(text.substring(start), false));
        }
        return List.copyOf(parts);
    }
}
