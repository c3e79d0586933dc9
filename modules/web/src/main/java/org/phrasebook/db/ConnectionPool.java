package org.phrasebook.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import com.zaxxer.hikari.util.DriverDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Properties;
import javax.sql.DataSource;
import org.phrasebook.Config;

/** The HikariCP pool, tuned to fail fast: a request waits seconds, not minutes, for a lost database. */
public final class ConnectionPool {

    /** How long a request waits for a connection before it is answered with 503. */
    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(3);
    /** How long a statement waits for a lock before it fails (SQLSTATE 55P03) and the request gets a 503. */
    static final Duration LOCK_TIMEOUT = Duration.ofSeconds(3);

    private ConnectionPool() {
    }

    public static HikariDataSource create(Config config, MeterRegistry metrics) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("phrasebook");
        hikari.setJdbcUrl(config.databaseUrl().orElseThrow());
        hikari.setUsername(config.databaseUser());
        config.databasePassword().ifPresent(hikari::setPassword);
        hikari.setMaximumPoolSize(config.databasePoolSize());
        hikari.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        hikari.setValidationTimeout(Duration.ofSeconds(1).toMillis());
        // Start even when the database is away: DatabaseWait reports on it, and the
        // pool reconnects by itself when the database comes back.
        hikari.setInitializationFailTimeout(-1);
        hikari.setAutoCommit(true);
        hikari.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(metrics));
        hikari.setDataSourceProperties(driverProperties());
        return new HikariDataSource(hikari);
    }

    /** A connection with the pool's settings that is not the pool's: it stays open as long as the caller needs. */
    public static ConnectionSource dedicated(Config config) {
        Properties properties = driverProperties();
        properties.setProperty("user", config.databaseUser());
        config.databasePassword().ifPresent(password -> properties.setProperty("password", password));
        String url = config.databaseUrl().orElseThrow();
        return () -> DriverManager.getConnection(url, properties);
    }

    /**
     * For the schema's migrations at start-up: connections of their own, because Flyway holds
     * two at once whatever the pool's size (a pool of one could not start); and no read timeout,
     * because a migration that rewrites a large table runs far longer than a request may (V3
     * took 30 s on 1,000,000 rows). A migration still waits at most the lock timeout for a lock.
     */
    public static DataSource forMigrations(Config config) {
        Properties properties = driverProperties();
        properties.setProperty("socketTimeout", "0");
        // HikariCP's own unpooled source, so the URL and properties mean what they mean to the pool.
        return new DriverDataSource(config.databaseUrl().orElseThrow(), null, properties,
                config.databaseUser(), config.databasePassword().orElse(null));
    }

    private static Properties driverProperties() {
        Properties properties = new Properties();
        // Driver timeouts (seconds), so a dead peer cannot hold a request forever.
        properties.setProperty("connectTimeout", "3");
        properties.setProperty("socketTimeout", "30");
        properties.setProperty("tcpKeepAlive", "true");
        // A statement waits at most this long for a lock (a long migration elsewhere, an
        // operator's LOCK TABLE): the visitor gets a 503 instead of waiting with a connection.
        properties.setProperty("options", "-c lock_timeout=" + LOCK_TIMEOUT.toMillis());
        properties.setProperty("ApplicationName", "phrasebook");
        return properties;
    }

    /** The URL without its query, which may carry a password; for log lines. */
    public static String describe(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    }
}
