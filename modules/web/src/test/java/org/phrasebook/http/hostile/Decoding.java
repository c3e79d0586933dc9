package org.phrasebook.http.hostile;

import java.io.ByteArrayOutputStream;
import java.util.Optional;

/**
 * Strict decoders written for the oracles: UTF-8 by the table of well-formed byte
 * sequences (Unicode, Table 3-7: no overlong forms, no surrogates, nothing above
 * U+10FFFF) and percent-decoding that refuses a broken escape.
 */
public final class Decoding {

    private Decoding() {
    }

    /** The text, or empty when {@code bytes} are not well-formed UTF-8. */
    public static Optional<String> utf8(byte[] bytes) {
        StringBuilder text = new StringBuilder(bytes.length);
        int i = 0;
        while (i < bytes.length) {
            int b0 = bytes[i] & 0xFF;
            int length;
            int codePoint;
            int min2 = 0x80;
            int max2 = 0xBF;
            if (b0 <= 0x7F) {
                text.append((char) b0);
                i++;
                continue;
            } else if (b0 >= 0xC2 && b0 <= 0xDF) {
                length = 2;
                codePoint = b0 & 0x1F;
            } else if (b0 >= 0xE0 && b0 <= 0xEF) {
                length = 3;
                codePoint = b0 & 0x0F;
                if (b0 == 0xE0) {
                    min2 = 0xA0; // else overlong
                } else if (b0 == 0xED) {
                    max2 = 0x9F; // else a surrogate
                }
            } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                length = 4;
                codePoint = b0 & 0x07;
                if (b0 == 0xF0) {
                    min2 = 0x90; // else overlong
                } else if (b0 == 0xF4) {
                    max2 = 0x8F; // else beyond U+10FFFF
                }
            } else {
                return Optional.empty();
            }
            if (i + length > bytes.length) {
                return Optional.empty();
            }
            for (int k = 1; k < length; k++) {
                int b = bytes[i + k] & 0xFF;
                int min = k == 1 ? min2 : 0x80;
                int max = k == 1 ? max2 : 0xBF;
                if (b < min || b > max) {
                    return Optional.empty();
                }
                codePoint = (codePoint << 6) | (b & 0x3F);
            }
            text.appendCodePoint(codePoint);
            i += length;
        }
        return Optional.of(text.toString());
    }

    /**
     * Percent-decodes {@code raw} (characters up to U+00FF, one per byte, as they came over
     * the wire) to bytes; empty when a {@code %} is not followed by two hex digits.
     */
    public static Optional<byte[]> percentDecode(String raw, boolean plusIsSpace) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length() || hex(raw.charAt(i + 1)) < 0 || hex(raw.charAt(i + 2)) < 0) {
                    return Optional.empty();
                }
                bytes.write(hex(raw.charAt(i + 1)) * 16 + hex(raw.charAt(i + 2)));
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else {
                bytes.write(c & 0xFF);
            }
        }
        return Optional.of(bytes.toByteArray());
    }

    /** Percent-decoding, then strict UTF-8. */
    public static Optional<String> percentDecodeUtf8(String raw, boolean plusIsSpace) {
        return percentDecode(raw, plusIsSpace).flatMap(Decoding::utf8);
    }

    static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** Bytes as a Java-escaped string, for failure messages that show exactly what was sent. */
    public static String show(byte[] bytes) {
        StringBuilder shown = new StringBuilder();
        for (byte value : bytes) {
            int b = value & 0xFF;
            if (b == '\r') {
                shown.append("\\r");
            } else if (b == '\n') {
                shown.append("\\n");
            } else if (b == '\\') {
                shown.append("\\\\");
            } else if (b >= 0x20 && b < 0x7F) {
                shown.append((char) b);
            } else {
                shown.append(String.format("\\x%02X", b));
            }
        }
        return shown.toString();
    }

    /** A text with every character outside printable ASCII as {@code \\uXXXX}. */
    public static String show(String text) {
        StringBuilder shown = new StringBuilder();
        text.chars().forEach(c -> shown.append(c >= 0x20 && c < 0x7F ? String.valueOf((char) c) : String.format("\\u%04X", c)));
        return shown.toString();
    }
}
