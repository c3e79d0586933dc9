package org.phrasebook.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP/1.1 over a plain socket: sends exactly the bytes it is given (java.net.URI and
 * HttpClient refuse most hostile requests before they leave), then reads one answer until
 * the server closes the connection. Requests should carry {@code Connection: close}.
 */
public final class RawHttp {

    /** Longest wait for a whole answer: a server that takes longer is hanging. */
    public static final int TIMEOUT_MS = 10_000;

    private final int port;

    public RawHttp(int port) {
        this.port = port;
    }

    public static RawHttp of(Http http) {
        return new RawHttp(Integer.parseInt(http.origin().replaceAll(".*:", "")));
    }

    public int port() {
        return port;
    }

    /** What the server answered; interim 1xx answers are skipped. */
    public record Answer(int status, Map<String, List<String>> headers, byte[] body) {

        public Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            String text = bodyText();
            return status + " " + headers + " " + (text.length() > 300 ? text.substring(0, 300) + "…" : text);
        }
    }

    /** Thrown when the server neither answers nor closes within {@link #TIMEOUT_MS}. */
    public static final class NoAnswer extends IOException {
        NoAnswer(String message) {
            super(message);
        }
    }

    /**
     * Sends {@code request}; with {@code endOutput} the client then half-closes, as a client
     * that promised more body than it sent and gave up. Empty when the server closed the
     * connection without a word.
     */
    public Optional<Answer> exchange(byte[] request, boolean endOutput) throws IOException {
        long deadline = System.nanoTime() + TIMEOUT_MS * 1_000_000L;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
                if (endOutput) {
                    socket.shutdownOutput();
                }
            } catch (IOException closedEarly) {
                // The server may answer (413, 431...) and close before reading everything.
            }
            byte[] raw = readUntilClosed(socket.getInputStream(), deadline);
            return raw.length == 0 ? Optional.empty() : Optional.of(parseSkippingInterim(raw));
        }
    }

    private static byte[] readUntilClosed(InputStream in, long deadline) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                all.write(buffer, 0, n);
                if (System.nanoTime() > deadline) {
                    throw new NoAnswer("the answer took more than " + TIMEOUT_MS + " ms: " + preview(all));
                }
            }
        } catch (SocketTimeoutException e) {
            throw new NoAnswer("no answer and no close within " + TIMEOUT_MS + " ms; got " + preview(all));
        } catch (java.net.SocketException reset) {
            // A reset after the answer (the server closed with unread input) loses nothing we need.
            if (all.size() == 0) {
                throw reset;
            }
        }
        return all.toByteArray();
    }

    private static String preview(ByteArrayOutputStream bytes) {
        String text = bytes.toString(StandardCharsets.ISO_8859_1);
        return "«" + (text.length() > 200 ? text.substring(0, 200) : text) + "»";
    }

    private static Answer parseSkippingInterim(byte[] raw) throws IOException {
        int start = 0;
        while (true) {
            int headEnd = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), start);
            if (headEnd < 0) {
                throw new IOException("answer without a complete head: " + new String(raw, StandardCharsets.ISO_8859_1));
            }
            String head = new String(raw, start, headEnd - start, StandardCharsets.ISO_8859_1);
            String[] lines = head.split("\r\n");
            String[] statusLine = lines[0].split(" ", 3);
            if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP answer: " + lines[0]);
            }
            int status = Integer.parseInt(statusLine[1]);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(lines[i].substring(colon + 1).trim());
            }
            int bodyStart = headEnd + 4;
            if (status >= 100 && status < 200) {
                start = bodyStart;
                continue;
            }
            byte[] rest = java.util.Arrays.copyOfRange(raw, bodyStart, raw.length);
            List<String> encoding = headers.getOrDefault("transfer-encoding", List.of());
            List<String> length = headers.getOrDefault("content-length", List.of());
            byte[] body = encoding.stream().anyMatch(e -> e.equalsIgnoreCase("chunked")) ? dechunk(rest)
                    : !length.isEmpty() ? java.util.Arrays.copyOf(rest, Math.min(rest.length, Integer.parseInt(length.get(0))))
                    : rest;
            return new Answer(status, headers, body);
        }
    }

    private static byte[] dechunk(byte[] chunked) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int at = 0;
        while (true) {
            int lineEnd = indexOf(chunked, new byte[] {'\r', '\n'}, at);
            if (lineEnd < 0) {
                throw new IOException("truncated chunked body");
            }
            String sizeLine = new String(chunked, at, lineEnd - at, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int size = Integer.parseInt(sizeLine, 16);
            if (size == 0) {
                return body.toByteArray();
            }
            body.write(chunked, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
