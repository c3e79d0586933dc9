package org.phrasebook.http.hostile;

import java.math.BigInteger;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Query strings on {@code /} and {@code /api/phrases}: {@code before}, {@code limit},
 * {@code added}, {@code lang}, {@code q}, unknown and repeated keys, broken encodings.
 */
public final class QueryInputs {

    public record QueryInput(String target) {
        @Override
        public String toString() {
            return "GET " + Decoding.show(target.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        }

        public boolean api() {
            return target.startsWith("/api/");
        }
    }

    static final List<String> NUMBERS = List.of("1", "2", "42", "50", "100", "101", "0", "-1", "-0", "007", "%2B5", "+5",
            "9223372036854775807", "9223372036854775808", "2147483648", "", "1e3", "0x10", "1.0", "abc", "%20" + "5",
            "5%20", "%D9%A3", "%EF%BC%95", "%00", "5%00", "%E2%80%8B5");
    static final List<String> BROKEN = List.of("%", "%Z1", "%2", "%FF", "%C0%AF", "%ED%A0%80", "%E0%80%80");
    static final List<String> KEYS = List.of("before", "limit", "added", "lang", "q", "x", "BEFORE", "before%00",
            "be%66ore", "", "%FF", "lang");

    private QueryInputs() {
    }

    public static Gen<QueryInput> queries() {
        return random -> {
            String route = random.nextBoolean() ? "/" : "/api/phrases";
            int count = random.nextInt(5);
            List<String> pairs = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String key = Gen.<String>choices().or(6, Gen.oneOf("before", "limit", "added", "lang"))
                        .or(1, Gen.oneOf(KEYS)).next(random);
                String value = Gen.<String>choices()
                        .or(6, Gen.oneOf(NUMBERS))
                        .or(2, Gen.oneOf("es", "en", "ES", " es", "fr", "es-ES", "%65s"))
                        .or(2, r -> HostileText.percentEncode(HostileText.text(HostileText.marker()).next(r), r, true))
                        .or(1, Gen.oneOf(BROKEN))
                        .next(random);
                pairs.add(random.nextInt(12) == 0 ? key : key + "=" + value);
            }
            String separator = random.nextInt(10) == 0 ? "&&" : "&";
            String query = String.join(separator, pairs);
            if (random.nextInt(15) == 0) {
                int at = random.nextInt(query.length() + 1);
                query = query.substring(0, at) + Gen.oneOf(" ", "#", "\"", "\u00FF", ";", "?", "/").next(random)
                        + query.substring(at);
            }
            return new QueryInput(route + (count == 0 && random.nextBoolean() ? "" : "?" + query));
        };
    }

    /** 200 or 400 (never an add) by the contract's rules for the list parameters. */
    public static Expectation expect(QueryInput input) {
        String target = input.target();
        int mark = target.indexOf('?');
        String query = mark < 0 ? "" : target.substring(mark + 1);
        Expectation app = appExpectation(query, input.api());
        if (query.chars().anyMatch(c -> c >= 0x80)) {
            // Raw bytes beyond ASCII are no URI; Jetty may refuse them, or decode them (as
            // U+FFFD here at worst) and then the parameters decide.
            app = app.or(appExpectation(query.replaceAll("[\u0080-\u00FF]", "%EF%BF%BD"), input.api()));
        }
        Optional<Expectation> transport = PathInputs.transportRefusal(target);
        Expectation expected = transport.map(app::or).orElse(app);
        return PathInputs.readAsSeparator(target).map(trimmed -> expected.or(expect(new QueryInput(trimmed))))
                .orElse(expected);
    }

    private static Expectation appExpectation(String query, boolean api) {
        if (query.indexOf('#') >= 0) {
            return Expectation.refused("a request-target has no fragment", 400);
        }
        Map<String, String> first = new HashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            Optional<String> name = Decoding.percentDecodeUtf8(equals < 0 ? pair : pair.substring(0, equals), true);
            Optional<String> value = Decoding.percentDecodeUtf8(equals < 0 ? "" : pair.substring(equals + 1), true);
            if (name.isEmpty() || value.isEmpty()) {
                return Expectation.refused("the query is not percent-encoded UTF-8", 400);
            }
            first.putIfAbsent(name.get(), value.get());
        }
        if (first.containsKey("before") && !isWholeNumberIn(first.get("before"), BigInteger.ONE,
                BigInteger.valueOf(Long.MAX_VALUE))) {
            return Expectation.refused("before=" + first.get("before") + " is not a positive id", 400);
        }
        if (api && first.containsKey("limit") && !isWholeNumberIn(first.get("limit"), BigInteger.ONE,
                BigInteger.valueOf(100))) {
            return Expectation.refused("limit=" + first.get("limit") + " is not 1 to 100", 400);
        }
        if (!api && first.containsKey("added") && !isWholeNumberIn(first.get("added"), BigInteger.ONE,
                BigInteger.valueOf(Long.MAX_VALUE))) {
            return Expectation.refused("added=" + first.get("added") + " is not a positive id", 400);
        }
        if (first.containsKey("q")) {
            Optional<String> broken = searchBroken(first.get("q"));
            if (broken.isPresent()) {
                return Expectation.refused("q " + broken.get(), 400);
            }
        }
        return Expectation.refused("a valid list request: 200 and nothing added", 200);
    }

    /**
     * PRODUCT.md section 9: the query is read like a phrase (trimmed, NFC); blank is the plain
     * list; then no control characters or lone surrogates, and at most 100 code points.
     */
    private static Optional<String> searchBroken(String raw) {
        String text = Normalizer.normalize(PhraseRules.trimWhiteSpace(raw), Normalizer.Form.NFC);
        if (text.codePoints().allMatch(PhraseRules::isInvisible)) {
            return Optional.empty();
        }
        if (text.codePoints().anyMatch(PhraseRules::isControl)) {
            return Optional.of("has a control character");
        }
        if (PhraseRules.hasLoneSurrogate(text)) {
            return Optional.of("has a lone surrogate");
        }
        if (text.codePointCount(0, text.length()) > 100) {
            return Optional.of("is longer than 100 code points");
        }
        return Optional.empty();
    }

    /** ASCII decimal digits with an optional sign, as ids and limits are written; no other digits. */
    static boolean isWholeNumberIn(String value, BigInteger min, BigInteger max) {
        if (!value.matches("[+-]?[0-9]+")) {
            return false;
        }
        BigInteger number = new BigInteger(value);
        return number.compareTo(min) >= 0 && number.compareTo(max) <= 0;
    }
}
