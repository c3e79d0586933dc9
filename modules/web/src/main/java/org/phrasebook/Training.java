package org.phrasebook;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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
            exercise("http://127.0.0.1:" + app.port());
            send("http://127.0.0.1:" + app.adminPort().orElseThrow() + "/metrics", null, null);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }

    private static void exercise(String origin) throws IOException {
        for (int i = 0; i < ROUNDS; i++) {
            send(origin + "/training%20" + i, null, null);
            send(origin + "/Prueba", null, null);
            send(origin + "/phrases", "application/x-www-form-urlencoded", "text=form+" + i);
            send(origin + "/api/phrases", "application/json", "{\"text\": \"api " + i + "\"}");
            for (String path : new String[] {"/", "/?lang=es", "/?before=" + (i + 2), "/?added=" + (i + 1),
                    "/api/phrases", "/api/phrases?limit=5&before=" + (i + 2), "/api/phrases/" + (i + 1),
                    "/healthz", "/readyz", "/static/style.css", "/robots.txt",
                    "/a/b", "/%20", "/?before=x", "/api/phrases/0", "/?q=training", "/api/phrases?q=api+1"}) {
                send(origin + path, null, null);
            }
        }
    }

    /** The admin listener's default port may be taken on a build machine. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * A GET, or a POST of {@code body}. Through {@link HttpURLConnection} rather than
     * {@code java.net.http.HttpClient}, whose TLS and HTTP/2 classes (some 550 the app never
     * loads) would otherwise fill the cache.
     */
    private static void send(String url, String contentType, String body) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
        connection.setInstanceFollowRedirects(false);
        if (body != null) {
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", contentType);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body.getBytes(StandardCharsets.UTF_8));
            }
        }
        int status = connection.getResponseCode();
        try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            if (in != null) {
                in.transferTo(OutputStream.nullOutputStream());
            }
        }
        if (status >= 500) {
            throw new IllegalStateException("Training request " + url + " answered " + status);
        }
    }
}
