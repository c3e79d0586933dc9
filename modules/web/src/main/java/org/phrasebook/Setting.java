package org.phrasebook;

/**
 * The environment variables Phrasebook reads, with their defaults and meaning: {@link Config}
 * reads them from here and {@code --help} prints them from here, so the two cannot drift.
 */
public enum Setting {
    HOST("0.0.0.0", "address to listen on (127.0.0.1 keeps it off the network)"),
    PORT("8080", "HTTP port (0 picks a free one)"),
    DATABASE_URL(null, "JDBC URL, e.g. jdbc:postgresql://db:5432/phrasebook (unset: an embedded PostgreSQL)"),
    DATABASE_USER("phrasebook", "database user"),
    DATABASE_PASSWORD(null, "database password"),
    DATABASE_PASSWORD_FILE(null, "read the password from this file (Docker secrets); not with DATABASE_PASSWORD"),
    DATABASE_POOL_SIZE("10", "connection pool size"),
    DATABASE_WAIT_SECONDS("60", "how long start-up waits for the database"),
    PHRASEBOOK_DATA_DIR("./phrasebook-data", "where the embedded PostgreSQL keeps its data (and its log, in log/)"),
    ADMIN_PORT("9464", "port of the admin listener: GET /metrics in the Prometheus text format; 0 turns it off"),
    ADMIN_HOST(null, "address of the admin listener (unset: the same as HOST)"),
    STREAM_LIMIT("1000", "most live streams (GET /api/phrases/stream) open at once in this process; more get 503"),
    LOG_FORMAT("text", "text: one line of text per event; json: one JSON object per line, app and access log alike");

    private final String fallback;
    private final String meaning;

    Setting(String fallback, String meaning) {
        this.fallback = fallback;
        this.meaning = meaning;
    }

    /** The default, or null when there is none. */
    public String fallback() {
        return fallback;
    }

    public String meaning() {
        return meaning;
    }
}
