package org.phrasebook.phrase;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Decodes one raw path segment ({@code hola%20mundo}) as percent-encoded UTF-8. Strict on
 * purpose: the JDK's decoders turn invalid UTF-8 such as {@code %FF} into U+FFFD and would
 * store a phrase the visitor never typed.
 */
public final class PathSegment {

    private PathSegment() {
    }

    /** @throws InvalidPhraseException with {@code BAD_ENCODING} for a broken escape or invalid UTF-8 */
    public static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        int i = 0;
        while (i < raw.length()) {
            int percent = raw.indexOf('%', i);
            if (percent < 0) {
                bytes.writeBytes(raw.substring(i).getBytes(StandardCharsets.UTF_8));
                break;
            }
            bytes.writeBytes(raw.substring(i, percent).getBytes(StandardCharsets.UTF_8));
            if (percent + 2 >= raw.length() || !isHex(raw.charAt(percent + 1)) || !isHex(raw.charAt(percent + 2))) {
                throw new InvalidPhraseException(InvalidPhraseException.Reason.BAD_ENCODING);
            }
            bytes.write(HexFormat.fromHexDigits(raw, percent + 1, percent + 3));
            i = percent + 3;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException invalidUtf8) {
            throw new InvalidPhraseException(InvalidPhraseException.Reason.BAD_ENCODING);
        }
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0 && c < 128;
    }
}
