package org.phrasebook.http.hostile;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.phrasebook.http.hostile.RawRequest.Framing;
import org.phrasebook.http.hostile.RawRequest.Header;

/** {@code POST /phrases}: hostile form bodies and content types, and what the contract says. */
public final class FormInputs {

    public static final int MAX_BODY_BYTES = 16 * 1024;
    static final String FORM = "application/x-www-form-urlencoded";

    static final Gen<String> CONTENT_TYPES = Gen.<String>choices()
            .or(24, Gen.constant(FORM))
            .or(4, Gen.constant(FORM + "; charset=UTF-8"))
            .or(1, Gen.constant(FORM + ";charset=\"utf-8\""))
            .or(1, Gen.constant("APPLICATION/X-WWW-FORM-URLENCODED"))
            .or(1, Gen.constant(FORM + " ; charset=utf-8"))
            .or(1, Gen.constant(FORM + "; charset=iso-8859-1"))
            .or(1, Gen.constant(FORM + "; charset=utf-16"))
            .or(1, Gen.constant(FORM + ";charset=bogus"))
            .or(1, Gen.constant(FORM + "; foo=bar"))
            .or(1, Gen.constant(FORM + "x"))
            .or(1, Gen.constant("text/plain"))
            .or(1, Gen.constant("multipart/form-data; boundary=x"))
            .or(1, Gen.constant("application/json"))
            .or(1, Gen.constant(""))
            .or(1, Gen.constant((String) null));

    private static final List<String> EXTRA_FIELDS = List.of("lang=es", "lang=EN", "lang=xx", "other=1", "text=second",
            "te%78t=hex", "=", "&", "x", "text", "lang=%ZZ", "%=1", "k=%FF");

    private FormInputs() {
    }

    /** The request and its marker. */
    public record FormInput(RawRequest request, String marker) {
        @Override
        public String toString() {
            return request.toString();
        }
    }

    /** Form posts from this site (Origin of the server or none) so the cross-site check passes. */
    public static Gen<FormInput> forms(String ownOrigin) {
        return random -> {
            String marker = HostileText.marker();
            String text = HostileText.text(marker).next(random);
            String value = HostileText.percentEncode(text, random, true);
            if (random.nextInt(6) == 0) {
                value = rawUtf8Somewhere(value, text, random);
            }
            if (random.nextInt(6) == 0) {
                String insert = Gen.<String>choices()
                        .or(3, Gen.oneOf(PathInputs.BROKEN_ESCAPES))
                        .or(2, Gen.oneOf("&", "=", "+", "%26", "%3D", "%2B", "\u00FF", "\u00C0\u00AF", "#", ";"))
                        .next(random);
                int at = random.nextInt(value.length() + 1);
                value = value.substring(0, at) + insert + value.substring(at);
            }
            List<String> fields = new ArrayList<>();
            fields.add("text=" + value);
            int extra = random.nextInt(4) == 0 ? 1 + random.nextInt(2) : 0;
            for (int i = 0; i < extra; i++) {
                fields.add(random.nextInt(fields.size() + 1), Gen.oneOf(EXTRA_FIELDS).next(random));
            }
            if (random.nextInt(30) == 0) {
                fields.add("pad=" + "p".repeat(MAX_BODY_BYTES - 20 + random.nextInt(40)));
            }
            byte[] body = String.join("&", fields).getBytes(StandardCharsets.ISO_8859_1);
            List<Header> headers = new ArrayList<>();
            int origin = random.nextInt(4);
            if (origin < 2) {
                headers.add(new Header("Origin", ownOrigin));
            }
            if (origin == 2) {
                headers.add(new Header("Sec-Fetch-Site", random.nextBoolean() ? "same-origin" : "none"));
            }
            Framing framing = random.nextInt(8) == 0 ? Framing.CHUNKED : Framing.EXACT;
            RawRequest request = RawRequest.post("/phrases", CONTENT_TYPES.next(random), body, framing,
                    headers.toArray(Header[]::new));
            return new FormInput(request, marker);
        };
    }

    /** Replaces the encoded value by raw UTF-8 bytes of the text where that is still unambiguous. */
    private static String rawUtf8Somewhere(String encoded, String text, java.util.Random random) {
        String raw = RawRequest.latin1(HostileText.utf8Loose(text));
        boolean unambiguous = raw.chars().noneMatch(c -> c == '&' || c == '=' || c == '+' || c == '%' || c < 0x20);
        return unambiguous && random.nextBoolean() ? raw : encoded;
    }

    /** What the contract says a same-site form post does. */
    public static Expectation expect(RawRequest request) {
        return Framings.malformed(request).orElseGet(() -> Framings.allowingAmbiguity(request, expectFramed(request)));
    }

    /** In the app's order: the cross-site filter, the media type, then the body. */
    private static Expectation expectFramed(RawRequest request) {
        Optional<Expectation> crossSite = CrossSite.refusal(request);
        if (crossSite.isPresent()) {
            return crossSite.get();
        }
        Optional<MediaType> type = MediaType.parse(request.header("Content-Type"));
        if (type.isEmpty() || !type.get().type().equals(FORM)) {
            return Expectation.refused("the form takes only " + FORM, 415);
        }
        if (request.framing() == Framing.LONG) {
            return Framings.cutShort(request, MAX_BODY_BYTES);
        }
        byte[] body = request.bodyAsRead();
        if (body.length > MAX_BODY_BYTES) {
            // With another charset declared the app may refuse the type before it reads the size.
            return type.get().utf8OrNoCharset() ? Expectation.refused("a form body over 16 KiB", 413)
                    : Expectation.refused("a form body over 16 KiB, charset=" + type.get().charset().get(), 413, 415);
        }
        Expectation utf8 = parse(body, StandardCharsets.UTF_8);
        if (type.get().utf8OrNoCharset()) {
            return utf8;
        }
        // Another charset: a form is UTF-8 (WHATWG URL standard) and the app may say so, or
        // honour the declared charset, or refuse it; it may not fail.
        Expectation foreign = utf8.orRefused("form declared charset=" + type.get().charset().get(), 400, 415);
        try {
            foreign = foreign.or(parse(body, Charset.forName(type.get().charset().get())));
        } catch (IllegalArgumentException unknownCharset) {
            // only UTF-8 or a refusal then
        }
        return foreign;
    }

    private static Expectation parse(byte[] body, Charset charset) {
        String raw = RawRequest.latin1(body);
        String text = null;
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            Optional<String> name = decode(equals < 0 ? pair : pair.substring(0, equals), charset);
            Optional<String> value = decode(equals < 0 ? "" : pair.substring(equals + 1), charset);
            if (name.isEmpty() || value.isEmpty()) {
                return Expectation.refused("the form body is not percent-encoded " + charset.name(), 400);
            }
            if (text == null && name.get().equals("text")) {
                text = value.get();
            }
        }
        if (text == null) {
            return Expectation.refusedWith("no text field: an empty phrase", 400, java.util.Set.of("phrase-blank"));
        }
        return Expectation.ofVerdict(PhraseRules.judge(text), "form field text «" + Decoding.show(text) + "» in "
                + charset.name());
    }

    private static Optional<String> decode(String raw, Charset charset) {
        Optional<byte[]> bytes = Decoding.percentDecode(raw, true);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        if (charset.equals(StandardCharsets.UTF_8)) {
            return Decoding.utf8(bytes.get());
        }
        try {
            return Optional.of(charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.get())).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
