package org.phrasebook.phrase;

/** A phrase that breaks one of the rules of {@link PhraseText}. */
public final class InvalidPhraseException extends RuntimeException {

    /** Which rule was broken; the HTTP layer turns each into a message that says what to fix. */
    public enum Reason {
        BLANK, TOO_LONG, CONTROL_CHARACTER, LONE_SURROGATE, BAD_ENCODING
    }

    private final Reason reason;

    public InvalidPhraseException(Reason reason) {
        super(reason.name(), null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
