package org.phrasebook.support;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A plain HTTP client for one server, following no redirects, so tests see every answer. */
public final class Http {

    private final HttpClient client = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final int port;

    public Http(int port) {
        this.port = port;
    }

    public int port() {
        return port;
    }

    public String origin() {
        return "http://127.0.0.1:" + port;
    }

    /** {@code path} is sent as is (already percent-encoded). */
    public HttpResponse<String> get(String path, String... headers) {
        return send(request(path, headers).GET());
    }

    public HttpResponse<String> head(String path) {
        return send(request(path).method("HEAD", HttpRequest.BodyPublishers.noBody()));
    }

    /** A same-origin form post of {@code text}, as a browser sends it. */
    public HttpResponse<String> postForm(String text, String... headers) {
        return postRawForm("text=" + URLEncoder.encode(text, StandardCharsets.UTF_8), headers);
    }

    public HttpResponse<String> postRawForm(String body, String... headers) {
        return send(request("/phrases", headers)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public HttpResponse<String> postJson(String path, String json, String contentType) {
        return send(request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public HttpResponse<String> postJson(String json) {
        return postJson("/api/phrases", json, "application/json");
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("Request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(origin() + path));
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return builder;
    }

    /** The id in a {@code Location: /?added=<id>} or {@code /api/phrases/<id>} header. */
    public static long addedId(HttpResponse<?> response) {
        String location = response.headers().firstValue("Location").orElseThrow(
                () -> new AssertionError("No Location header; status " + response.statusCode() + ", body " + response.body()));
        return Long.parseLong(location.replaceAll("^.*[=/](\\d+)(&.*)?$", "$1"));
    }
}
