package org.phrasebook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phrasebook.support.Http;
import org.phrasebook.support.JarProcess;

/** {@code LOG_FORMAT=json}: every line the running jar writes is one JSON object, access lines too. */
class JsonLogIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path workDir;

    @Test
    void everyLineIsOneJsonObject() throws IOException {
        String output;
        try (JarProcess jar = JarProcess.start(workDir, "json.log", Map.of("LOG_FORMAT", "json"))) {
            Http http = jar.awaitReady(Duration.ofSeconds(90));
            assertThat(http.get("/Hola", "X-Request-Id", "json-test-1").statusCode()).isEqualTo(303);
            assertThat(http.get("/%FF").statusCode()).isEqualTo(400);
            jar.process().destroy();
            jar.awaitExit(Duration.ofSeconds(30));
            output = jar.output();
        }

        List<JsonNode> lines = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("{")) {
                lines.add(JSON.readTree(line));
                continue;
            }
            // The embedded PostgreSQL's own start-up lines come from another process.
            assertThat(line).as("a line not written by Phrasebook's logging").doesNotContain(" INFO ").doesNotContain(" WARN ");
        }
        assertThat(lines).anySatisfy(line -> assertThat(line.get("formattedMessage").asText()).startsWith("Phrasebook is ready on"));
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.get("loggerName").asText()).isEqualTo("org.phrasebook.http.AccessLog");
            assertThat(line.get("mdc").get("requestId").asText()).isEqualTo("json-test-1");
            assertThat(line.get("formattedMessage").asText()).contains("\"GET /Hola HTTP/1.1\" 303");
            assertThat(line.get("kvpList").toString()).contains("{\"status\":\"303\"}").contains("{\"method\":\"GET\"}");
        });
        assertThat(lines).anySatisfy(line -> assertThat(line.get("formattedMessage").asText()).contains("\"GET /%FF HTTP/1.1\" 400"));
        assertThat(lines).allSatisfy(line -> assertThat(line.get("level").asText()).isIn("INFO", "WARN", "ERROR"));
    }

    @Test
    void anUnknownFormatStopsTheStartWithOneLine() {
        try (JarProcess jar = JarProcess.start(workDir, "bad.log", Map.of("LOG_FORMAT", "yaml"))) {
            assertThat(jar.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(jar.output()).containsOnlyOnce("LOG_FORMAT must be text or json, but is 'yaml'").doesNotContain("\tat ");
        }
    }
}
