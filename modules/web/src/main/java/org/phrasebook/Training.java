package org.phrasebook;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The workload the build trains the JVM's class cache on (an AOT cache on JDK 25+, AppCDS
 * before; see modules/web/pom.xml): the app started as {@code java -jar} starts it, on its
 * embedded PostgreSQL in a throwaway directory, then every kind of request a visitor or a
 * client makes, a few hundred times each, then a graceful stop. The cache then holds the
 * classes of start-up and of every path, loaded and linked, so the next start and its first
 * requests skip that work (not the method profiles: see {@code aot.record.flags} in the
 * pom). Run by the build, not by users.
 */
public final class Training {

    private static final int ROUNDS = 300;

    private Training() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("phrasebook-training");
        try (Application app = Application.start(Config.fromEnvironment(Map.of(
                "HOST", "127.0.0.1", "PORT", "0", "ADMIN_PORT", Integer.toString(freePort()),
                "PHRASEBOOK_DATA_DIR", dir.resolve("data").toString())))) {
            HttpClient client = HttpClient.newHttpClient();
            exercise(client, "http://127.0.0.1:" + app.port());
            send(client, get("http://127.0.0.1:" + app.adminPort().orElseThrow(), "/metrics"));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }

    private static void exercise(HttpClient client, String origin) throws IOException, InterruptedException {
        for (int i = 0; i < ROUNDS; i++) {
            send(client, get(origin, "/training%20" + i));
            send(client, get(origin, "/Prueba"));
            send(client, HttpRequest.newBuilder(URI.create(origin + "/phrases"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("text=form+" + i)));
            send(client, HttpRequest.newBuilder(URI.create(origin + "/api/phrases"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"text\": \"api " + i + "\"}")));
            for (String path : new String[] {"/", "/?lang=es", "/?before=" + (i + 2), "/?added=" + (i + 1),
                    "/api/phrases", "/api/phrases?limit=5&before=" + (i + 2), "/api/phrases/" + (i + 1),
                    "/healthz", "/readyz", "/static/style.css", "/robots.txt",
                    "/a/b", "/%20", "/?before=x", "/api/phrases/0", "/?q=training", "/api/phrases?q=api+1"}) {
                send(client, get(origin, path));
            }
        }
    }

    /** The admin listener's default port may be taken on a build machine. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static HttpRequest.Builder get(String origin, String path) {
        return HttpRequest.newBuilder(URI.create(origin + path)).GET();
    }

    private static void send(HttpClient client, HttpRequest.Builder request) throws IOException, InterruptedException {
        int status = client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status >= 500) {
            throw new IllegalStateException("Training request " + request.build().uri() + " answered " + status);
        }
    }
}
