package org.phrasebook.phrase;

/** Every search slot stayed taken for as long as a search may wait for one ({@link SearchSlots}). */
public final class SearchBusyException extends RuntimeException {

    public SearchBusyException() {
        super("every search slot is taken", null, false, false);
    }
}
