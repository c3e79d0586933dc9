package org.phrasebook.phrase;

/** A search query that breaks one of the rules of {@link SearchQuery}; the same rules as a phrase's. */
public final class InvalidSearchException extends RuntimeException {

    private final InvalidPhraseException.Reason reason;

    public InvalidSearchException(InvalidPhraseException.Reason reason) {
        super(reason.name(), null, false, false);
        this.reason = reason;
    }

    public InvalidPhraseException.Reason reason() {
        return reason;
    }
}
