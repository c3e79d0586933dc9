package org.phrasebook.phrase;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** A phrase as the list page shows it. */
public record PhraseView(long id, String text, String addedAt, String addedAtLabel, boolean highlighted) {

    private static final DateTimeFormatter LABEL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    static PhraseView of(Phrase phrase, boolean highlighted) {
        return new PhraseView(phrase.id(), phrase.text(), phrase.createdAt().toString(),
                LABEL.format(phrase.createdAt()), highlighted);
    }
}
