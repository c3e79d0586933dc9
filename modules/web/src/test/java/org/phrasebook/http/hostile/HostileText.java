package org.phrasebook.http.hostile;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Texts a hostile visitor types: white space of every kind, invisible format characters,
 * controls, lone surrogates, emoji sequences, combining marks in NFC and NFD, RTL text and
 * overrides, markup and SQL, around and over 280 code points, and the empty string. Most
 * carry a unique marker so a test can find its own row among everyone else's.
 */
public final class HostileText {

    static final List<String> WHITE_SPACE = List.of("\t", "\n", "\u000B", "\f", "\r", " ", "  ", "\u0085", "\u00A0",
            "\u1680", "\u2000", "\u2003", "\u2007", "\u200A", "\u2028", "\u2029", "\u202F", "\u205F", "\u3000");
    /** Format characters (Cf): zero-width space, joiners, bidi marks and overrides, BOM, soft hyphen, a tag. */
    static final List<String> INVISIBLE = List.of("\u200B", "\u200C", "\u200D", "\u200E", "\u200F", "\u202A", "\u202E",
            "\u202C", "\u2060", "\u2066", "\u2069", "\uFEFF", "\u00AD", "\u061C", "\u180E", "\uDB40\uDC67");
    static final List<String> CONTROLS = List.of("\u0000", "\u0001", "\u0007", "\u0008", "\u001B", "\u001F", "\u007F",
            "\u0080", "\u0085", "\u009B", "\u009F", "\t", "\n", "\r");
    static final List<String> SURROGATES = List.of("\uD83D", "\uDE00", "\uDBFF", "\uDC00", "\uDE00\uD83D", "\uD800\uD800");
    static final List<String> EMOJI = List.of("😀", "👍🏽", "🇪🇸", "🇺🇳", "👨‍👩‍👧‍👦", "🏳️‍🌈", "1️⃣", "❤️",
            "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "🧑🏿‍🦰", "\uD83C\uDFFD", "\uFE0F");
    /** Pairs that NFC changes or keeps: decomposed and precomposed letters, reordered marks, singletons. */
    static final List<String> COMBINING = List.of("e\u0301", "\u00E9", "a\u0323\u0307", "a\u0307\u0323",
            "\u1100\u1161\u11A8", "\u212B", "\u2126", "\u0301", "\u0344", "Z\u0351\u0352\u0353\u0354", "\u0958",
            "\uFB2C", "n\u0303and\u00FA");
    static final List<String> RTL = List.of("\u202Eevil\u202C", "مرحبا", "שלום", "\u200Fabc", "\u05D0\u05B0");
    static final List<String> SCRIPTS = List.of("漢字", "日本語", "ñandú", "Ελληνικά", "Русский", "\u0E01\u0E34",
            "\uD840\uDC00");
    static final List<String> MARKUP = List.of("<script>alert(1)</script>", "'; drop table phrase; --", "&amp;",
            "\"quoted\"", "%", "%25", "\\", "/", "+", "=", "&", "?", "#", ";", "${7*7}", "<!--", "]]>", "..", ".");
    static final List<String> ODD = List.of("\uFFFE", "\uFFFF", "\uDBFF\uDFFF", "\uE000", "\uFFFD", "\uFDD0", "\u2800");

    private static final String ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String PRINTABLE = " !\"#$%&'()*+,-./0123456789:;<=>?@[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";
    private static final List<String> LONG_FILLERS = List.of("a", "é", "e\u0301", "😀", "漢", "\u00A0", "👨‍👩‍👧");
    private static final List<Integer> LONG_LENGTHS = List.of(279, 280, 281, 282, 300, 560, 1000);

    private static final AtomicLong MARKERS = new AtomicLong(System.nanoTime() & 0xFFFFFFFFL);

    private HostileText() {
    }

    /** A fresh marker, {@code ~} and 8 base-36 digits and {@code ~}: untouched by trimming and NFC. */
    public static String marker() {
        long value = Math.floorMod(MARKERS.incrementAndGet() * 2_654_435_761L, 2_821_109_907_456L); // 36^8
        String digits = Long.toString(value, 36);
        return "~" + "0".repeat(8 - digits.length()) + digits + "~";
    }

    static Gen<String> piece() {
        return Gen.<String>choices()
                .or(8, Gen.stringOf(ALNUM, 1, 8))
                .or(3, Gen.stringOf(PRINTABLE, 1, 6))
                .or(4, Gen.oneOf(WHITE_SPACE))
                .or(4, Gen.oneOf(INVISIBLE))
                .or(3, Gen.oneOf(CONTROLS))
                .or(2, Gen.oneOf(SURROGATES))
                .or(4, Gen.oneOf(EMOJI))
                .or(4, Gen.oneOf(COMBINING))
                .or(2, Gen.oneOf(RTL))
                .or(2, Gen.oneOf(SCRIPTS))
                .or(2, Gen.oneOf(MARKUP))
                .or(1, Gen.oneOf(ODD))
                .or(2, random -> new String(Character.toChars(random.nextInt(0x110000))));
    }

    /** A hostile text with {@code marker} somewhere in it (most of the time), or without. */
    public static Gen<String> text(String marker) {
        return Gen.<String>choices()
                .or(14, withMarker(marker))
                .or(3, Gen.listOf(Gen.<String>choices().or(1, Gen.oneOf(WHITE_SPACE)).or(1, Gen.oneOf(INVISIBLE)), 0, 4)
                        .map(pieces -> String.join("", pieces)))
                .or(3, longText(marker))
                .or(1, Gen.constant(""));
    }

    private static Gen<String> withMarker(String marker) {
        return random -> {
            List<String> pieces = new java.util.ArrayList<>(Gen.listOf(piece(), 0, 7).next(random));
            if (random.nextInt(8) > 0) {
                pieces.add(random.nextInt(pieces.size() + 1), marker);
            }
            return String.join("", pieces);
        };
    }

    /** Exactly N code points before normalization, N around the 280 limit or far over it. */
    private static Gen<String> longText(String marker) {
        return random -> {
            int target = LONG_LENGTHS.get(random.nextInt(LONG_LENGTHS.size()));
            String filler = LONG_FILLERS.get(random.nextInt(LONG_FILLERS.size()));
            StringBuilder text = new StringBuilder(marker);
            while (text.codePointCount(0, text.length()) + filler.codePointCount(0, filler.length()) <= target) {
                text.append(filler);
            }
            while (text.codePointCount(0, text.length()) < target) {
                text.append('b');
            }
            String edge = random.nextBoolean() ? "" : WHITE_SPACE.get(random.nextInt(WHITE_SPACE.size()));
            return edge + text + edge;
        };
    }

    /**
     * UTF-8, except that a lone surrogate becomes its 3-byte pattern (ED A0 80...), which is
     * not UTF-8: so a lone surrogate stays visible on the wire instead of turning into "?".
     */
    public static byte[] utf8Loose(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (c < 0x80) {
                bytes.write(c);
            } else if (c < 0x800) {
                bytes.write(0xC0 | c >> 6);
                bytes.write(0x80 | c & 0x3F);
            } else if (c < 0x10000) {
                bytes.write(0xE0 | c >> 12);
                bytes.write(0x80 | c >> 6 & 0x3F);
                bytes.write(0x80 | c & 0x3F);
            } else {
                bytes.write(0xF0 | c >> 18);
                bytes.write(0x80 | c >> 12 & 0x3F);
                bytes.write(0x80 | c >> 6 & 0x3F);
                bytes.write(0x80 | c & 0x3F);
            }
        }
        return bytes.toByteArray();
    }

    /**
     * Percent-encodes {@code text} as UTF-8 with random but faithful choices: unreserved
     * characters raw or escaped, hex digits in either case, and (when {@code plusForSpace})
     * a space as {@code +}.
     */
    public static String percentEncode(String text, Random random, boolean plusForSpace) {
        StringBuilder encoded = new StringBuilder();
        for (byte value : utf8Loose(text)) {
            int b = value & 0xFF;
            boolean unreserved = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                    || b == '-' || b == '.' || b == '_' || b == '~';
            if (unreserved && random.nextInt(6) > 0) {
                encoded.append((char) b);
            } else if (b == ' ' && plusForSpace && random.nextBoolean()) {
                encoded.append('+');
            } else {
                String hex = String.format("%02X", b);
                encoded.append('%').append(random.nextBoolean() ? hex : hex.toLowerCase(java.util.Locale.ROOT));
            }
        }
        return encoded.toString();
    }
}
