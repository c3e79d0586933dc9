package org.phrasebook.phrase;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.OffsetDateTime;
import java.util.List;
import org.phrasebook.http.ProblemException;

/** The JSON shapes of the API, read and written with Jackson. */
public final class PhraseJson {

    /** A phrase on the wire: {@code {"id": 42, "text": "Gracias", "createdAt": "2026-11-25T12:00:00Z"}}. */
    public record PhraseBody(long id, String text, String createdAt) {
        public static PhraseBody of(Phrase phrase) {
            return new PhraseBody(phrase.id(), phrase.text(), phrase.createdAt().toString());
        }
    }

    /** A page: the phrases and the link to the next (older) page, {@code null} on the last. */
    public record PageBody(List<PhraseBody> items, String next) {
    }

    private final ObjectMapper mapper;

    public PhraseJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The mapper the whole app shares: strict on input, so a sloppy request is a 400, not a guess. */
    public static ObjectMapper newMapper() {
        return JsonMapper.builder()
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                // An emoji goes out as its UTF-8 bytes, not as two escaped surrogates.
                .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
                .build();
    }

    /** Reads {@code {"text": "..."}}, exactly that; anything else is a 400 saying what to send. */
    public String readNewPhraseText(byte[] body) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw ProblemException.of(400, "malformed-json", e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw ProblemException.of(400, "malformed-json", e.getMessage());
        }
        if (root == null || root.isMissingNode() || !root.isObject()) {
            throw ProblemException.of(400, "bad-json-body", "the body is not a JSON object");
        }
        for (var names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("text")) {
                throw ProblemException.of(400, "bad-json-body", "unknown field \"" + name + "\"");
            }
        }
        JsonNode text = root.get("text");
        if (text == null) {
            throw ProblemException.of(400, "bad-json-body", "the field \"text\" is missing");
        }
        if (!text.isTextual()) {
            throw ProblemException.of(400, "bad-json-body", "the field \"text\" must be a string");
        }
        return text.textValue();
    }

    /**
     * The phrase in an add's {@code NOTIFY} payload, which PostgreSQL wrote as
     * {@code {"id": 42, "text": "...", "createdAt": "2026-11-25T12:00:00.123456+00:00"}}.
     */
    public Phrase readAnnouncement(String payload) {
        try {
            JsonNode root = mapper.readTree(payload);
            return new Phrase(root.get("id").longValue(), root.get("text").textValue(),
                    OffsetDateTime.parse(root.get("createdAt").textValue()).toInstant());
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException("Not an add's announcement: " + payload, e);
        }
    }

    public byte[] write(Object body) {
        try {
            return mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write JSON", e);
        }
    }
}
