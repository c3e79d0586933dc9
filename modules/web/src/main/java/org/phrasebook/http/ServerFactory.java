package org.phrasebook.http;

import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.component.Graceful;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Builds the Jetty server around the application's handler; used by {@code Main} and by
 * the tests alike, so the tests run the real server.
 */
public final class ServerFactory {

    /** How long a stop waits for requests in flight to finish. */
    public static final long STOP_TIMEOUT_MS = 10_000;
    /** While stopping, how long idle connections may stay open once no request is in flight. */
    static final long DRAIN_IDLE_MS = 1_000;

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
        // A body under 16 B/s overall is cut with a 408: only a trickler is that slow, and it holds a thread.
        http.setMinRequestDataRate(16);

        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setName("http");
        connector.setHost(host);
        connector.setPort(port);
        // Jetty's default, on purpose: a connection silent for 30 s (stalled request, idle keep-alive) is closed.
        connector.setIdleTimeout(30_000);
        server.addConnector(connector);

        server.setHandler(new StoppingHandler(new LogContextHandler(application), errors));
        server.setErrorHandler(errors);
        server.setRequestLog(new AccessLog());
        server.setStopTimeout(STOP_TIMEOUT_MS);
        server.setStopAtShutdown(false);
        return server;
    }

    /**
     * Stops gracefully, within {@link #STOP_TIMEOUT_MS}, without closing a connection under a
     * request: the listening socket closes first (a new connection is refused at once, not
     * queued by the kernel to be reset later); requests in flight finish; a request arriving
     * on an open connection meanwhile is answered 503 with {@code Connection: close}, and the
     * client closes it. The server stops when every connection is closed, or when no request
     * has been in flight for {@link #DRAIN_IDLE_MS} (the connections left are idle ones). A
     * request in flight, a slow upload too, is never cut before {@link #STOP_TIMEOUT_MS}.
     */
    public static void stop(Server server) throws Exception {
        long deadline = NanoTime.now() + TimeUnit.MILLISECONDS.toNanos(STOP_TIMEOUT_MS);
        for (Connector connector : server.getConnectors()) {
            if (connector instanceof ServerConnector listening) {
                listening.close();
            }
        }
        // Not Graceful.shutdown(server): a connector that is shutting down closes each
        // connection after its current response, racing the client's next request.
        StoppingHandler requests = server.getDescendant(StoppingHandler.class);
        requests.shutdown();
        // Requests that would never finish by themselves (live streams) end now.
        for (Graceful handler : server.getContainedBeans(Graceful.class)) {
            if (handler instanceof Handler && handler != requests) {
                handler.shutdown();
            }
        }
        long quietSince = NanoTime.now();
        while (openConnections(server) > 0 && NanoTime.until(deadline) > 0) {
            if (requests.getCurrentRequestCount() > 0) {
                quietSince = NanoTime.now();
            } else if (NanoTime.millisSince(quietSince) >= DRAIN_IDLE_MS) {
                break;
            }
            Thread.sleep(10);
        }
        server.setStopTimeout(Math.max(1, TimeUnit.NANOSECONDS.toMillis(NanoTime.until(deadline))));
        server.stop();
    }

    private static int openConnections(Server server) {
        int open = 0;
        for (Connector connector : server.getConnectors()) {
            open += connector.getConnectedEndPoints().size();
        }
        return open;
    }

    /** The port the started server listens on. */
    public static int port(Server server) {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }
}
