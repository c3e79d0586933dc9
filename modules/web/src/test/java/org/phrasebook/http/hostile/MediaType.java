package org.phrasebook.http.hostile;

import java.util.Locale;
import java.util.Optional;

/** A Content-Type as RFC 9110 reads it: a case-insensitive type, then parameters. */
record MediaType(String type, Optional<String> charset) {

    static Optional<MediaType> parse(Optional<String> header) {
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String[] parts = header.get().split(";");
        String type = parts[0].strip().toLowerCase(Locale.ROOT);
        Optional<String> charset = Optional.empty();
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].split("=", 2);
            if (parameter.length == 2 && parameter[0].strip().equalsIgnoreCase("charset") && charset.isEmpty()) {
                charset = Optional.of(parameter[1].strip().replaceAll("^\"|\"$", "").toLowerCase(Locale.ROOT));
            }
        }
        return Optional.of(new MediaType(type, charset));
    }

    /** Whether the charset, if any, is one Java knows (an unknown one makes the header malformed). */
    boolean knownCharset() {
        try {
            return charset.isEmpty() || java.nio.charset.Charset.isSupported(charset.get());
        } catch (IllegalArgumentException illegalName) {
            return false;
        }
    }

    boolean utf8OrNoCharset() {
        return charset.isEmpty() || charset.get().equals("utf-8");
    }
}
