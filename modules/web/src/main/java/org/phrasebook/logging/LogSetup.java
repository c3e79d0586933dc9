package org.phrasebook.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.util.Loader;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Logback's configuration, in code: one line per event on stdout (containers and systemd
 * collect it there), as text or as JSON ({@code LOG_FORMAT}). Found by logback through
 * {@code META-INF/services}; code instead of {@code logback.xml} because parsing the XML
 * was a sixth of the start-up's CPU.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {

    /** The key of the current request's id in the MDC, so every line written for it carries it. */
    public static final String REQUEST_ID = "requestId";

    /** The text line: time, level, logger, message, and the request's id when there is one. */
    static final String TEXT_PATTERN =
            "%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%replace( [request %mdc{" + REQUEST_ID + "}]){' \\[request \\]', ''}%n";

    /** Libraries that are chatty at INFO; their warnings still show. */
    private static final Map<String, Level> LEVELS = Map.of(
            "org.eclipse.jetty", Level.WARN,
            "com.zaxxer.hikari", Level.WARN,
            "org.flywaydb", Level.WARN,
            "io.zonky", Level.WARN,
            "org.jooq", Level.WARN);

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (Loader.getResource("logback-test.xml", LogSetup.class.getClassLoader()) != null) {
            // The tests' own configuration wins, as in logback's default order.
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        LogFormat format = LogFormat.parse(System.getenv().getOrDefault("LOG_FORMAT", "text")).orElse(LogFormat.TEXT);
        // (An unknown value is logged as text; Config then stops the start with one line.)
        ConsoleAppender<ILoggingEvent> stdout = new ConsoleAppender<>();
        stdout.setContext(context);
        stdout.setName("stdout");
        stdout.setEncoder(encoder(context, format));
        stdout.start();

        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(stdout);
        LEVELS.forEach((name, level) -> context.getLogger(name).setLevel(level));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    static Encoder<ILoggingEvent> encoder(LoggerContext context, LogFormat format) {
        Encoder<ILoggingEvent> encoder = switch (format) {
            case TEXT -> {
                PatternLayoutEncoder text = new PatternLayoutEncoder();
                text.setPattern(TEXT_PATTERN);
                yield text;
            }
            case JSON -> {
                // logback's own JSON: one object per line with time, level, thread, logger,
                // message, the MDC (the request id) and key-value pairs (the access log's fields).
                JsonEncoder json = new JsonEncoder();
                json.setWithSequenceNumber(false);
                json.setWithNanoseconds(false);
                json.setWithContext(false);
                json.setWithArguments(false);
                json.setWithMessage(false);
                json.setWithFormattedMessage(true);
                yield json;
            }
        };
        encoder.setContext(context);
        encoder.start();
        return encoder;
    }
}
