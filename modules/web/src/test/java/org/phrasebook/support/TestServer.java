package org.phrasebook.support;

import java.util.HashMap;
import java.util.Map;
import org.phrasebook.Application;
import org.phrasebook.Config;

/**
 * The real application, started once per test run on a free port against the shared
 * {@link TestDatabase}, and stopped with the JVM.
 */
public final class TestServer {

    private static Http http;

    private TestServer() {
    }

    /** A client for the shared server; the first call starts it. */
    public static synchronized Http http() {
        if (http == null) {
            Application app = start(TestDatabase.get().environment());
            Runtime.getRuntime().addShutdownHook(new Thread(app::close));
            http = new Http(app.port());
        }
        return http;
    }

    /** Starts another instance with extra environment on top of a loopback, free-port base. */
    public static Application start(Map<String, String> environment) {
        Map<String, String> env = new HashMap<>();
        env.put("HOST", "127.0.0.1");
        env.put("PORT", "0");
        env.put("DATABASE_WAIT_SECONDS", "30");
        env.put("ADMIN_PORT", "0");
        env.putAll(environment);
        try {
            return Application.start(Config.fromEnvironment(env));
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start Phrasebook for the tests", e);
        }
    }
}
