package org.phrasebook.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phrasebook.Application;
import org.phrasebook.phrase.PhraseRepository;
import org.phrasebook.phrase.PhraseText;
import org.phrasebook.support.EventStream;
import org.phrasebook.support.EventStream.Event;
import org.phrasebook.support.Http;
import org.phrasebook.support.TestDatabase;
import org.phrasebook.support.TestServer;

/**
 * {@code GET /api/phrases/stream} from outside: the events, the replay, two replicas on one
 * database, reconnects under load, the limit and a graceful stop.
 */
class LiveStreamIT {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STREAM = "/api/phrases/stream";

    private static final Http a = TestServer.http();
    private static Application replicaB;
    private static Http b;

    @BeforeAll
    static void startSecondReplica() {
        replicaB = TestServer.start(TestDatabase.get().environment());
        b = new Http(replicaB.port());
    }

    @AfterAll
    static void stopSecondReplica() {
        if (replicaB != null) {
            replicaB.close();
        }
    }

    @Test
    void eachAddIsOneEventWithItsIdAndItsApiJson() throws Exception {
        try (EventStream stream = EventStream.open(a.port(), STREAM)) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.headers().firstValue("Content-Type")).hasValue("text/event-stream");
            assertThat(stream.headers().firstValue("Cache-Control")).hasValue("no-store");
            HttpResponse<String> added = a.postJson("{\"text\":\"¡Hola, \\\"mundo\\\" 👋!\"}");

            Event event = stream.nextEvent(WAIT);
            assertThat(event.phraseId()).isEqualTo(Http.addedId(added));
            assertThat(JSON.readTree(event.data())).isEqualTo(JSON.readTree(added.body()));
            assertThat(JSON.readTree(event.data())).isEqualTo(JSON.readTree(a.get("/api/phrases/" + event.id()).body()));
            assertThat(stream.retry()).isEqualTo("2000");
        }
    }

    @Test
    void everyWayInIsAnnouncedInOrder() throws Exception {
        try (EventStream stream = EventStream.open(a.port(), STREAM)) {
            long form = Http.addedId(a.postForm("by the form"));
            long path = Http.addedId(a.get("/by%20the%20path"));
            long api = Http.addedId(a.postJson("{\"text\":\"by the API\"}"));

            assertThat(ids(stream, 3)).containsExactly(form, path, api);
        }
    }

    @Test
    void anAddThroughOneReplicaReachesTheOthersStreams() throws Exception {
        try (EventStream onB = EventStream.open(b.port(), STREAM); EventStream onA = EventStream.open(a.port(), STREAM)) {
            long viaA = Http.addedId(a.postJson("{\"text\":\"added through A\"}"));
            long viaB = Http.addedId(b.postJson("{\"text\":\"added through B\"}"));

            assertThat(ids(onB, 2)).containsExactly(viaA, viaB);
            assertThat(ids(onA, 2)).containsExactly(viaA, viaB);
        }
    }

    @Test
    void lastEventIdReplaysWhatCameAfterThenGoesLive() throws Exception {
        long first = Http.addedId(a.postJson("{\"text\":\"one\"}"));
        long second = Http.addedId(a.postJson("{\"text\":\"two\"}"));
        long third = Http.addedId(b.postJson("{\"text\":\"three\"}"));

        try (EventStream stream = EventStream.open(b.port(), STREAM, "Last-Event-ID", Long.toString(first))) {
            assertThat(ids(stream, 2)).containsExactly(second, third);
            long fourth = Http.addedId(a.postJson("{\"text\":\"four\"}"));
            assertThat(ids(stream, 1)).containsExactly(fourth);
            assertThat(stream.eventsWithin(Duration.ofMillis(700))).isEmpty();
        }
    }

    @Test
    void afterWorksLikeLastEventIdWhichWinsWhenBothAreSent() throws Exception {
        long first = Http.addedId(a.postJson("{\"text\":\"uno\"}"));
        long second = Http.addedId(a.postJson("{\"text\":\"dos\"}"));
        long third = Http.addedId(a.postJson("{\"text\":\"tres\"}"));

        try (EventStream after = EventStream.open(a.port(), STREAM + "?after=" + second)) {
            assertThat(ids(after, 1)).containsExactly(third);
        }
        // A browser reconnects to the URL it first opened, with the id it got last in the header.
        try (EventStream both = EventStream.open(a.port(), STREAM + "?after=" + third, "Last-Event-ID", Long.toString(first))) {
            assertThat(ids(both, 2)).containsExactly(second, third);
        }
    }

    @Test
    void aRolledBackAddIsNeverAnnounced() throws Exception {
        try (EventStream stream = EventStream.open(b.port(), STREAM)) {
            try {
                TestDatabase.get().dsl().transaction(transaction -> {
                    new PhraseRepository(transaction.dsl(), 1).add(PhraseText.parse("rolled back"));
                    throw new IllegalStateException("roll back on purpose");
                });
            } catch (IllegalStateException expected) {
                // the add and its NOTIFY are gone together
            }
            long kept = Http.addedId(a.postJson("{\"text\":\"kept\"}"));

            Event event = stream.nextEvent(WAIT);
            assertThat(event.phraseId()).isEqualTo(kept);
            assertThat(JSON.readTree(event.data()).get("text").textValue()).isEqualTo("kept");
            assertThat(stream.eventsWithin(Duration.ofSeconds(1))).isEmpty();
        }
        assertThat(TestDatabase.get().phraseTexts()).doesNotContain("rolled back");
    }

    @Test
    void aClientThatReconnectsToEitherReplicaUnderLoadMissesNothingAndSeesNothingTwice() throws Exception {
        long start = Http.addedId(a.postJson("{\"text\":\"before the load\"}"));
        ExecutorService adders = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Long>>> added = new ArrayList<>();
            for (int thread = 0; thread < 4; thread++) {
                int number = thread;
                added.add(adders.submit(() -> addSteadily(number, 60)));
            }
            List<Long> received = new ArrayList<>();
            long last = start;
            int connection = 0;
            while (!allDone(added)) {
                Http replica = connection++ % 2 == 0 ? a : b;
                try (EventStream stream = EventStream.open(replica.port(), STREAM, "Last-Event-ID", Long.toString(last))) {
                    for (Event event : stream.eventsWithin(Duration.ofMillis(ThreadLocalRandom.current().nextInt(50, 300)))) {
                        assertThat(event).isNotEqualTo(EventStream.END);
                        received.add(event.phraseId());
                        last = event.phraseId();
                    }
                }
            }
            List<Long> expected = new ArrayList<>();
            for (Future<List<Long>> ids : added) {
                expected.addAll(ids.get());
            }
            Collections.sort(expected);
            try (EventStream stream = EventStream.open(b.port(), STREAM, "Last-Event-ID", Long.toString(last))) {
                while (received.size() < expected.size()) {
                    received.add(stream.nextEvent(WAIT).phraseId());
                }
                assertThat(stream.eventsWithin(Duration.ofMillis(700))).isEmpty();
            }
            assertThat(connection).isGreaterThan(3);
            assertThat(received).containsExactlyElementsOf(expected);
        } finally {
            adders.shutdownNow();
        }
    }

    @Test
    void streamsOnAReplicaThatStopsResumeOnTheOtherWithoutAGap() throws Exception {
        Application replicaC = TestServer.start(TestDatabase.get().environment());
        long start = Http.addedId(a.postJson("{\"text\":\"before the stop\"}"));
        ExecutorService adder = Executors.newSingleThreadExecutor();
        try (EventStream onC = EventStream.open(replicaC.port(), STREAM, "Last-Event-ID", Long.toString(start))) {
            Future<List<Long>> added = adder.submit(() -> addSteadily(0, 100));
            List<Long> received = new ArrayList<>();
            received.add(onC.nextEvent(WAIT).phraseId());
            received.add(onC.nextEvent(WAIT).phraseId());
            long stopping = System.nanoTime();
            replicaC.close();
            assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(3));
            for (Event event = onC.nextEvent(WAIT); event != EventStream.END; event = onC.nextEvent(WAIT)) {
                received.add(event.phraseId());
            }
            List<Long> expected = added.get();
            try (EventStream onA = EventStream.open(a.port(), STREAM, "Last-Event-ID", Long.toString(received.get(received.size() - 1)))) {
                while (received.size() < expected.size()) {
                    received.add(onA.nextEvent(WAIT).phraseId());
                }
            }
            assertThat(received).containsExactlyElementsOf(expected);
        } finally {
            adder.shutdownNow();
            replicaC.close();
        }
    }

    @Test
    void beyondTheLimitA503SaysWhenToComeBackAndIdleStreamsGetHeartbeats() throws Exception {
        Map<String, String> environment = new HashMap<>(TestDatabase.get().environment());
        environment.put("STREAM_LIMIT", "2");
        try (Application limited = TestServer.start(environment)) {
            Http http = new Http(limited.port());
            try (EventStream kept = EventStream.open(limited.port(), STREAM)) {
                try (Socket left = new Socket("127.0.0.1", limited.port())) {
                    left.getOutputStream().write(("GET " + STREAM + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    assertThat(new String(left.getInputStream().readNBytes(15), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200 OK");
                    HttpResponse<String> third = http.get(STREAM);
                    assertThat(third.statusCode()).isEqualTo(503);
                    assertThat(third.headers().firstValue("Retry-After")).hasValue("5");
                    assertThat(JSON.readTree(third.body()).get("type").textValue()).isEqualTo("urn:phrasebook:problem:too-many-streams");
                    // Left abruptly (a reset), as a browser tab that crashed; a closed tab's stream
                    // (a FIN) is noticed one heartbeat later.
                    left.setSoLinger(true, 0);
                }
                // A stream whose client left is noticed when its heartbeat is written.
                Event heartbeat = kept.next(Duration.ofSeconds(LiveUpdates.HEARTBEAT_SECONDS + 2));
                assertThat(heartbeat).isNotNull();
                assertThat(heartbeat.comment()).isEqualTo("heartbeat");
                long deadline = System.nanoTime() + WAIT.toNanos();
                int status = 0;
                while (System.nanoTime() < deadline && status != 200) {
                    try (EventStream again = EventStream.open(limited.port(), STREAM)) {
                        status = again.status();
                    }
                    Thread.sleep(100);
                }
                assertThat(status).as("a place freed by a client that left").isEqualTo(200);
            }
        }
    }

    @Test
    void aMalformedIdIsA400AndOtherMethodsA405() throws Exception {
        for (String bad : List.of("?after=x", "?after=-1", "?after=%D9%A3", "?after=99999999999999999999")) {
            HttpResponse<String> response = a.get(STREAM + bad);
            assertThat(response.statusCode()).as(bad).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).get("type").textValue()).isEqualTo("urn:phrasebook:problem:bad-event-id");
        }
        assertThat(a.get(STREAM, "Last-Event-ID", "abc").statusCode()).isEqualTo(400);

        HttpResponse<String> post = a.postJson(STREAM, "{\"text\":\"x\"}", "application/json");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");

        HttpResponse<String> head = a.head(STREAM);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Type")).hasValue("text/event-stream");
    }

    /** {@code count} adds through both replicas, about 100 a second in all; their ids. */
    private static List<Long> addSteadily(int thread, int count) throws InterruptedException {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Http replica = (thread + i) % 2 == 0 ? a : b;
            ids.add(Http.addedId(replica.postJson("{\"text\":\"load " + thread + "-" + i + "\"}")));
            Thread.sleep(ThreadLocalRandom.current().nextInt(5, 30));
        }
        return ids;
    }

    private static boolean allDone(List<? extends Future<?>> futures) {
        return futures.stream().allMatch(Future::isDone);
    }

    private static List<Long> ids(EventStream stream, int count) throws InterruptedException {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Event event = stream.nextEvent(WAIT);
            assertThat(event).isNotEqualTo(EventStream.END);
            ids.add(event.phraseId());
        }
        return ids;
    }
}
