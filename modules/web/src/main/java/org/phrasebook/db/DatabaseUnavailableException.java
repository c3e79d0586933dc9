package org.phrasebook.db;

/** Start-up gave up on the database; the message is one line that says why. */
public final class DatabaseUnavailableException extends RuntimeException {

    public DatabaseUnavailableException(String message) {
        super(message);
    }
}
