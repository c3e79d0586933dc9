package org.phrasebook.phrase;

import java.text.Normalizer;

/**
 * The text of a phrase, valid by construction. Every way in (path, form, API) goes
 * through {@link #parse}, so these rules live here and nowhere else.
 */
public final class PhraseText {

    /** Longest phrase in Unicode code points; the schema's check constraint matches it. */
    public static final int MAX_CODE_POINTS = 280;

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
        // strip() knows Unicode white space (e.g. U+3000); trim() only knows <= U+0020.
        String text = Normalizer.normalize(raw.strip(), Normalizer.Form.NFC);
        if (text.isEmpty()) {
            throw new InvalidPhraseException(InvalidPhraseException.Reason.BLANK);
        }
        if (text.codePoints().anyMatch(Character::isISOControl)) {
            throw new InvalidPhraseException(InvalidPhraseException.Reason.CONTROL_CHARACTER);
        }
        if (text.codePointCount(0, text.length()) > MAX_CODE_POINTS) {
            throw new InvalidPhraseException(InvalidPhraseException.Reason.TOO_LONG);
        }
        return new PhraseText(text);
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
