package org.phrasebook.http;

import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
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

    /** Renders a page; the model also gets {@code lang} and {@code msg}, the texts of the language. */
    public String render(String name, Language language, Map<String, ?> model) {
        StringWriter out = new StringWriter(4096);
        process(name, language, model, out);
        return out.toString();
    }

    /**
     * Renders a page straight into {@code out} as UTF-8: no page-sized string to build,
     * copy and encode on the way (the list page is most of the app's work).
     */
    public void write(String name, Language language, Map<String, ?> model, OutputStream out) throws IOException {
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        process(name, language, model, writer);
        writer.flush();
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
}
