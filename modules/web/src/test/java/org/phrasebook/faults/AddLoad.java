package org.phrasebook.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.phrasebook.faults.Outcome.Way;

/**
 * Concurrent visitors adding phrases through all three ways in, round robin, each with a text
 * of its own, recording what became of every add. Even-numbered clients keep their
 * connection alive (as browsers do); odd-numbered ones open one per request (as scripts do),
 * so a fault meets both open connections and new ones.
 */
final class AddLoad implements AutoCloseable {

    /** A short pause between one client's adds, so the load leaves the two cores some room. */
    private static final Duration PAUSE = Duration.ofMillis(15);

    private final int port;
    private final String label;
    private final Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final AtomicInteger acknowledged = new AtomicInteger();
    private final List<Thread> clients = new ArrayList<>();
    private volatile boolean running = true;

    private AddLoad(int port, String label) {
        this.port = port;
        this.label = label;
    }

    /** Starts {@code clients} visitors; their texts start with {@link #label()}. */
    static AddLoad start(int port, int clients, String scenario) {
        AddLoad load = new AddLoad(port, scenario + "-" + UUID.randomUUID().toString().substring(0, 8));
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread thread = new Thread(() -> load.run(client), "add-load-" + c);
            thread.setDaemon(true);
            load.clients.add(thread);
            thread.start();
        }
        return load;
    }

    /** The start of every text this load sends; unique to the run, so a shared table is no problem. */
    String label() {
        return label;
    }

    int acknowledgedCount() {
        return acknowledged.get();
    }

    /** Waits until {@code more} adds beyond those acknowledged so far are acknowledged. */
    void awaitMoreAcknowledged(int more, Duration limit) {
        int target = acknowledged.get() + more;
        long deadline = System.nanoTime() + limit.toNanos();
        while (acknowledged.get() < target) {
            assertThat(System.nanoTime()).as("%d more adds acknowledged within %s; so far: %s", more, limit,
                    Outcomes.summary(List.copyOf(outcomes))).isLessThan(deadline);
            sleep(Duration.ofMillis(20));
        }
    }

    /** Stops the clients (each finishes the add it is sending) and returns every outcome. */
    List<Outcome> stop() {
        running = false;
        for (Thread client : clients) {
            try {
                client.join(ClientConnection.TIMEOUT_MS * 3L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            assertThat(client.isAlive()).as(client.getName() + " ended").isFalse();
        }
        return List.copyOf(outcomes);
    }

    @Override
    public void close() {
        running = false;
    }

    private void run(int client) {
        boolean keepAlive = client % 2 == 0;
        ClientConnection connection = null;
        for (int n = 0; running; n++) {
            Way way = Way.values()[(n + client) % 3];
            String text = label + "-c" + client + "-" + n;
            long start = System.nanoTime();
            boolean fresh = connection == null;
            Outcome outcome;
            try {
                if (fresh) {
                    connection = ClientConnection.open(port);
                }
                ClientConnection.Response response = send(connection, way, text, keepAlive);
                outcome = Outcome.answered(client, way, text, start, response, fresh);
            } catch (IOException | RuntimeException e) {
                outcome = Outcome.failed(client, way, text, start, e, fresh);
            }
            if (outcome.connectionClose() || !keepAlive) {
                if (connection != null) {
                    connection.close();
                }
                connection = null;
            }
            outcomes.add(outcome);
            if (outcome.acknowledged()) {
                acknowledged.incrementAndGet();
            }
            sleep(PAUSE);
        }
        if (connection != null) {
            connection.close();
        }
    }

    private ClientConnection.Response send(ClientConnection connection, Way way, String text, boolean keepAlive) throws IOException {
        String host = "127.0.0.1:" + port;
        String common = "Host: " + host + "\r\n" + (keepAlive ? "" : "Connection: close\r\n");
        return switch (way) {
            case PATH -> connection.exchange("GET /" + text + " HTTP/1.1\r\n" + common + "\r\n", new byte[0]);
            case FORM -> post(connection, "/phrases", common + "Origin: http://" + host + "\r\n",
                    "application/x-www-form-urlencoded", "text=" + URLEncoder.encode(text, StandardCharsets.UTF_8));
            case API -> post(connection, "/api/phrases", common, "application/json", "{\"text\": \"" + text + "\"}");
        };
    }

    private static ClientConnection.Response post(ClientConnection connection, String path, String headers, String type, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return connection.exchange("POST " + path + " HTTP/1.1\r\n" + headers + "Content-Type: " + type
                + "\r\nContent-Length: " + bytes.length + "\r\n\r\n", bytes);
    }

    static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
