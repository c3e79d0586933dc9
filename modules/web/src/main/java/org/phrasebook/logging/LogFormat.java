package org.phrasebook.logging;

import java.util.Locale;
import java.util.Optional;

/** How log lines are written ({@code LOG_FORMAT}): one line of text or one JSON object per event. */
public enum LogFormat {
    TEXT,
    JSON;

    /** The format a value names, ignoring case; empty for a value that names none. */
    public static Optional<LogFormat> parse(String value) {
        for (LogFormat format : values()) {
            if (format.name().equals(value.strip().toUpperCase(Locale.ROOT))) {
                return Optional.of(format);
            }
        }
        return Optional.empty();
    }
}
