package org.phrasebook.phrase;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PhraseViewTest {

    /** Minutes cut, never rounded; always in UTC; midnight and whole minutes included. */
    @ParameterizedTest
    @CsvSource({
        "2026-11-25T09:05:59.999999Z, 2026-11-25 09:05 UTC",
        "2026-11-25T00:00:00Z,        2026-11-25 00:00 UTC",
        "2026-12-31T23:59:00Z,        2026-12-31 23:59 UTC",
        "2026-11-25T12:00:00.5+05:00, 2026-11-25 07:00 UTC",
    })
    void labelsTheTimeToTheMinuteInUtc(String time, String label) {
        assertThat(PhraseView.label(OffsetDateTime.parse(time).toInstant())).isEqualTo(label);
    }
}
