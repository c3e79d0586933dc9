package org.phrasebook.phrase;

import java.time.Instant;

/** A stored phrase: its number, its text, and when it was added. */
public record Phrase(long id, String text, Instant createdAt) {
}
