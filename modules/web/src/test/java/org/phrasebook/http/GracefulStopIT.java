package org.phrasebook.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.phrasebook.Application;
import org.phrasebook.support.TestDatabase;
import org.phrasebook.support.TestServer;

/** A stop (what SIGTERM triggers) lets a request in flight finish, and its phrase is committed. */
class GracefulStopIT {

    @Test
    void aRequestInFlightFinishesDuringTheStop() throws Exception {
        Application app = TestServer.start(TestDatabase.get().environment());
        String body = "{\"text\": \"sent while stopping\"}";
        try (Socket socket = new Socket("127.0.0.1", app.port())) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/phrases HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body.substring(0, 10).getBytes(StandardCharsets.UTF_8));
            out.flush();
            Thread.sleep(300); // the request is now being handled, waiting for the rest of its body

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(app::close);
            Thread.sleep(500);
            assertThat(stopping).as("the stop waits for the request in flight").isNotDone();

            out.write(body.substring(10).getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 201").contains("\"sent while stopping\"");

            stopping.get(15, TimeUnit.SECONDS);
        } finally {
            app.close();
        }
        assertThat(TestDatabase.get().phraseTexts()).contains("sent while stopping");
    }
}
