package org.phrasebook.support;

import static org.phrasebook.schema.Tables.PHRASE;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.phrasebook.db.EmbeddedDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The one PostgreSQL the tests share, started once per test run and chosen in this order:
 * <ol>
 *   <li>a Testcontainers PostgreSQL built from {@code docker/postgres/Dockerfile}, when a
 *       Docker engine is available (the hand-written image is what the tests exercise);</li>
 *   <li>the database named by {@code PHRASEBOOK_TEST_DATABASE_URL} (with
 *       {@code PHRASEBOOK_TEST_DATABASE_USER} and {@code _PASSWORD});</li>
 *   <li>an embedded PostgreSQL, the same one the runnable jar starts by default.</li>
 * </ol>
 * It logs which one it chose; no test is ever skipped for lack of Docker.
 */
public final class TestDatabase {

    private static final Logger log = LoggerFactory.getLogger(TestDatabase.class);
    private static final String APP_PASSWORD = "phrasebook-test";

    private static TestDatabase instance;
    /** A failed start is not retried by every test class (each would wait minutes again). */
    private static RuntimeException startFailure;

    private final String kind;
    private final String jdbcUrl;
    private final String user;
    private final Optional<String> password;
    private final HikariDataSource dataSource;

    private TestDatabase(String kind, String jdbcUrl, String user, Optional<String> password) {
        this.kind = kind;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        HikariConfig config = new HikariConfig();
        config.setPoolName("test-fixture");
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        password.ifPresent(config::setPassword);
        config.setMaximumPoolSize(4);
        this.dataSource = new HikariDataSource(config);
    }

    /** The shared database; the first call starts it. */
    public static synchronized TestDatabase get() {
        if (startFailure != null) {
            throw new IllegalStateException("The test database failed to start earlier in this run", startFailure);
        }
        if (instance == null) {
            try {
                instance = start();
            } catch (RuntimeException e) {
                startFailure = e;
                throw e;
            }
            log.info("Tests use {} at {}", instance.kind, instance.jdbcUrl);
            if (!instance.kind.startsWith("a Testcontainers")) {
                log.info("The container checks did not run: no Docker engine, so the image of docker/postgres/Dockerfile was not tested");
            }
            Runtime.getRuntime().addShutdownHook(new Thread(instance.dataSource::close));
        }
        return instance;
    }

    private static TestDatabase start() {
        if (DockerClientFactory.instance().isDockerAvailable()) {
            return fromTestcontainers();
        }
        String url = System.getenv("PHRASEBOOK_TEST_DATABASE_URL");
        if (url != null && !url.isBlank()) {
            return new TestDatabase("PHRASEBOOK_TEST_DATABASE_URL", url,
                    Optional.ofNullable(System.getenv("PHRASEBOOK_TEST_DATABASE_USER")).orElse("phrasebook"),
                    Optional.ofNullable(System.getenv("PHRASEBOOK_TEST_DATABASE_PASSWORD")));
        }
        return fromEmbedded();
    }

    @SuppressWarnings("resource") // stopped with the JVM
    private static TestDatabase fromTestcontainers() {
        Path context = ProjectPaths.root().resolve("docker/postgres");
        GenericContainer<?> postgres = new GenericContainer<>(
                new ImageFromDockerfile("phrasebook-test-postgres", false).withFileFromPath(".", context))
                .withEnv("POSTGRES_PASSWORD", "postgres-test")
                .withEnv("PHRASEBOOK_DB_PASSWORD", APP_PASSWORD)
                .withExposedPorts(5432)
                // The image's own HEALTHCHECK probes over TCP, so it only says healthy after init.
                .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(3)));
        postgres.start();
        Runtime.getRuntime().addShutdownHook(new Thread(postgres::stop));
        String url = "jdbc:postgresql://%s:%d/phrasebook".formatted(postgres.getHost(), postgres.getMappedPort(5432));
        return new TestDatabase("a Testcontainers PostgreSQL built from docker/postgres/Dockerfile", url,
                "phrasebook", Optional.of(APP_PASSWORD));
    }

    private static TestDatabase fromEmbedded() {
        try {
            Path dataDir = Files.createTempDirectory("phrasebook-test-db");
            EmbeddedPostgres postgres = EmbeddedDatabase.newCluster().setDataDirectory(dataDir).start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the JVM is going away anyway
                }
            }));
            return new TestDatabase("an embedded PostgreSQL (no Docker engine, no PHRASEBOOK_TEST_DATABASE_URL)",
                    postgres.getJdbcUrl("postgres", "postgres"), "postgres", Optional.empty());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the embedded PostgreSQL for the tests", e);
        }
    }

    /** The environment an app started against this database would get. */
    public Map<String, String> environment() {
        return password.map(p -> Map.of("DATABASE_URL", jdbcUrl, "DATABASE_USER", user, "DATABASE_PASSWORD", p))
                .orElseGet(() -> Map.of("DATABASE_URL", jdbcUrl, "DATABASE_USER", user));
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public DSLContext dsl() {
        return DSL.using(dataSource, SQLDialect.POSTGRES);
    }

    public int phraseCount() {
        return dsl().fetchCount(PHRASE);
    }

    /** The stored texts, oldest first. */
    public List<String> phraseTexts() {
        return dsl().select(PHRASE.TEXT).from(PHRASE).orderBy(PHRASE.ID).fetch(PHRASE.TEXT);
    }

    /** Empties the phrase table, for tests that count rows. */
    public void deleteAllPhrases() {
        // Ids go on (no RESTART IDENTITY), as in production, where the live feed relies on it.
        dsl().execute("truncate table phrase");
    }
}
