package org.phrasebook.http;

import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
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
    private static final int PAGE_CHARS = 16 * 1024;
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
     * Renders a page; the model also gets {@code lang} and {@code msg}, the texts of the language.
     * FreeMarker writes many short pieces (each escaped text, each bit of markup): into a plain
     * {@link StringBuilder} they cost a copy each, where a charset encoder (or a
     * {@code BufferedWriter} in front of one, with its lock) cost a fifth of the list page's CPU;
     * the caller encodes the whole page at once.
     */
    public String render(String name, Language language, Map<String, ?> model) {
        StringBuilderWriter out = new StringBuilderWriter(PAGE_CHARS);
        process(name, language, model, out);
        return out.toString();
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

    /** A {@link java.io.StringWriter} without its lock: one page, one thread. */
    private static final class StringBuilderWriter extends Writer {

        private final StringBuilder text;

        StringBuilderWriter(int capacity) {
            text = new StringBuilder(capacity);
        }

        @Override
        public void write(char[] chars, int offset, int length) {
            text.append(chars, offset, length);
        }

        @Override
        public void write(String string, int offset, int length) {
            text.append(string, offset, offset + length);
        }

        @Override
        public void write(int c) {
            text.append((char) c);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
