package org.phrasebook.http;

import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.phrasebook.i18n.Language;
import org.phrasebook.i18n.Messages;

/**
 * The FreeMarker pages. Every template is parsed once, at start-up; {@code .ftlh}
 * templates escape every interpolation as HTML.
 */
public final class Templates {

    /** About the size of a list page of 50 phrases. */
    private static final int PAGE_BYTES = 16 * 1024;
    private static final List<String> NAMES = List.of("index.ftlh", "error.ftlh");

    private final Map<String, Template> templates = new HashMap<>();
    private final Messages messages;

    public Templates(Messages messages) {
        this.messages = messages;
        Configuration config = new Configuration(Configuration.VERSION_2_3_34);
        config.setObjectWrapper(new RecordObjectWrapper(Configuration.VERSION_2_3_34));
        config.setClassLoaderForTemplateLoading(Templates.class.getClassLoader(), "templates");
        config.setRecognizeStandardFileExtensions(true);
        config.setDefaultEncoding("UTF-8");
        config.setOutputEncoding("UTF-8");
        config.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        config.setLogTemplateExceptions(false);
        config.setWrapUncheckedExceptions(true);
        config.setFallbackOnNullLoopVariable(false);
        try {
            for (String name : NAMES) {
                templates.put(name, config.getTemplate(name));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot load the page templates", e);
        }
    }

    /**
     * Renders a page as UTF-8; the model also gets {@code lang} and {@code msg}, the texts of the
     * language. FreeMarker writes many short pieces (each escaped text, each bit of markup):
     * a charset encoder's fixed cost per piece took a fifth of the list page's CPU, and a page
     * collected as one {@code String} first (UTF-16 as soon as one phrase is beyond Latin-1)
     * spent a tenth of it encoding the whole page at the end. Each piece is encoded on its own
     * by {@link String#getBytes}, which copies ASCII markup as it is.
     */
    public byte[] render(String name, Language language, Map<String, ?> model) {
        Utf8Writer out = new Utf8Writer(PAGE_BYTES);
        process(name, language, model, out);
        return out.toByteArray();
    }

    private void process(String name, Language language, Map<String, ?> model, Writer out) {
        Map<String, Object> root = new HashMap<>(model);
        root.put("lang", language.tag());
        root.put("msg", messages.all(language));
        try {
            templates.get(name).process(root, out);
        } catch (TemplateException | IOException e) {
            throw new IllegalStateException("Cannot render " + name, e);
        }
    }

    /**
     * Collects what is written as UTF-8, without a lock: one page, one thread. A character is
     * encoded within the piece it came in, so a surrogate pair split across two writes would
     * become two {@code ?}; FreeMarker never splits one (its escaping cuts text only at the
     * ASCII characters it escapes).
     */
    private static final class Utf8Writer extends Writer {

        private byte[] bytes;
        private int size;

        Utf8Writer(int capacity) {
            bytes = new byte[capacity];
        }

        @Override
        public void write(char[] chars, int offset, int length) {
            append(new String(chars, offset, length));
        }

        @Override
        public void write(String string, int offset, int length) {
            append(string.substring(offset, offset + length));
        }

        @Override
        public void write(String string) {
            append(string);
        }

        @Override
        public void write(int c) {
            append(String.valueOf((char) c));
        }

        private void append(String piece) {
            byte[] utf8 = piece.getBytes(StandardCharsets.UTF_8);
            if (size + utf8.length > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(2 * bytes.length, size + utf8.length));
            }
            System.arraycopy(utf8, 0, bytes, size, utf8.length);
            size += utf8.length;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }
    }
}
