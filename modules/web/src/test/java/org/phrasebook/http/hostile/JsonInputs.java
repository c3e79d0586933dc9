package org.phrasebook.http.hostile;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.phrasebook.http.hostile.RawRequest.Framing;

/**
 * {@code POST /api/phrases}: hostile JSON bodies and content types, and what the contract
 * says: exactly {@code {"text": "..."}} in UTF-8 JSON (RFC 8259), else a 400 (or 413, 415).
 */
public final class JsonInputs {

    public static final int MAX_BODY_BYTES = 16 * 1024;
    static final Set<String> MALFORMED = Set.of("malformed-json", "bad-json-body");

    static final Gen<String> CONTENT_TYPES = Gen.<String>choices()
            .or(24, Gen.constant("application/json"))
            .or(3, Gen.constant("application/json; charset=utf-8"))
            .or(1, Gen.constant("application/json;charset=UTF-8"))
            .or(1, Gen.constant("application/json; charset=\"utf-8\""))
            .or(1, Gen.constant("APPLICATION/JSON"))
            .or(1, Gen.constant("application/json; charset=latin1"))
            .or(1, Gen.constant("application/json; charset=utf-16"))
            .or(1, Gen.constant("application/json; charset=bogus"))
            .or(1, Gen.constant("application/json; foo=bar"))
            .or(1, Gen.constant("application/jsonx"))
            .or(1, Gen.constant("application/problem+json"))
            .or(1, Gen.constant("text/plain"))
            .or(1, Gen.constant(FormInputs.FORM))
            .or(1, Gen.constant((String) null));

    private JsonInputs() {
    }

    public record JsonInput(RawRequest request, String marker) {
        @Override
        public String toString() {
            return request.toString();
        }
    }

    public static Gen<JsonInput> bodies() {
        return random -> {
            String marker = HostileText.marker();
            String text = HostileText.text(marker).next(random);
            byte[] body = shape(text, random);
            Framing framing = random.nextInt(8) == 0 ? Framing.CHUNKED : Framing.EXACT;
            RawRequest request = RawRequest.post("/api/phrases", CONTENT_TYPES.next(random), body, framing);
            return new JsonInput(request, marker);
        };
    }

    private static byte[] shape(String text, Random random) {
        String value = stringLiteral(text, random);
        String ws = Gen.oneOf("", "", " ", "\n", "\t", "\r\n ").next(random);
        String key = random.nextInt(10) == 0 ? "\"\\u0074ext\"" : "\"text\"";
        String valid = "{" + ws + key + ws + ":" + ws + value + ws + "}";
        return switch (random.nextInt(30)) {
            case 0 -> concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, latin1Bytes(valid));
            case 1 -> latin1Bytes("{\"text\":" + value + ",\"extra\":1}");
            case 2 -> latin1Bytes("{\"text\":\"a\",\"text\":" + value + "}");
            case 3 -> latin1Bytes("{\"text\":" + Gen.oneOf("5", "null", "true", "[" + value + "]", "{\"text\":" + value + "}",
                    "-0", "1e999").next(random) + "}");
            case 4 -> latin1Bytes(Gen.oneOf("[" + value + "]", value, "5", "null", "", " ", "{}", "{\"Text\":" + value + "}")
                    .next(random));
            case 5 -> latin1Bytes(valid + Gen.oneOf("x", "{}", "\u0000", ",", "\u00C2\u00A0").next(random));
            case 6 -> Arrays.copyOf(latin1Bytes(valid), Math.max(0, valid.length() - 1 - random.nextInt(3)));
            case 7 -> latin1Bytes(Gen.oneOf("\u00C2\u00A0", "\u000B", "\f").next(random) + valid);
            case 8 -> latin1Bytes("{\"text\":" + "[".repeat(1200) + "]".repeat(1200) + "}");
            case 9 -> latin1Bytes("{\"text\":\"" + "a".repeat(MAX_BODY_BYTES - 20 + random.nextInt(40)) + "\"}");
            case 10 -> latin1Bytes(Gen.oneOf("{'text':" + value + "}", "{text:" + value + "}",
                    "{\"text\":" + value + " /* c */}", "{\"text\":" + value + ",}").next(random));
            case 11 -> latin1Bytes(valid.replaceFirst("\"$|\"}", Gen.oneOf("\u00FF\"}", "\u00C0\u00AF\"}",
                    "\u00ED\u00A0\u0080\"}", "\u00ED\u00A0\u00BD\u00ED\u00B8\u0080\"}").next(random)));
            default -> latin1Bytes(valid);
        };
    }

    /** A JSON string for {@code text}, escaped at random but faithfully (lone surrogates as escapes). */
    static String stringLiteral(String text, Random random) {
        StringBuilder literal = new StringBuilder("\"");
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            boolean escape = random.nextInt(7) == 0;
            if (c == '"' || c == '\\') {
                literal.append('\\').append((char) c);
            } else if (c < 0x20 || Character.isSurrogate((char) c) && c < 0x10000) {
                if (c < 0x20 && random.nextInt(40) == 0) {
                    literal.append((char) c); // unescaped control: not JSON
                } else {
                    literal.append(shortEscape(c).orElse(unicodeEscape(c, random)));
                }
            } else if (c == '/' && escape) {
                literal.append("\\/");
            } else if (escape) {
                for (char unit : Character.toChars(c)) {
                    literal.append(unicodeEscape(unit, random));
                }
            } else {
                literal.append(RawRequest.latin1(HostileText.utf8Loose(Character.toString(c))));
            }
        }
        return literal.append('"').toString();
    }

    private static Optional<String> shortEscape(int c) {
        return switch (c) {
            case '\n' -> Optional.of("\\n");
            case '\t' -> Optional.of("\\t");
            case '\r' -> Optional.of("\\r");
            case '\b' -> Optional.of("\\b");
            case '\f' -> Optional.of("\\f");
            default -> Optional.empty();
        };
    }

    private static String unicodeEscape(int unit, Random random) {
        String hex = String.format("%04x", unit);
        return "\\u" + (random.nextBoolean() ? hex : hex.toUpperCase(java.util.Locale.ROOT));
    }

    private static byte[] latin1Bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    /** What the contract says about this API post. */
    public static Expectation expect(RawRequest request) {
        return Framings.malformed(request).orElseGet(() -> Framings.allowingAmbiguity(request, expectFramed(request)));
    }

    private static Expectation expectFramed(RawRequest request) {
        Optional<MediaType> type = MediaType.parse(request.header("Content-Type"));
        if (type.isEmpty() || !type.get().type().equals("application/json") || !type.get().utf8OrNoCharset()) {
            Expectation wrongType = Expectation.refusedWith("the API takes application/json in UTF-8", 415,
                    Set.of("unsupported-media-type"));
            return type.isPresent() && !type.get().knownCharset()
                    ? wrongType.orRefused("a Content-Type naming an unknown charset is a malformed header", 400)
                    : wrongType;
        }
        if (request.framing() == Framing.LONG) {
            return Framings.cutShort(request, MAX_BODY_BYTES);
        }
        byte[] body = request.bodyAsRead();
        if (body.length > MAX_BODY_BYTES) {
            return Expectation.refusedWith("a JSON body over 16 KiB", 413, Set.of("content-too-large"));
        }
        Expectation expectation;
        if (body.length >= 3 && (body[0] & 0xFF) == 0xEF && (body[1] & 0xFF) == 0xBB && (body[2] & 0xFF) == 0xBF) {
            expectation = fromJson(Arrays.copyOfRange(body, 3, body.length)).or(Expectation.refusedWith(
                    "a byte order mark before JSON may be refused (RFC 8259 section 8.1)", 400, MALFORMED));
        } else {
            expectation = fromJson(body);
        }
        return expectation;
    }

    private static Expectation fromJson(byte[] body) {
        Optional<String> json = Decoding.utf8(body);
        if (json.isEmpty()) {
            return Expectation.refusedWith("the body is not UTF-8", 400, MALFORMED);
        }
        Optional<String> text = JsonText.textField(json.get());
        if (text.isEmpty()) {
            return Expectation.refusedWith("the body is not exactly {\"text\": string}", 400, MALFORMED);
        }
        return Expectation.ofVerdict(PhraseRules.judge(text.get()), "JSON text «" + Decoding.show(text.get()) + "»");
    }
}
