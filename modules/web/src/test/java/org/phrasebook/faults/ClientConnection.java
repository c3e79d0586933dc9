package org.phrasebook.faults;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 connection over a plain socket, so a fault test sees exactly what happened to
 * a request: refused, reset, closed before any answer, or timed out (which a general-purpose
 * client may hide by retrying on a fresh connection).
 */
final class ClientConnection implements AutoCloseable {

    /** Longest wait for a connect or for any byte of an answer: a hang is a failure, not a wait. */
    static final int TIMEOUT_MS = 10_000;

    /** The server closed the connection before sending a single byte of an answer. */
    static final class NoAnswerException extends EOFException {
        NoAnswerException() {
            super("connection closed without an answer");
        }
    }

    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        boolean closesConnection() {
            return "close".equalsIgnoreCase(header("Connection"));
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private ClientConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static ClientConnection open(int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            return new ClientConnection(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends one complete request and reads its whole answer. */
    Response exchange(String head, byte[] body) throws IOException {
        out.write(head.getBytes(StandardCharsets.UTF_8));
        out.write(body);
        out.flush();
        return read();
    }

    private Response read() throws IOException {
        String statusLine = line(true);
        int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
        Map<String, String> headers = new HashMap<>();
        for (String line = line(false); !line.isEmpty(); line = line(false)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        byte[] body;
        if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = chunked();
        } else {
            body = in.readAllBytes();
        }
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private byte[] chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int size = Integer.parseInt(line(false).split(";")[0].trim(), 16); size > 0;
                size = Integer.parseInt(line(false).split(";")[0].trim(), 16)) {
            body.write(in.readNBytes(size));
            line(false);
        }
        while (!line(false).isEmpty()) {
            // trailers, none expected
        }
        return body.toByteArray();
    }

    private String line(boolean first) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                if (first && line.size() == 0) {
                    throw new NoAnswerException();
                }
                throw new EOFException("connection closed in the middle of an answer");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to do with it
        }
    }
}
