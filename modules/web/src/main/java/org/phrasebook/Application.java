package org.phrasebook;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Optional;
import java.util.OptionalInt;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Server;
import org.phrasebook.db.ConnectionPool;
import org.phrasebook.db.DatabaseWait;
import org.phrasebook.db.EmbeddedDatabase;
import org.phrasebook.db.Migrations;
import org.phrasebook.http.ServerFactory;
import org.phrasebook.metrics.AdminServer;
import org.phrasebook.metrics.Metrics;
import org.phrasebook.metrics.RequestMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Phrasebook: the database (embedded when no URL is configured), the pool, the
 * migrated schema and the HTTP server, started in that order and stopped in reverse.
 */
public final class Application implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Application.class);
    private static final String JETTY_REFERENCES_PER_CACHE_LINE = "org.eclipse.jetty.util.referencesPerCacheLine";

    static {
        // jOOQ prints a banner and tips on first use; they say nothing about this app.
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
        // Jetty sizes its queues' padding by the references per cache line; unless told, it
        // asks the JMX platform server, whose start was 0.2 s of Phrasebook's start-up. Heaps
        // below 32 GB use compressed (4-byte) references: 16 per 64-byte line.
        if (System.getProperty(JETTY_REFERENCES_PER_CACHE_LINE) == null) {
            boolean compressedOops = Runtime.getRuntime().maxMemory() < 32L * 1024 * 1024 * 1024;
            System.setProperty(JETTY_REFERENCES_PER_CACHE_LINE, compressedOops ? "16" : "8");
        }
    }

    private final EmbeddedDatabase embedded;
    private final Metrics metrics;
    private final HikariDataSource pool;
    private final WebApp web;
    private final Server server;
    private final AdminServer admin;

    private Application(EmbeddedDatabase embedded, Metrics metrics, HikariDataSource pool, WebApp web, Server server, AdminServer admin) {
        this.embedded = embedded;
        this.metrics = metrics;
        this.pool = pool;
        this.web = web;
        this.server = server;
        this.admin = admin;
    }

    public static Application start(Config config) throws Exception {
        EmbeddedDatabase embedded = null;
        Metrics metrics = new Metrics();
        HikariDataSource pool = null;
        WebApp web = null;
        Server server = null;
        AdminServer admin = null;
        try {
            if (config.databaseUrl().isEmpty()) {
                if (!EmbeddedDatabase.isAvailable()) {
                    throw new ConfigException("DATABASE_URL", "is not set, and this build (the container image) has no "
                            + "embedded PostgreSQL: set it to the database's JDBC URL, e.g. jdbc:postgresql://db:5432/phrasebook");
                }
                embedded = EmbeddedDatabase.start(config.dataDir());
                log.info("No DATABASE_URL set: started an embedded PostgreSQL on localhost:{} with its data in {}",
                        embedded.port(), embedded.dataDir());
                config = config.withDatabase(embedded.jdbcUrl(), embedded.user(), Optional.empty());
            }
            pool = ConnectionPool.create(config, metrics.registry());
            String database = ConnectionPool.describe(config.databaseUrl().orElseThrow());
            DatabaseWait.until(pool, database, config.databaseWait());
            Migrations.migrate(ConnectionPool.forMigrations(config));

            web = new WebApp(pool, config.databasePoolSize(), ConnectionPool.dedicated(config), config.streamLimit());
            web.start(); // its listening connection opens while the server is built
            web.bindTo(metrics.registry());
            server = ServerFactory.newServer(config.host(), config.port(), web.handler(), web.errorPages());
            server.setRequestLog(new RequestLog.Collection(server.getRequestLog(), new RequestMetrics(metrics.registry())));
            metrics.bindServer(server);
            web.awaitListening();
            listen(server, config);
            if (config.adminPort() != 0) {
                admin = AdminServer.start(config.adminHost(), config.adminPort(), metrics);
            }
            metrics.bindJvmAndProcess();
            log.info("Phrasebook is ready on http://{}:{}/ (database {}){}", displayHost(config.host()),
                    ServerFactory.port(server), database,
                    admin == null ? "" : "; metrics on http://%s:%d/metrics".formatted(displayHost(config.adminHost()), admin.port()));
            return new Application(embedded, metrics, pool, web, server, admin);
        } catch (Exception | Error e) {
            new Application(embedded, metrics, pool, web, server, admin).close();
            throw e;
        }
    }

    /** A port in use or a host that is not ours is the operator's to fix: one clear line. */
    private static void listen(Server server, Config config) throws Exception {
        try {
            server.start();
        } catch (IOException | UnresolvedAddressException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new ConfigException("PORT", "%d on HOST %s cannot be listened on: %s"
                    .formatted(config.port(), config.host(), cause.getMessage() != null ? cause.getMessage() : cause));
        }
    }

    public int port() {
        return ServerFactory.port(server);
    }

    /** The admin listener's port, or empty when {@code ADMIN_PORT=0} turned it off. */
    public OptionalInt adminPort() {
        return admin == null ? OptionalInt.empty() : OptionalInt.of(admin.port());
    }

    /** Graceful: requests in flight finish (up to the stop timeout), then the pool closes. */
    @Override
    public void close() {
        if (server != null) {
            try {
                ServerFactory.stop(server);
            } catch (Exception e) {
                log.warn("Stopping the HTTP server failed", e);
            }
        }
        if (admin != null) {
            try {
                admin.close();
            } catch (Exception e) {
                log.warn("Stopping the admin listener failed", e);
            }
        }
        if (web != null) {
            web.close();
        }
        if (pool != null) {
            pool.close();
        }
        metrics.close();
        if (embedded != null) {
            embedded.close();
        }
    }

    private static String displayHost(String host) {
        return host.equals("0.0.0.0") ? "localhost" : host;
    }
}
