package org.phrasebook.i18n;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LanguageTest {

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
        "null, null, EN",
        "null, es, ES",
        "null, es-MX, ES",
        "null, 'en-US,en;q=0.9', EN",
        "null, 'fr-FR, es;q=0.8, en;q=0.5', ES",
        "null, 'de', EN",
        "null, '*', EN",
        "null, 'not a ;;; header', EN",
        "es, en, ES",
        "en, es, EN",
        "ES, en, ES",
        "xx, es, ES",
    })
    void choosesTheLanguage(String langParameter, String acceptLanguage, Language expected) {
        assertThat(Language.choose(langParameter, acceptLanguage)).isEqualTo(expected);
    }
}
