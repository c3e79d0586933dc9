package org.phrasebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phrasebook.logging.LogFormat;

class ConfigTest {

    @Test
    void defaults() {
        Config config = Config.fromEnvironment(Map.of());
        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.databaseUrl()).isEmpty();
        assertThat(config.databaseUser()).isEqualTo("phrasebook");
        assertThat(config.databasePassword()).isEmpty();
        assertThat(config.databasePoolSize()).isEqualTo(10);
        assertThat(config.databaseWait()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.dataDir()).isEqualTo(Path.of("./phrasebook-data"));
        assertThat(config.logFormat()).isEqualTo(LogFormat.TEXT);
    }

    @Test
    void theAdminListenerDefaultsToPort9464OnTheSameHostAndZeroTurnsItOff() {
        assertThat(Config.fromEnvironment(Map.of()).adminPort()).isEqualTo(9464);
        assertThat(Config.fromEnvironment(Map.of("HOST", "127.0.0.1")).adminHost()).isEqualTo("127.0.0.1");
        assertThat(Config.fromEnvironment(Map.of("HOST", "0.0.0.0", "ADMIN_HOST", "127.0.0.1")).adminHost())
                .isEqualTo("127.0.0.1");
        assertThat(Config.fromEnvironment(Map.of("ADMIN_PORT", "0")).adminPort()).isZero();
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("ADMIN_PORT", "metrics")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("ADMIN_PORT must be a whole number");
    }

    @Test
    void logFormatIsTextOrJsonInAnyCase() {
        assertThat(Config.fromEnvironment(Map.of("LOG_FORMAT", "JSON")).logFormat()).isEqualTo(LogFormat.JSON);
        assertThat(Config.fromEnvironment(Map.of("LOG_FORMAT", " text ")).logFormat()).isEqualTo(LogFormat.TEXT);
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("LOG_FORMAT", "yaml")))
                .isInstanceOf(ConfigException.class).hasMessage("LOG_FORMAT must be text or json, but is 'yaml'");
    }

    @Test
    void readsEveryVariable() {
        Config config = Config.fromEnvironment(Map.of(
                "HOST", "127.0.0.1", "PORT", "9090", "DATABASE_URL", "jdbc:postgresql://db:5432/phrasebook",
                "DATABASE_USER", "app", "DATABASE_PASSWORD", "s3cret", "DATABASE_POOL_SIZE", "4",
                "DATABASE_WAIT_SECONDS", "5", "PHRASEBOOK_DATA_DIR", "/var/lib/pb"));
        assertThat(config).extracting(Config::host, Config::port, Config::databaseUrl, Config::databaseUser,
                        Config::databasePassword, Config::databasePoolSize, Config::databaseWait, Config::dataDir)
                .containsExactly("127.0.0.1", 9090, Optional.of("jdbc:postgresql://db:5432/phrasebook"), "app",
                        Optional.of("s3cret"), 4, Duration.ofSeconds(5), Path.of("/var/lib/pb"));
    }

    @Test
    void neverPrintsThePassword() {
        Config config = Config.fromEnvironment(Map.of("DATABASE_PASSWORD", "s3cret"));
        assertThat(config.toString()).doesNotContain("s3cret").contains("(set)");
    }

    @Test
    void rejectsAPortThatIsNotANumberNamingTheVariable() {
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("PORT", "http")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("PORT must be a whole number from 0 to 65535, but is 'http'");
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("PORT", "70000")))
                .hasMessageStartingWith("PORT ");
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("DATABASE_POOL_SIZE", "0")))
                .hasMessageStartingWith("DATABASE_POOL_SIZE ");
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("DATABASE_WAIT_SECONDS", "-1")))
                .hasMessageStartingWith("DATABASE_WAIT_SECONDS ");
    }

    @Test
    void rejectsAUrlThatIsNotPostgresJdbc() {
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("DATABASE_URL", "postgres://db/phrasebook")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("DATABASE_URL must be a PostgreSQL JDBC URL");
    }

    @Test
    void readsThePasswordFromAFileWithoutItsFinalNewline(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("db_password"), "from file\n");
        Config config = Config.fromEnvironment(Map.of("DATABASE_PASSWORD_FILE", secret.toString()));
        assertThat(config.databasePassword()).contains("from file");
    }

    @Test
    void rejectsAnUnreadablePasswordFile(@TempDir Path dir) {
        String missing = dir.resolve("missing").toString();
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("DATABASE_PASSWORD_FILE", missing)))
                .isInstanceOf(ConfigException.class)
                .hasMessage("DATABASE_PASSWORD_FILE names a file that cannot be read: " + missing);
    }

    @Test
    void rejectsBothPasswordAndPasswordFile(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("db_password"), "x");
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of(
                "DATABASE_PASSWORD_FILE", secret.toString(), "DATABASE_PASSWORD", "y")))
                .hasMessageStartingWith("DATABASE_PASSWORD_FILE is set together with DATABASE_PASSWORD");
    }
}
