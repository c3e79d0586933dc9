package org.phrasebook.http.hostile;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.phrasebook.http.hostile.RawRequest.Framing;
import org.phrasebook.http.hostile.RawRequest.Header;

/**
 * Hostile header fields (names, values, sizes, Accept-Language, Origin, Sec-Fetch-Site,
 * X-Request-Id, Content-Type) and body framing, on each kind of request the app serves.
 */
public final class HeaderInputs {

    public enum Kind { LIST, API_LIST, PATH_ADD, FORM_ADD, JSON_ADD }

    public record HeaderInput(Kind kind, RawRequest request, String marker) {
        @Override
        public String toString() {
            return kind + " " + request;
        }

        public boolean adds() {
            return kind == Kind.PATH_ADD || kind == Kind.FORM_ADD || kind == Kind.JSON_ADD;
        }
    }

    /** RFC 9110 tchar: what a field name may be made of. */
    private static final String TCHAR = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String REQUEST_ID_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";

    private HeaderInputs() {
    }

    public static Gen<HeaderInput> requests() {
        return random -> {
            String marker = HostileText.marker();
            Kind kind = Gen.oneOf(Kind.values()).next(random);
            String phrase = "hdr " + marker;
            RawRequest base = switch (kind) {
                case LIST -> RawRequest.get("/");
                case API_LIST -> RawRequest.get("/api/phrases?limit=3");
                case PATH_ADD -> RawRequest.get("/hdr%20" + marker);
                case FORM_ADD -> RawRequest.post("/phrases", FormInputs.FORM,
                        ("text=hdr+" + marker).getBytes(StandardCharsets.ISO_8859_1), Framing.EXACT);
                case JSON_ADD -> RawRequest.post("/api/phrases", "application/json",
                        ("{\"text\":\"" + phrase + "\"}").getBytes(StandardCharsets.ISO_8859_1), Framing.EXACT);
            };
            List<Header> headers = new ArrayList<>(base.headers());
            int count = random.nextInt(5);
            for (int i = 0; i < count; i++) {
                Header header = header(random);
                if (header.name().equalsIgnoreCase("Content-Type") || header.name().equalsIgnoreCase("Origin")
                        || header.name().equalsIgnoreCase("Sec-Fetch-Site") || header.name().equalsIgnoreCase("X-Request-Id")) {
                    headers.removeIf(h -> h.name().equalsIgnoreCase(header.name()));
                }
                headers.add(header);
            }
            RawRequest request = new RawRequest(base.method(), base.target(), List.copyOf(headers), base.body(),
                    base.method().equals("POST") ? framing(random) : Framing.NONE);
            return new HeaderInput(kind, request, marker);
        };
    }

    private static Framing framing(Random random) {
        return Gen.<Framing>choices().or(12, Gen.constant(Framing.EXACT))
                .or(1, Gen.oneOf(Framing.values())).next(random);
    }

    private static Header header(Random random) {
        String own = "http://127.0.0.1:" + HostileHttp.port();
        return Gen.<Header>choices()
                .or(3, r -> new Header("Accept-Language", Gen.oneOf("es", "en", "fr, es;q=0.8", "*", "es;q=abc",
                        "es-" + "x".repeat(100), "\u00FF\u00FE", "", "en;q=0.1, es;q=0.9", "es,".repeat(300),
                        latin1Utf8(HostileText.text("").next(r))).next(r)))
                .or(3, r -> new Header("Origin", Gen.oneOf(own, own.toUpperCase(java.util.Locale.ROOT), "null",
                        "https://evil.example", "http://127.0.0.1:1", own + "/", "", "http://localhost:" + HostileHttp.port(),
                        own + "\u00FF").next(r)))
                .or(3, r -> new Header("Sec-Fetch-Site", Gen.oneOf("same-origin", "none", "cross-site", "same-site",
                        "Same-Origin", "", "same-origin, cross-site").next(r)))
                .or(3, r -> new Header("X-Request-Id", Gen.<String>choices()
                        .or(3, Gen.stringOf(REQUEST_ID_CHARS, 1, 64))
                        .or(1, Gen.stringOf(REQUEST_ID_CHARS, 65, 70))
                        .or(1, Gen.oneOf("", "a b", "\u00C3\u00B1", "../../etc/passwd", "<script>", "id\u00FF", "x;y"))
                        .next(r)))
                .or(2, r -> new Header("Content-Type", r.nextBoolean() ? nonNull(FormInputs.CONTENT_TYPES.next(r))
                        : nonNull(JsonInputs.CONTENT_TYPES.next(r))))
                .or(3, r -> new Header(Gen.stringOf(TCHAR, 1, 20).next(r), latin1Utf8(HostileText.text("").next(r))))
                .or(1, r -> new Header(Gen.oneOf("Bad Name", "X(y)", "X-\u00C3\u00B1", "X\"", "{}").next(r), "x"))
                .or(1, r -> new Header("X-Ctl", Gen.oneOf("a\u0000b", "a\u0001b", "a\u007Fb", "a\rb", "a\r\n b").next(r)))
                .or(1, r -> new Header("X-Long", "v".repeat(Gen.oneOf(7_000, 9_000, 20_000).next(r))))
                .or(1, r -> new Header("Expect", Gen.oneOf("100-continue", "bogus").next(r)))
                .next(random);
    }

    private static String nonNull(String contentType) {
        return contentType == null ? "" : contentType;
    }

    /** A text's UTF-8 bytes, one character per byte, without CR and LF (a new header line is not a value). */
    private static String latin1Utf8(String text) {
        return RawRequest.latin1(HostileText.utf8Loose(text)).replace("\r", "").replace("\n", "");
    }

    public static Expectation expect(HeaderInput input) {
        RawRequest request = input.request();
        List<String> violations = new ArrayList<>();
        for (Header header : request.headers()) {
            if (header.name().isEmpty() || header.name().chars().anyMatch(c -> TCHAR.indexOf(c) < 0)) {
                violations.add("the field name «" + Decoding.show(header.name()) + "» is not a token");
            }
            if (header.value().chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7F)) {
                violations.add("a control character in the value of " + header.name());
            }
        }
        if (!violations.isEmpty()) {
            return Expectation.refused("RFC 9110/9112: " + String.join("; ", violations), 400, 431);
        }
        int size = request.headSize() + request.target().length();
        if (size > 8_400) {
            return Expectation.refused("request head over Jetty's 8 KiB", 431, 414, 400);
        }
        Expectation byKind = switch (input.kind()) {
            case LIST, API_LIST -> Expectation.refused("a list page adds nothing", 200);
            case PATH_ADD -> PathInputs.expect(request.target());
            case FORM_ADD -> FormInputs.expect(request);
            case JSON_ADD -> JsonInputs.expect(request);
        };
        if (size > 7_800) {
            byKind = byKind.orRefused("request head near Jetty's 8 KiB", 431, 414, 400);
        }
        if (MediaType.parse(request.header("Content-Type")).filter(type -> !type.knownCharset()).isPresent()) {
            byKind = byKind.orRefused("a Content-Type naming an unknown charset is a malformed header", 400, 415);
        }
        if (request.headers().stream().anyMatch(h -> h.name().equalsIgnoreCase("Expect")
                && !h.value().strip().equalsIgnoreCase("100-continue"))) {
            byKind = byKind.orRefused("an expectation the server does not meet (RFC 9110 10.1.1)", 417);
        }
        return byKind;
    }
}
