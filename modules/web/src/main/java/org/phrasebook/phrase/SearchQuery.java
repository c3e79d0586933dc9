package org.phrasebook.phrase;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a visitor searches for ({@code ?q=}): read like a phrase (trimmed, NFC, no control
 * characters or lone surrogates), 1 to {@value #MAX_CODE_POINTS} code points. Matched as
 * literal text, ignoring letter case: {@code %}, {@code _} and {@code \} find themselves.
 */
public record SearchQuery(String text) {

    public static final int MAX_CODE_POINTS = 100;

    /**
     * The query, or empty for none ({@code q} absent or blank: the plain list).
     *
     * @throws InvalidSearchException naming the broken rule
     */
    public static Optional<SearchQuery> parse(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String text = PhraseText.normalize(raw);
        if (PhraseText.isBlank(text)) {
            return Optional.empty();
        }
        PhraseText.forbiddenCharacter(text).ifPresent(reason -> {
            throw new InvalidSearchException(reason);
        });
        if (text.codePointCount(0, text.length()) > MAX_CODE_POINTS) {
            throw new InvalidSearchException(InvalidPhraseException.Reason.TOO_LONG);
        }
        return Optional.of(new SearchQuery(text));
    }

    /** Finds the query in a phrase the way the database matched it: literally, ignoring case. */
    public Pattern pattern() {
        return Pattern.compile(Pattern.quote(text), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }
}
