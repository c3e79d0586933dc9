package org.phrasebook.http.hostile;

import java.text.Normalizer;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The test's own statement of what a phrase is (PRODUCT.md section 3, README), written
 * without the app's {@code PhraseText}: trim Unicode White_Space, NFC, then 1 to 280 code
 * points, not only invisible characters, no control characters, no lone surrogates.
 */
public final class PhraseRules {

    public static final int MAX_CODE_POINTS = 280;

    /** Every rule a text can break; the server may name any one of those broken. */
    public enum Broken {
        BLANK("phrase-blank"), CONTROL_CHARACTER("phrase-control-character"),
        LONE_SURROGATE("phrase-lone-surrogate"), TOO_LONG("phrase-too-long");

        public final String problemSlug;

        Broken(String problemSlug) {
            this.problemSlug = problemSlug;
        }
    }

    /** The stored text when every rule holds, else the broken rules. */
    public record Verdict(Optional<String> text, Set<Broken> broken) {
        public boolean valid() {
            return broken.isEmpty();
        }
    }

    private PhraseRules() {
    }

    public static Verdict judge(String raw) {
        String text = Normalizer.normalize(trimWhiteSpace(raw), Normalizer.Form.NFC);
        Set<Broken> broken = EnumSet.noneOf(Broken.class);
        if (text.codePoints().allMatch(PhraseRules::isInvisible)) {
            broken.add(Broken.BLANK);
        }
        if (text.codePoints().anyMatch(PhraseRules::isControl)) {
            broken.add(Broken.CONTROL_CHARACTER);
        }
        if (hasLoneSurrogate(text)) {
            broken.add(Broken.LONE_SURROGATE);
        }
        if (text.codePointCount(0, text.length()) > MAX_CODE_POINTS) {
            broken.add(Broken.TOO_LONG);
        }
        return new Verdict(broken.isEmpty() ? Optional.of(text) : Optional.empty(), broken);
    }

    /**
     * Unicode's White_Space property (PropList.txt), listed here rather than taken from a
     * regex class: tab to carriage return, space, NEL, no-break space, ogham space mark, the
     * en quad to hair space block, line and paragraph separators, the narrow no-break space,
     * the medium mathematical space and the ideographic space.
     */
    public static boolean isWhiteSpace(int c) {
        return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680
                || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F
                || c == 0x3000;
    }

    /** Invisible: white space or a format character (zero-width space and joiners, marks, BOM...). */
    public static boolean isInvisible(int c) {
        return isWhiteSpace(c) || Character.getType(c) == Character.FORMAT;
    }

    /** The C0 and C1 control characters and DEL: U+0000–U+001F, U+007F–U+009F. */
    public static boolean isControl(int c) {
        return c <= 0x1F || (c >= 0x7F && c <= 0x9F);
    }

    static String trimWhiteSpace(String raw) {
        int start = 0;
        int end = raw.length();
        while (start < end && isWhiteSpace(raw.codePointAt(start))) {
            start += Character.charCount(raw.codePointAt(start));
        }
        while (end > start && isWhiteSpace(raw.codePointBefore(end))) {
            end -= Character.charCount(raw.codePointBefore(end));
        }
        return raw.substring(start, end);
    }

    static boolean hasLoneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
