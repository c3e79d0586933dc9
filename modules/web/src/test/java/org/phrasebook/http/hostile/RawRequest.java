package org.phrasebook.http.hostile;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One hostile HTTP/1.1 request, kept as parts so the oracles can read what was sent.
 * Target and header values are strings of characters up to U+00FF, one per byte on the
 * wire (so raw UTF-8 or invalid bytes can be sent on purpose).
 */
public record RawRequest(String method, String target, List<Header> headers, byte[] body, Framing framing) {

    public record Header(String name, String value) {
    }

    /** How the body is delimited, honestly or not. */
    public enum Framing {
        /** {@code Content-Length} of the body. */
        EXACT,
        /** {@code Transfer-Encoding: chunked}, in a few chunks. */
        CHUNKED,
        /** {@code Content-Length} a few bytes short: the rest is not part of the request. */
        SHORT,
        /** {@code Content-Length} longer than what is sent, then the client stops sending. */
        LONG,
        /** Neither header: a request without a body. */
        NONE,
        /** Two {@code Content-Length} fields that disagree (RFC 9112 section 6.3: a 400). */
        CONFLICTING_LENGTHS,
        /** A {@code Content-Length} that is not a number. */
        GARBAGE_LENGTH,
        /** Both {@code Transfer-Encoding: chunked} and {@code Content-Length}. */
        CHUNKED_AND_LENGTH;

        static final int SHORT_BY = 3;
    }

    public static RawRequest get(String target, Header... headers) {
        return new RawRequest("GET", target, List.of(headers), new byte[0], Framing.NONE);
    }

    public static RawRequest post(String target, String contentType, byte[] body, Framing framing, Header... headers) {
        List<Header> all = new ArrayList<>(Arrays.asList(headers));
        if (contentType != null) {
            all.add(0, new Header("Content-Type", contentType));
        }
        return new RawRequest("POST", target, List.copyOf(all), body, framing);
    }

    public RawRequest withHeaders(List<Header> more) {
        List<Header> all = new ArrayList<>(headers);
        all.addAll(more);
        return new RawRequest(method, target, List.copyOf(all), body, framing);
    }

    public RawRequest withFraming(Framing other) {
        return new RawRequest(method, target, headers, body, other);
    }

    /** The first value of a header, as the server's {@code getHeader} sees it (trimmed). */
    public Optional<String> header(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(h -> h.value().strip()).findFirst();
    }

    /** The body the server reads, given the framing; empty for a request it must refuse. */
    public byte[] bodyAsRead() {
        return switch (framing) {
            case EXACT, CHUNKED, CHUNKED_AND_LENGTH -> body;
            case SHORT -> Arrays.copyOf(body, Math.max(0, body.length - Framing.SHORT_BY));
            case NONE, LONG, CONFLICTING_LENGTHS, GARBAGE_LENGTH -> new byte[0];
        };
    }

    /** Whether the client half-closes after sending: it promised more than it sent. */
    public boolean endsOutputEarly() {
        return framing == Framing.LONG;
    }

    public byte[] bytes(int port) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        head.append("Host: 127.0.0.1:").append(port).append("\r\n");
        for (Header header : headers) {
            head.append(header.name()).append(": ").append(header.value()).append("\r\n");
        }
        head.append("Connection: close\r\n");
        boolean hasBody = !method.equals("GET") || body.length > 0;
        if (hasBody) {
            switch (framing) {
                case EXACT -> head.append("Content-Length: ").append(body.length).append("\r\n");
                case SHORT -> head.append("Content-Length: ").append(Math.max(0, body.length - Framing.SHORT_BY)).append("\r\n");
                case LONG -> head.append("Content-Length: ").append(body.length + 10).append("\r\n");
                case CHUNKED -> head.append("Transfer-Encoding: chunked\r\n");
                case CONFLICTING_LENGTHS -> head.append("Content-Length: ").append(body.length)
                        .append("\r\nContent-Length: ").append(body.length + 1).append("\r\n");
                case GARBAGE_LENGTH -> head.append("Content-Length: ").append(body.length).append("x\r\n");
                case CHUNKED_AND_LENGTH -> head.append("Transfer-Encoding: chunked\r\nContent-Length: ")
                        .append(body.length).append("\r\n");
                case NONE -> { }
            }
        }
        head.append("\r\n");
        out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (hasBody) {
            if (framing == Framing.CHUNKED || framing == Framing.CHUNKED_AND_LENGTH) {
                int chunk = Math.max(1, body.length / 3 + 1);
                for (int at = 0; at < body.length; at += chunk) {
                    int size = Math.min(chunk, body.length - at);
                    out.writeBytes((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(body, at, size);
                    out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            } else {
                out.writeBytes(body);
            }
        }
        return out.toByteArray();
    }

    /** Size of the request line and header fields, which Jetty bounds at 8 KiB. */
    public int headSize() {
        int size = method.length() + target.length() + 40;
        for (Header header : headers) {
            size += header.name().length() + header.value().length() + 4;
        }
        return size;
    }

    /** The exact bytes, escaped; {@code -Dhostile.shown=<n>} shows more than 1500 characters. */
    @Override
    public String toString() {
        String shown = (framing == Framing.LONG ? "[then the client half-closes] " : "")
                + Decoding.show(bytes(0)).replace("127.0.0.1:0", "127.0.0.1:<port>");
        return shown.length() > Integer.getInteger("hostile.shown", 1500) ? shown.substring(0, Integer.getInteger("hostile.shown", 1500)) + "…(" + shown.length() + " chars)" : shown;
    }

    static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }
}
