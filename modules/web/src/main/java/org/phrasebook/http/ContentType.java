package org.phrasebook.http;

import java.util.Locale;

/** Reads a request's {@code Content-Type} header itself: Jetty's parser throws on an unknown charset. */
public final class ContentType {

    private ContentType() {
    }

    /**
     * Whether the header names exactly {@code mediaType} (any letter case), in UTF-8: with no
     * charset parameter or with {@code charset=utf-8}, quoted or not.
     */
    public static boolean isUtf8(String header, String mediaType) {
        if (header == null) {
            return false;
        }
        String[] parts = header.split(";");
        if (!parts[0].strip().equalsIgnoreCase(mediaType)) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].split("=", 2);
            if (parameter[0].strip().equalsIgnoreCase("charset")) {
                String charset = parameter.length < 2 ? "" : parameter[1].strip().replace("\"", "");
                if (!charset.toLowerCase(Locale.ROOT).equals("utf-8")) {
                    return false;
                }
            }
        }
        return true;
    }
}
