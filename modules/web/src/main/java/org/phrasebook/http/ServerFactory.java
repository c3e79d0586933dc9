package org.phrasebook.http;

import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Builds the Jetty server around the application's handler; used by {@code Main} and by
 * the tests alike, so the tests run the real server.
 */
public final class ServerFactory {

    /** How long a stop waits for requests in flight to finish. */
    public static final long STOP_TIMEOUT_MS = 10_000;

    private ServerFactory() {
    }

    /** A server listening on {@code host:port} (port 0 picks a free one), not yet started. */
    public static Server newServer(String host, int port, Handler application, ErrorPageHandler errors) {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("http");
        if (VirtualThreads.areSupported()) {
            // Requests then run on virtual threads (JDK 21+); JDK 17 keeps platform threads.
            threads.setVirtualThreadsExecutor(VirtualThreads.getDefaultVirtualThreadsExecutor());
        }
        Server server = new Server(threads);

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // In a phrase "%2F" ("/1%2F2" adds "1/2"), "%25" ("50%") and "%5C" ("a\\b") are data,
        // not path syntax; the app reads the raw path itself and has no path-based security
        // to confuse. Encoded "." segments, path parameters and the rest stay refused.
        http.setUriCompliance(UriCompliance.DEFAULT.with("phrases",
                UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
                UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING,
                UriCompliance.Violation.SUSPICIOUS_PATH_CHARACTERS));
        // Behind a proxy, Origin checks and redirects must see the visitor's scheme and host.
        http.addCustomizer(new ForwardedRequestCustomizer());
        http.addCustomizer(new SecurityHeaders());
        http.addCustomizer(new RequestId());

        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);

        server.setHandler(new GracefulHandler(new LogContextHandler(application)));
        server.setErrorHandler(errors);
        server.setRequestLog(new AccessLog());
        server.setStopTimeout(STOP_TIMEOUT_MS);
        server.setStopAtShutdown(false);
        return server;
    }

    /** The port the started server listens on. */
    public static int port(Server server) {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }
}
