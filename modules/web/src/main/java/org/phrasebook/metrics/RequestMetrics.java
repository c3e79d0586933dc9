package org.phrasebook.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.NanoTime;

/**
 * Counts and times every answered request by method, route template and status (with a
 * latency histogram), and counts the phrases added by way in. A request log, because
 * Jetty calls it once per request with the final status, the app's and its own alike.
 */
public final class RequestMetrics implements RequestLog {

    private final MeterRegistry registry;
    private final Counter addedByPath;
    private final Counter addedByForm;
    private final Counter addedByApi;

    public RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.addedByPath = added(registry, "path");
        this.addedByForm = added(registry, "form");
        this.addedByApi = added(registry, "api");
    }

    @Override
    public void log(Request request, Response response) {
        String method = request.getMethod();
        String route = Routes.template(request.getHttpURI().getPath());
        int status = response.getStatus();
        Timer.builder("http.server.requests")
                .description("HTTP requests answered, by method, route template and status")
                .tag("method", method)
                .tag("uri", route)
                .tag("status", Integer.toString(status))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry)
                .record(NanoTime.since(request.getBeginNanoTime()), TimeUnit.NANOSECONDS);
        countAdded(method, route, status);
    }

    /** An add is acknowledged by its status: 303 for the path and the form, 201 for the API. */
    private void countAdded(String method, String route, int status) {
        if (status == 303 && method.equals("GET") && route.equals(Routes.PHRASE)) {
            addedByPath.increment();
        } else if (status == 303 && method.equals("POST") && route.equals("/phrases")) {
            addedByForm.increment();
        } else if (status == 201 && method.equals("POST") && route.equals("/api/phrases")) {
            addedByApi.increment();
        }
    }

    private static Counter added(MeterRegistry registry, String way) {
        return Counter.builder("phrasebook.phrases.added")
                .description("Phrases added (committed and acknowledged), by way in")
                .tag("way", way)
                .register(registry);
    }
}
