package org.phrasebook.http.hostile;

import java.util.Optional;

/**
 * Recognizes exactly one JSON shape (RFC 8259): an object with the single member
 * {@code "text"} holding a string, with JSON white space around tokens. Anything else
 * (other members, other types, duplicate names, trailing data, malformed JSON) is empty:
 * the API answers all of those with a 400, so they need no finer parsing here.
 */
final class JsonText {

    private final String json;
    private int at;

    private JsonText(String json) {
        this.json = json;
    }

    static Optional<String> textField(String json) {
        JsonText parser = new JsonText(json);
        try {
            parser.skipWhiteSpace();
            parser.expect('{');
            parser.skipWhiteSpace();
            if (!"text".equals(parser.string())) {
                return Optional.empty();
            }
            parser.skipWhiteSpace();
            parser.expect(':');
            parser.skipWhiteSpace();
            String value = parser.string();
            parser.skipWhiteSpace();
            parser.expect('}');
            parser.skipWhiteSpace();
            return parser.at == json.length() ? Optional.of(value) : Optional.empty();
        } catch (NotThisShape e) {
            return Optional.empty();
        }
    }

    private static final class NotThisShape extends Exception {
        NotThisShape() {
            super(null, null, false, false);
        }
    }

    private void skipWhiteSpace() {
        while (at < json.length() && " \t\n\r".indexOf(json.charAt(at)) >= 0) {
            at++;
        }
    }

    private void expect(char c) throws NotThisShape {
        if (at >= json.length() || json.charAt(at) != c) {
            throw new NotThisShape();
        }
        at++;
    }

    /** A JSON string; escapes decode to UTF-16 units, so "\ud83d" alone stays a lone surrogate. */
    private String string() throws NotThisShape {
        expect('"');
        StringBuilder value = new StringBuilder();
        while (true) {
            if (at >= json.length()) {
                throw new NotThisShape();
            }
            char c = json.charAt(at++);
            if (c == '"') {
                return value.toString();
            }
            if (c < 0x20) {
                throw new NotThisShape(); // control characters must be escaped
            }
            if (c != '\\') {
                value.append(c);
                continue;
            }
            if (at >= json.length()) {
                throw new NotThisShape();
            }
            char escape = json.charAt(at++);
            switch (escape) {
                case '"', '\\', '/' -> value.append(escape);
                case 'b' -> value.append('\b');
                case 'f' -> value.append('\f');
                case 'n' -> value.append('\n');
                case 'r' -> value.append('\r');
                case 't' -> value.append('\t');
                case 'u' -> {
                    if (at + 4 > json.length()) {
                        throw new NotThisShape();
                    }
                    int unit = 0;
                    for (int k = 0; k < 4; k++) {
                        int digit = Decoding.hex(json.charAt(at++));
                        if (digit < 0) {
                            throw new NotThisShape();
                        }
                        unit = unit * 16 + digit;
                    }
                    value.append((char) unit);
                }
                default -> throw new NotThisShape();
            }
        }
    }
}
