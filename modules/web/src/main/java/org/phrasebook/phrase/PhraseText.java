package org.phrasebook.phrase;

import java.text.Normalizer;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The text of a phrase, valid by construction. Every way in (path, form, API) goes
 * through {@link #parse}, so these rules live here and nowhere else.
 */
public final class PhraseText {

    /** Longest phrase in Unicode code points; the schema's check constraint matches it. */
    public static final int MAX_CODE_POINTS = 280;

    private static final Pattern WHITE_SPACE = Pattern.compile("\\p{IsWhite_Space}");
    private static final Pattern SURROUNDING_WHITE_SPACE =
            Pattern.compile("^\\p{IsWhite_Space}+|\\p{IsWhite_Space}+$");

    private final String value;

    private PhraseText(String value) {
        this.value = value;
    }

    /**
     * Trims surrounding white space, normalizes to NFC, then checks the rules.
     *
     * @throws InvalidPhraseException naming the broken rule
     */
    public static PhraseText parse(String raw) {
        if (raw == null) {
            throw new InvalidPhraseException(InvalidPhraseException.Reason.BLANK);
        }
        String text = normalize(raw);
        if (isBlank(text)) {
            throw new InvalidPhraseException(InvalidPhraseException.Reason.BLANK);
        }
        forbiddenCharacter(text).ifPresent(reason -> {
            throw new InvalidPhraseException(reason);
        });
        if (text.codePointCount(0, text.length()) > MAX_CODE_POINTS) {
            throw new InvalidPhraseException(InvalidPhraseException.Reason.TOO_LONG);
        }
        return new PhraseText(text);
    }

    /** How every text a visitor types is read, phrases and searches alike: trimmed, then NFC. */
    static String normalize(String raw) {
        return Normalizer.normalize(SURROUNDING_WHITE_SPACE.matcher(raw).replaceAll(""), Normalizer.Form.NFC);
    }

    /** Nothing but white space and invisible characters (or nothing at all). */
    static boolean isBlank(String text) {
        return text.codePoints().allMatch(PhraseText::isInvisible);
    }

    /** The rule broken by a character no text may hold, if any. */
    static Optional<InvalidPhraseException.Reason> forbiddenCharacter(String text) {
        if (text.codePoints().anyMatch(Character::isISOControl)) {
            return Optional.of(InvalidPhraseException.Reason.CONTROL_CHARACTER);
        }
        // Half of a UTF-16 pair (JSON may escape one, "\ud83d") is no character: stored as
        // UTF-8 it would become "?", not what was sent.
        if (text.codePoints().anyMatch(codePoint -> Character.getType(codePoint) == Character.SURROGATE)) {
            return Optional.of(InvalidPhraseException.Reason.LONE_SURROGATE);
        }
        return Optional.empty();
    }

    /**
     * Unicode's White_Space (which, unlike {@link String#strip()}, includes no-break spaces)
     * and the invisible format characters (zero-width space, BOM...): a phrase made only of
     * these shows nothing, so it counts as blank.
     */
    private static boolean isInvisible(int codePoint) {
        return WHITE_SPACE.matcher(Character.toString(codePoint)).matches()
                || Character.getType(codePoint) == Character.FORMAT;
    }

    public String value() {
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PhraseText that && value.equals(that.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
