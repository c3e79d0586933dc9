package org.phrasebook.i18n;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The page texts of every {@link Language}, loaded once from {@code messages_<tag>.properties}. */
public final class Messages {

    private final Map<Language, Map<String, String>> texts = new EnumMap<>(Language.class);

    public Messages() {
        for (Language language : Language.values()) {
            ResourceBundle bundle = ResourceBundle.getBundle("messages", Locale.forLanguageTag(language.tag()),
                    ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
            texts.put(language, bundle.keySet().stream()
                    .collect(Collectors.toUnmodifiableMap(Function.identity(), bundle::getString)));
        }
    }

    /** All texts of one language, for the templates. */
    public Map<String, String> all(Language language) {
        return texts.get(language);
    }

    /** One text with its {@code {0}}, {@code {1}}... replaced by the arguments. */
    public String format(Language language, String key, Object... arguments) {
        String text = texts.get(language).get(key);
        if (text == null) {
            throw new IllegalArgumentException("No message '" + key + "' for " + language);
        }
        for (int i = 0; i < arguments.length; i++) {
            text = text.replace("{" + i + "}", String.valueOf(arguments[i]));
        }
        return text;
    }
}
