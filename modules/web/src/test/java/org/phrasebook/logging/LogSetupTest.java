package org.phrasebook.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

class LogSetupTest {

    private final LoggerContext context = new LoggerContext();

    @Test
    void textIsTodaysLineWithTheRequestIdOnlyWhenThereIsOne() {
        Encoder<ILoggingEvent> text = LogSetup.encoder(context, LogFormat.TEXT);
        assertThat(encode(text, event(Map.of()))).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  o.p.http.ErrorFilter - Database unavailable for GET /\\R");
        assertThat(encode(text, event(Map.of(LogSetup.REQUEST_ID, "abc-1"))))
                .endsWith(" WARN  o.p.http.ErrorFilter - Database unavailable for GET / [request abc-1]" + System.lineSeparator());
    }

    @Test
    void jsonIsOneObjectPerLineWithTheRequestIdAndTheFields() throws Exception {
        LoggingEvent event = event(Map.of(LogSetup.REQUEST_ID, "abc-1"));
        event.addKeyValuePair(new KeyValuePair("status", 503));
        String line = encode(LogSetup.encoder(context, LogFormat.JSON), event);

        assertThat(line).endsWith("\n").doesNotContain("\n\n");
        assertThat(line.strip()).doesNotContain("\n");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.get("level").asText()).isEqualTo("WARN");
        assertThat(json.get("loggerName").asText()).isEqualTo("org.phrasebook.http.ErrorFilter");
        assertThat(json.get("formattedMessage").asText()).isEqualTo("Database unavailable for GET /");
        assertThat(json.get("mdc").get(LogSetup.REQUEST_ID).asText()).isEqualTo("abc-1");
        assertThat(json.get("kvpList").get(0).get("status").asInt()).isEqualTo(503);
        assertThat(json.get("timestamp").asLong()).isPositive();
    }

    private LoggingEvent event(Map<String, String> mdc) {
        LoggingEvent event = new LoggingEvent("test", context.getLogger("org.phrasebook.http.ErrorFilter"), Level.WARN,
                "Database unavailable for {} {}", null, new Object[] {"GET", "/"});
        event.setMDCPropertyMap(mdc);
        return event;
    }

    private static String encode(Encoder<ILoggingEvent> encoder, ILoggingEvent event) {
        return new String(encoder.encode(event), StandardCharsets.UTF_8);
    }
}
