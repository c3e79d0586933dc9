package org.phrasebook.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.phrasebook.i18n.Language;
import org.phrasebook.i18n.Messages;

class TemplatesTest {

    private final Templates templates = new Templates(new Messages());

    /**
     * Each piece FreeMarker writes is encoded on its own: escaping cuts the text next to
     * letters beyond Latin-1 and emoji (surrogate pairs), and a page larger than the first
     * buffer must come out whole and as valid UTF-8.
     */
    @Test
    void encodesEveryPieceOfALargePageAsUtf8() throws CharacterCodingException {
        String text = "ñandú 😀<b>&\"'😀x ".repeat(1500);

        byte[] page = templates.render("error.ftlh", Language.EN, Map.of(
                "status", 400, "title", "Título 😀", "detail", "<détail>", "explicitLang", false, "formText", text));

        String decoded = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(page)).toString();
        assertThat(page.length).isGreaterThan(64 * 1024);
        assertThat(decoded)
                .contains("<h1>Título 😀</h1>")
                .contains("&lt;détail&gt;")
                .contains(escaped(text))
                .endsWith("</html>\n");
    }

    private static String escaped(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;").replace("'", "&#39;");
    }
}
