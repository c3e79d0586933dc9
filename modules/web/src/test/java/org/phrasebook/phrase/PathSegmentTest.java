package org.phrasebook.phrase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathSegmentTest {

    @Test
    void decodesPercentEncodedUtf8() {
        assertThat(PathSegment.decode("Gracias")).isEqualTo("Gracias");
        assertThat(PathSegment.decode("hola%20mundo")).isEqualTo("hola mundo");
        assertThat(PathSegment.decode("%C3%B1and%C3%BA")).isEqualTo("ñandú");
        assertThat(PathSegment.decode("%F0%9F%98%80")).isEqualTo("😀");
        assertThat(PathSegment.decode("%c3%b1")).isEqualTo("ñ");
    }

    @Test
    void keepsPlusAsPlus() {
        // '+' means space only in form bodies, never in a path.
        assertThat(PathSegment.decode("a+b")).isEqualTo("a+b");
    }

    @Test
    void keepsRawNonAsciiCharacters() {
        assertThat(PathSegment.decode("ñandú%20😀")).isEqualTo("ñandú 😀");
    }

    @ParameterizedTest
    @ValueSource(strings = {"%FF", "%C3", "%C3%28", "%ED%A0%80", "%", "%2", "%G1", "abc%", "%E2%82"})
    void rejectsBrokenEscapesAndInvalidUtf8(String raw) {
        assertThatThrownBy(() -> PathSegment.decode(raw))
                .isInstanceOfSatisfying(InvalidPhraseException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidPhraseException.Reason.BAD_ENCODING));
    }
}
