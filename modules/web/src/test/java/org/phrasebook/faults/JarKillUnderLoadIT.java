package org.phrasebook.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phrasebook.faults.Outcome.Failure;
import org.phrasebook.support.Http;
import org.phrasebook.support.JarProcess;
import org.phrasebook.support.TestDatabase;

/**
 * {@code kill -9} of the runnable jar under eight visitors adding phrases: the answers in
 * flight are lost, but an add is committed before it is acknowledged, so every acknowledged
 * add is in the database, and the next start serves it.
 */
class JarKillUnderLoadIT {

    private static final int CLIENTS = 8;
    private static final int ADDS = 60;

    @TempDir
    Path workDir;

    @Test
    void everyAcknowledgedAddSurvivesTheKill() throws Exception {
        List<Outcome> outcomes;
        String label;
        long killedAt;
        try (JarProcess jar = JarProcess.start(workDir, "jar.log", TestDatabase.get().environment())) {
            Http http = jar.awaitReady(Duration.ofSeconds(60));
            try (AddLoad load = AddLoad.start(http.port(), CLIENTS, "kill")) {
                label = load.label();
                load.awaitMoreAcknowledged(ADDS, Duration.ofSeconds(30));
                killedAt = System.nanoTime();
                jar.kill();
                AddLoad.sleep(Duration.ofMillis(500));
                outcomes = load.stop();
            }
        }
        List<Outcome> afterKill = Outcomes.where(outcomes, o -> o.endNanos() > killedAt);
        System.out.printf("kill -9 under load: %s; after it: %s%n", Outcomes.summary(outcomes), Outcomes.summary(afterKill));

        assertThat(Outcomes.where(outcomes, o -> o.endNanos() < killedAt && !o.acknowledged()))
                .as("adds answered before the kill that were not acknowledged").isEmpty();
        assertThat(Outcomes.where(outcomes, o -> o.failure() == Failure.TIMEOUT)).as("adds left hanging").isEmpty();
        assertThat(afterKill).as("adds that met the dead process").isNotEmpty();

        Map<Long, String> acknowledged = Outcomes.acknowledged(outcomes);
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(ADDS);
        int unacknowledgedButStored = Outcomes.assertStoredExactlyOnce(TestDatabase.get().dataSource(), label, acknowledged);
        System.out.printf("kill -9: %d adds stored without an acknowledgement%n", unacknowledgedButStored);

        // The next start serves them too: the last few acknowledged, read through the API.
        try (JarProcess next = JarProcess.start(workDir, "next.log", TestDatabase.get().environment())) {
            Http http = next.awaitReady(Duration.ofSeconds(60));
            acknowledged.entrySet().stream().sorted(Map.Entry.<Long, String>comparingByKey().reversed()).limit(5)
                    .forEach(added -> assertThat(http.get("/api/phrases/" + added.getKey()).body())
                            .contains("\"text\":\"" + added.getValue() + "\""));
        }
    }
}
