package org.phrasebook.i18n;

import java.util.List;
import java.util.Locale;

/** The languages pages come in: Spanish for {@code es}, English otherwise. */
public enum Language {
    EN, ES;

    /** The BCP 47 tag, as used in {@code <html lang>} and {@code ?lang=}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * A valid {@code ?lang=} value wins; otherwise the first of the visitor's
     * {@code Accept-Language} preferences that we speak; otherwise English.
     */
    public static Language choose(String langParameter, String acceptLanguage) {
        Language chosen = fromTag(langParameter);
        if (chosen != null) {
            return chosen;
        }
        if (acceptLanguage != null && !acceptLanguage.isBlank()) {
            try {
                for (Locale.LanguageRange range : Locale.LanguageRange.parse(acceptLanguage)) {
                    String primary = range.getRange().split("-", 2)[0];
                    if (primary.equals("*")) {
                        break;
                    }
                    Language spoken = fromTag(primary);
                    if (spoken != null) {
                        return spoken;
                    }
                }
            } catch (IllegalArgumentException malformedHeader) {
                // A broken Accept-Language header is no reason to fail the page.
            }
        }
        return EN;
    }

    /** The language for a tag such as {@code es}, or {@code null} when we do not speak it. */
    public static Language fromTag(String tag) {
        if (tag == null) {
            return null;
        }
        for (Language language : List.of(values())) {
            if (language.tag().equalsIgnoreCase(tag.strip())) {
                return language;
            }
        }
        return null;
    }
}
