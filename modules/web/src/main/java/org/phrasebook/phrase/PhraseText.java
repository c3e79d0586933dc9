package org.phrasebook.phrase;

import java.text.Normalizer;
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
        String text = Normalizer.normalize(SURROUNDING_WHITE_SPACE.matcher(raw).replaceAll(""), Normalizer.Form.NFC);
        if (text.codePoints().allMatch(PhraseText::isInvisible)) {
            throw new InvalidPhraseException(InvalidPhraseException.Reason.BLANK);
        }
        if (text.codePoints().anyMatch(Character::isISOControl)) {
            throw new InvalidPhraseException(InvalidPhraseException.Reason.CONTROL_CHARACTER);
        }
        // Half of a UTF-16 pair (JSON may escape one, "\ud83d") is no character: stored as
        // UTF-8 it would become "?", not what was sent.
        if (text.codePoints().anyMatch(codePoint -> Character.getType(codePoint) == Character.SURROGATE)) {
            throw new InvalidPhraseException(InvalidPhraseException.Reason.LONE_SURROGATE);
        }
        if (text.codePointCount(0, text.length()) > MAX_CODE_POINTS) {
            throw new InvalidPhraseException(InvalidPhraseException.Reason.TOO_LONG);
        }
        return new PhraseText(text);
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
