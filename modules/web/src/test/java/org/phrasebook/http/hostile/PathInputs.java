package org.phrasebook.http.hostile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * {@code GET /<phrase>}: hostile paths and what the contract says each one does.
 * The oracle reads only the raw target, never how it was generated.
 */
public final class PathInputs {

    /** A path to send, with the marker its text carries (null when it has none). */
    public record PathInput(String target, String marker) {
        @Override
        public String toString() {
            return "GET " + Decoding.show(target.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)) ;
        }
    }

    /** First segments that are never phrases (PRODUCT.md section 2), in any letter case. */
    static final Set<String> RESERVED = Set.of("favicon.ico", "robots.txt", "static", "api", "phrases", "healthz",
            "readyz", "metrics");

    /** Characters RFC 3986 allows raw in a path besides unreserved ones and "%": sub-delims, ":", "@", "/". */
    private static final String PATH_SAFE = "!$&'()*+,;=:@/";

    static final List<String> BROKEN_ESCAPES = List.of("%", "%Z1", "%2", "%%", "%C0%AF", "%E0%80%80", "%ED%A0%80",
            "%F0%80%80%80", "%F4%90%80%80", "%FF", "%C3", "%u0041", "%C3%28");
    static final List<String> ENCODED_SPECIALS = List.of("%25", "%5C", "%5c", "%2F", "%2f", "%2E", "%2e", ".", "..",
            "%2E%2E", ".%2E", "%3B", "%3F", "%23", "%00", "%09", "%0A", "%0D", "%7F", "%C2%85", "%C2%A0", "%E3%80%80",
            "%E2%80%8B", "%EF%BB%BF");
    static final List<String> RAW_RESERVED = List.of(";", ":", "@", "!", "$", "&", "'", "(", ")", "*", "+", ",", "=",
            "[", "]");
    /** Bytes that may not appear raw in a path (RFC 9112 / RFC 3986), incl. raw UTF-8 and 0xFF. */
    static final List<String> RAW_UNSAFE = List.of(" ", "\"", "<", ">", "\\", "^", "`", "{", "|", "}", "#", "\u007F",
            "\u00C3\u00B1", "\u00FF", "\t");
    static final List<String> RESERVED_LOOKALIKES = List.of("favicon.ico", "robots.txt", "static", "api", "phrases",
            "healthz", "readyz", "metrics", "HEALTHZ", "Api", "prueba", "PRUEBA", "Prueba", "pru%65ba", "%50rueba",
            "%66avicon.ico", "api%2Fphrases", "static%2Fstyle.css", "phrases%2Fx", "%20prueba");

    private PathInputs() {
    }

    public static Gen<PathInput> paths() {
        return random -> {
            String marker = HostileText.marker();
            String text = HostileText.text(marker).next(random);
            String segment = Gen.<String>choices()
                    .or(12, r -> mutate(HostileText.percentEncode(text, r, false), r))
                    .or(2, Gen.oneOf(RESERVED_LOOKALIKES))
                    .or(1, r -> randomBytesEncoded(r))
                    .next(random);
            String target = "/" + segment;
            int shape = random.nextInt(20);
            if (shape == 0) {
                target += "/" + Gen.oneOf("x", "", "..", ".", "%2E", marker).next(random);
            } else if (shape == 1) {
                target += "/";
            } else if (shape == 2) {
                target = "/" + Gen.oneOf("", "a", "x%20y").next(random) + target;
            } else if (shape == 3) {
                target = "/"; // the list page
            }
            return new PathInput(target, marker);
        };
    }

    /** Inserts up to two broken escapes, encoded specials or raw characters at random places. */
    private static String mutate(String encoded, Random random) {
        String result = encoded;
        int mutations = random.nextInt(4) == 0 ? 1 + random.nextInt(2) : 0;
        for (int i = 0; i < mutations; i++) {
            String insert = Gen.<String>choices()
                    .or(3, Gen.oneOf(BROKEN_ESCAPES))
                    .or(4, Gen.oneOf(ENCODED_SPECIALS))
                    .or(2, Gen.oneOf(RAW_RESERVED))
                    .or(2, Gen.oneOf(RAW_UNSAFE))
                    .next(random);
            int at = escapeBoundary(result, random.nextInt(result.length() + 1));
            result = result.substring(0, at) + insert + result.substring(at);
        }
        return result;
    }

    /** A position that does not split an existing %XX escape. */
    private static int escapeBoundary(String encoded, int at) {
        for (int back = 1; back <= 2 && at - back >= 0; back++) {
            if (encoded.charAt(at - back) == '%') {
                return at - back;
            }
        }
        return at;
    }

    private static String randomBytesEncoded(Random random) {
        StringBuilder encoded = new StringBuilder();
        int count = 1 + random.nextInt(6);
        for (int i = 0; i < count; i++) {
            encoded.append(String.format("%%%02X", random.nextInt(256)));
        }
        return encoded.toString();
    }

    /** What the contract says {@code GET target} does. */
    public static Expectation expect(String target) {
        Optional<Expectation> transport = transportRefusal(target);
        String path = target;
        int query = target.indexOf('?');
        if (query >= 0) {
            path = target.substring(0, query);
        }
        String rest = path.substring(1);
        Expectation app = appExpectation(rest);
        Expectation expected = transport.map(app::or).orElse(app);
        return readAsSeparator(target).map(trimmed -> expected.or(expect(trimmed))).orElse(expected);
    }

    /**
     * RFC 9112 section 3 lets a server split the request line on any run of spaces and tabs:
     * raw ones at the end of the target are then read as the separator before the version,
     * and the request is the target without them.
     */
    static Optional<String> readAsSeparator(String target) {
        String trimmed = target.replaceFirst("[ \t]+$", "");
        return trimmed.equals(target) ? Optional.empty() : Optional.of(trimmed);
    }

    private static Expectation appExpectation(String rest) {
        if (rest.isEmpty()) {
            return Expectation.refused("the list page adds nothing", 200);
        }
        if (rest.indexOf('#') >= 0) {
            return Expectation.refused("a request-target has no fragment (RFC 9112 section 3.2)", 400);
        }
        if (rest.indexOf('/') >= 0) {
            return Expectation.refused("a second path segment is a 404, as in the demo", 404);
        }
        if (RESERVED.contains(asciiLower(rest))) {
            return Expectation.refused("a reserved path is never a phrase", 200, 404, 405);
        }
        Optional<String> decoded = Decoding.percentDecodeUtf8(rest, false);
        if (decoded.isEmpty()) {
            return Expectation.refused("not percent-encoded UTF-8", 400);
        }
        String segment = decoded.get();
        if (RESERVED.contains(asciiLower(segment))) {
            return Expectation.refused("a percent-encoded reserved path is still reserved", 404, 200, 405);
        }
        Expectation byRules = segment.equalsIgnoreCase("prueba")
                ? Expectation.adds("Funciona!", "/prueba in any letter case adds Funciona!")
                : Expectation.ofVerdict(PhraseRules.judge(segment), "path segment «" + Decoding.show(segment) + "»");
        int slash = segment.indexOf('/');
        if (slash >= 0 && RESERVED.contains(asciiLower(segment.substring(0, slash)))) {
            // "/api%2Fphrases": an encoded slash is data in a phrase, but Jetty routes on the
            // decoded path, so this reaches the reserved servlet. The contract does not say which.
            byRules = byRules.orRefused("routed on the decoded path to the reserved «"
                    + segment.substring(0, slash) + "»", 200, 400, 404, 405);
        }
        return byRules;
    }

    /**
     * Requests the server may refuse before the app sees them, for transport reasons
     * (Jetty's URI compliance, RFC 9112): a 400 that stores nothing is then also right.
     */
    static Optional<Expectation> transportRefusal(String target) {
        List<String> why = new ArrayList<>();
        String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
        for (char c : target.toCharArray()) {
            if (c <= 0x20 || c >= 0x7F || "\"<>\\^`{|}#[]".indexOf(c) >= 0) {
                why.add("a raw " + Decoding.show(String.valueOf(c)) + " is not allowed in a request-target");
                break;
            }
        }
        for (String segment : path.substring(1).split("/", -1)) {
            String lower = segment.toLowerCase(Locale.ROOT);
            String dots = lower.replace("%2e", ".");
            if (dots.equals(".") || dots.equals("..")) {
                why.add("a dot segment («" + segment + "») is refused by Jetty's URI compliance");
            }
            if (lower.matches(".*%(0[0-9a-f]|1[0-9a-f]|7f).*")) {
                why.add("an encoded control character in a path is refused by Jetty's URI compliance");
            }
            if (segment.indexOf(';') >= 0) {
                why.add("a path parameter («;») may be refused by Jetty's URI compliance");
            }
        }
        if (path.contains("//") || (path.length() > 1 && path.endsWith("/"))) {
            why.add("an empty path segment is ambiguous for Jetty's URI compliance");
        }
        if (path.toLowerCase(Locale.ROOT).contains("%2f")) {
            why.add("an encoded slash gives Jetty an ambiguous decoded path");
        }
        if (Decoding.percentDecodeUtf8(path, false).isEmpty()) {
            why.add("Jetty itself may refuse a path that is not percent-encoded UTF-8");
        }
        Expectation refusal = why.isEmpty() ? null : Expectation.refused(String.join("; ", why), 400);
        if (target.length() > 7_900) {
            // After a raw space Jetty reads the rest of the line as the protocol version, so
            // its 8 KiB run out past the URI: a 431 then, not a 414.
            Expectation tooLong = target.indexOf(' ') >= 0
                    ? Expectation.refused("a request line longer than Jetty's 8 KiB, split by a raw space, is a 414 or 431", 414, 431)
                    : Expectation.refused("a request line longer than Jetty's 8 KiB is a 414", 414);
            refusal = refusal == null ? tooLong : refusal.or(tooLong);
        }
        return Optional.ofNullable(refusal);
    }

    static String asciiLower(String text) {
        StringBuilder lower = new StringBuilder(text.length());
        text.chars().forEach(c -> lower.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : (char) c));
        return lower.toString();
    }
}
