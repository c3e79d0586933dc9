package org.phrasebook.metrics;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.phrasebook.ConfigException;

/**
 * The admin listener ({@code ADMIN_HOST:ADMIN_PORT}): {@code GET /metrics} in the Prometheus
 * text format, nothing else. A server of its own, so scrapes never compete with visitors
 * for threads and the public port can keep {@code /metrics} a plain 404.
 */
public final class AdminServer implements AutoCloseable {

    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Server server;

    private AdminServer(Server server) {
        this.server = server;
    }

    public static AdminServer start(String host, int port, Metrics metrics) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(4, 1);
        threads.setName("admin");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setName("admin");
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new MetricsHandler(metrics));
        try {
            server.start();
        } catch (IOException | UnresolvedAddressException e) {
            server.stop();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new ConfigException("ADMIN_PORT", "%d on ADMIN_HOST %s cannot be listened on: %s"
                    .formatted(port, host, cause.getMessage() != null ? cause.getMessage() : cause));
        }
        return new AdminServer(server);
    }

    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    private static final class MetricsHandler extends Handler.Abstract.NonBlocking {

        private final Metrics metrics;

        MetricsHandler(Metrics metrics) {
            this.metrics = metrics;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            boolean metricsPath = "/metrics".equals(Request.getPathInContext(request));
            boolean read = "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
            int status = !metricsPath ? 404 : read ? 200 : 405;
            String body = status == 200 ? metrics.scrape() : status == 404 ? "Not found: the admin port serves only GET /metrics\n"
                    : "Method not allowed: GET /metrics\n";
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, status == 200 ? PROMETHEUS_TEXT : "text/plain;charset=utf-8");
            response.getHeaders().put("X-Content-Type-Options", "nosniff");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            if (status == 405) {
                response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
            response.write(true, "HEAD".equals(request.getMethod()) ? ByteBuffer.allocate(0) : ByteBuffer.wrap(bytes), callback);
            return true;
        }
    }
}
