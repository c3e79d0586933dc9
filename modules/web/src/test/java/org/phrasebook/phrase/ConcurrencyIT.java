package org.phrasebook.phrase;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.phrasebook.support.Http;
import org.phrasebook.support.TestDatabase;
import org.phrasebook.support.TestServer;

/** Many visitors adding at once: every acknowledged add is stored exactly once. */
class ConcurrencyIT {

    private static final int THREADS = 16;
    private static final int ADDS_PER_THREAD = 25;

    private final Http http = TestServer.http();

    @BeforeEach
    void emptyTable() {
        TestDatabase.get().deleteAllPhrases();
    }

    @Test
    void concurrentAddsThroughEveryWayInAreEachStoredOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Callable<Map<Long, String>>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            workers.add(() -> {
                Map<Long, String> acknowledged = new java.util.HashMap<>();
                for (int i = 0; i < ADDS_PER_THREAD; i++) {
                    String text = "t" + thread + "-" + i;
                    HttpResponse<String> answer = switch (i % 3) {
                        case 0 -> http.get("/" + text);
                        case 1 -> http.postForm(text);
                        default -> http.postJson("{\"text\": \"" + text + "\"}");
                    };
                    assertThat(answer.statusCode()).isIn(201, 303);
                    acknowledged.put(Http.addedId(answer), text);
                }
                return acknowledged;
            });
        }
        Map<Long, String> acknowledged = new java.util.HashMap<>();
        try {
            for (Future<Map<Long, String>> result : pool.invokeAll(workers)) {
                acknowledged.putAll(result.get());
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(acknowledged).hasSize(THREADS * ADDS_PER_THREAD);
        Map<Long, String> stored = TestDatabase.get().dsl()
                .fetch("select id, text from phrase").stream()
                .collect(Collectors.toMap(r -> r.get(0, Long.class), r -> r.get(1, String.class)));
        assertThat(stored).isEqualTo(acknowledged);
        List<String> texts = new ArrayList<>(stored.values());
        assertThat(texts).doesNotHaveDuplicates();
        assertThat(Collections.frequency(texts, "t0-0")).isEqualTo(1);
    }
}
