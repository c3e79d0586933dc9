package org.phrasebook;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

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
        Path dataDir) {

    public static Config fromEnvironment(Map<String, String> env) {
        return new Config(
                text(env, "HOST", "0.0.0.0"),
                number(env, "PORT", 8080, 0, 65_535),
                databaseUrl(env),
                text(env, "DATABASE_USER", "phrasebook"),
                password(env),
                number(env, "DATABASE_POOL_SIZE", 10, 1, 1_000),
                Duration.ofSeconds(number(env, "DATABASE_WAIT_SECONDS", 60, 0, 86_400)),
                Path.of(text(env, "PHRASEBOOK_DATA_DIR", "./phrasebook-data")));
    }

    /** The same settings with another database, for the embedded default. */
    public Config withDatabase(String url, String user, Optional<String> password) {
        return new Config(host, port, Optional.of(url), user, password, databasePoolSize, databaseWait, dataDir);
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "Config[host=%s, port=%d, databaseUrl=%s, databaseUser=%s, databasePassword=%s, poolSize=%d, databaseWait=%s, dataDir=%s]"
                .formatted(host, port, databaseUrl.orElse("(embedded)"), databaseUser,
                        databasePassword.isPresent() ? "(set)" : "(none)", databasePoolSize, databaseWait, dataDir);
    }

    private static String text(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        return value.strip();
    }

    private static int number(Map<String, String> env, String name, int fallback, int min, int max) {
        String value = text(env, name, null);
        if (value == null) {
            return fallback;
        }
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

    private static Optional<String> databaseUrl(Map<String, String> env) {
        Optional<String> url = Optional.ofNullable(text(env, "DATABASE_URL", null));
        if (url.isPresent() && !url.get().startsWith("jdbc:postgresql:")) {
            throw new ConfigException("DATABASE_URL",
                    "must be a PostgreSQL JDBC URL such as jdbc:postgresql://db:5432/phrasebook, but is '%s'"
                            .formatted(url.get()));
        }
        return url;
    }

    private static Optional<String> password(Map<String, String> env) {
        String inline = env.get("DATABASE_PASSWORD");
        String file = text(env, "DATABASE_PASSWORD_FILE", null);
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
