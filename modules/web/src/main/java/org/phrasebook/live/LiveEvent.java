package org.phrasebook.live;

import java.nio.charset.StandardCharsets;
import org.phrasebook.phrase.Phrase;
import org.phrasebook.phrase.PhraseJson;

/**
 * One added phrase as a Server-Sent Event ({@code id:} its id, {@code data:} its API JSON),
 * encoded once and written to every stream. {@code late} marks a phrase published after
 * the feed had given up waiting for it ({@link PhraseFeed}).
 */
record LiveEvent(long id, byte[] frame, boolean late) {

    static LiveEvent of(Phrase phrase, PhraseJson json) {
        // JSON has no raw line breaks, so the phrase is one data line whatever its text.
        String data = new String(json.write(PhraseJson.PhraseBody.of(phrase)), StandardCharsets.UTF_8);
        byte[] frame = ("id: " + phrase.id() + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
        return new LiveEvent(phrase.id(), frame, false);
    }

    LiveEvent asLate() {
        return new LiveEvent(id, frame, true);
    }
}
