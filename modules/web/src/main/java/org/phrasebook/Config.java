package org.phrasebook;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.phrasebook.logging.LogFormat;

/**
 * Everything the app reads from its environment, read once at start-up. A value that
 * cannot be used stops the start with a {@link ConfigException} naming the variable.
 *
 * @param databaseUrl      JDBC URL, or empty for the embedded PostgreSQL
 * @param databasePassword empty when the database needs none
 */
public record Config(
        String host,
        int port,
        Optional<String> databaseUrl,
        String databaseUser,
        Optional<String> databasePassword,
        int databasePoolSize,
        Duration databaseWait,
        Path dataDir,
        int adminPort,
        String adminHost,
        int streamLimit,
        LogFormat logFormat) {

    public static Config fromEnvironment(Map<String, String> env) {
        return new Config(
                text(env, Setting.HOST),
                number(env, Setting.PORT, 0, 65_535),
                databaseUrl(env),
                text(env, Setting.DATABASE_USER),
                password(env),
                number(env, Setting.DATABASE_POOL_SIZE, 1, 1_000),
                Duration.ofSeconds(number(env, Setting.DATABASE_WAIT_SECONDS, 0, 86_400)),
                Path.of(text(env, Setting.PHRASEBOOK_DATA_DIR)),
                number(env, Setting.ADMIN_PORT, 0, 65_535),
                Optional.ofNullable(text(env, Setting.ADMIN_HOST)).orElse(text(env, Setting.HOST)),
                number(env, Setting.STREAM_LIMIT, 0, 100_000),
                logFormat(env));
    }

    /** The same settings with another database, for the embedded default. */
    public Config withDatabase(String url, String user, Optional<String> password) {
        return new Config(host, port, Optional.of(url), user, password, databasePoolSize, databaseWait, dataDir, adminPort, adminHost, streamLimit, logFormat);
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "Config[host=%s, port=%d, databaseUrl=%s, databaseUser=%s, databasePassword=%s, poolSize=%d, databaseWait=%s, dataDir=%s, admin=%s:%d, streamLimit=%d, logFormat=%s]"
                .formatted(host, port, databaseUrl.orElse("(embedded)"), databaseUser,
                        databasePassword.isPresent() ? "(set)" : "(none)", databasePoolSize, databaseWait, dataDir, adminHost, adminPort, streamLimit, logFormat);
    }

    /** The stripped value, or the setting's default when unset or blank. */
    private static String text(Map<String, String> env, Setting setting) {
        String value = env.get(setting.name());
        if (value == null || value.isBlank()) {
            return setting.fallback();
        }
        return value.strip();
    }

    private static int number(Map<String, String> env, Setting setting, int min, int max) {
        String name = setting.name();
        String value = text(env, setting);
        try {
            int number = Integer.parseInt(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException notANumber) {
            // reported below, with the range
        }
        throw new ConfigException(name, "must be a whole number from %d to %d, but is '%s'".formatted(min, max, value));
    }

    /** Logging is set up before the configuration is read; a wrong value still stops the start here. */
    private static LogFormat logFormat(Map<String, String> env) {
        String value = text(env, Setting.LOG_FORMAT);
        return LogFormat.parse(value).orElseThrow(
                () -> new ConfigException(Setting.LOG_FORMAT.name(), "must be text or json, but is '%s'".formatted(value)));
    }

    private static Optional<String> databaseUrl(Map<String, String> env) {
        Optional<String> url = Optional.ofNullable(text(env, Setting.DATABASE_URL));
        if (url.isPresent() && !url.get().startsWith("jdbc:postgresql:")) {
            throw new ConfigException("DATABASE_URL",
                    "must be a PostgreSQL JDBC URL such as jdbc:postgresql://db:5432/phrasebook, but is '%s'"
                            .formatted(url.get()));
        }
        return url;
    }

    private static Optional<String> password(Map<String, String> env) {
        String inline = env.get(Setting.DATABASE_PASSWORD.name());
        String file = text(env, Setting.DATABASE_PASSWORD_FILE);
        if (file == null) {
            return Optional.ofNullable(inline).filter(p -> !p.isEmpty());
        }
        if (inline != null && !inline.isEmpty()) {
            throw new ConfigException("DATABASE_PASSWORD_FILE", "is set together with DATABASE_PASSWORD: set only one of them");
        }
        try {
            // Secret files usually end with line breaks that are not part of the password
            // (the postgres image strips them from POSTGRES_PASSWORD_FILE the same way).
            String content = Files.readString(Path.of(file), StandardCharsets.UTF_8);
            return Optional.of(content.replaceFirst("\\R+\\z", ""));
        } catch (IOException | RuntimeException unreadable) {
            throw new ConfigException("DATABASE_PASSWORD_FILE", "names a file that cannot be read: " + file);
        }
    }
}
