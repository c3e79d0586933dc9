package org.phrasebook.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * An API add whose body is only half sent: the server is inside the request, reading, until
 * {@link #finish()} sends the rest. A request that is surely in flight when a fault begins.
 */
final class HalfSentAdd implements AutoCloseable {

    private final Socket socket;
    private final byte[] rest;

    private HalfSentAdd(Socket socket, byte[] rest) {
        this.socket = socket;
        this.rest = rest;
    }

    static HalfSentAdd begin(int port, String text) throws IOException {
        byte[] body = ("{\"text\": \"" + text + "\"}").getBytes(StandardCharsets.UTF_8);
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(ClientConnection.TIMEOUT_MS);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /api/phrases HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        int half = body.length / 2;
        out.write(body, 0, half);
        out.flush();
        AddLoad.sleep(java.time.Duration.ofMillis(200)); // the server is now reading the body
        byte[] rest = new byte[body.length - half];
        System.arraycopy(body, half, rest, 0, rest.length);
        return new HalfSentAdd(socket, rest);
    }

    /** Sends the rest of the body and returns the whole answer as text. */
    String finish() throws IOException {
        socket.getOutputStream().write(rest);
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
