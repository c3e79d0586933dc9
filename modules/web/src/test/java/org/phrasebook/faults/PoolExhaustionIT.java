package org.phrasebook.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.phrasebook.Application;
import org.phrasebook.support.TestDatabase;
import org.phrasebook.support.TestServer;

/**
 * Eight visitors adding phrases through a pool of two connections while a transaction of the
 * test's holds the table locked for longer than the app's lock timeout: the adds holding the
 * pool's connections wait for the lock at most that long and get a 503, every other one gets
 * a 503 within the pool's connection timeout (none hangs); once the lock goes, adds succeed
 * again and every acknowledged add is stored.
 */
class PoolExhaustionIT {

    private static final int CLIENTS = 8;
    private static final int POOL_SIZE = 2;
    private static final int ADDS = 20;
    /** ConnectionPool's connection timeout (3 s), plus room for two busy cores. */
    private static final Duration ANSWER_LIMIT = Duration.ofSeconds(3).plusSeconds(2);
    /** Longer than the app's lock timeout (ConnectionPool, 3 s); below the client's 10 s. */
    private static final Duration LOCK_HELD = Duration.ofSeconds(7);
    /** The longest any add may take: pool timeout (3 s) plus lock timeout (3 s), plus room for two busy cores. */
    private static final Duration LONGEST = Duration.ofSeconds(3 + 3 + 2);

    private Application app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void everyAddIsAnsweredWithinThePoolAndLockTimeoutsAndNoneIsLost() throws Exception {
        Map<String, String> env = new HashMap<>(TestDatabase.get().environment());
        env.put("DATABASE_POOL_SIZE", Integer.toString(POOL_SIZE));
        app = TestServer.start(env);

        List<Outcome> outcomes;
        String label;
        long lockedAt;
        long releasedAt;
        try (AddLoad load = AddLoad.start(app.port(), CLIENTS, "pool")) {
            label = load.label();
            load.awaitMoreAcknowledged(ADDS, Duration.ofSeconds(20));
            try (Connection lock = TestDatabase.get().dataSource().getConnection(); Statement sql = lock.createStatement()) {
                lock.setAutoCommit(false);
                sql.execute("lock table phrase in access exclusive mode");
                lockedAt = System.nanoTime();
                AddLoad.sleep(LOCK_HELD);
                releasedAt = System.nanoTime();
                lock.commit();
                lock.setAutoCommit(true);
            }
            load.awaitMoreAcknowledged(ADDS, Duration.ofSeconds(20));
            outcomes = load.stop();
        }
        List<Outcome> duringLock = Outcomes.where(outcomes, o -> o.startNanos() > lockedAt && o.startNanos() < releasedAt);
        List<Outcome> slow = Outcomes.where(outcomes, o -> o.took().compareTo(ANSWER_LIMIT) >= 0);
        System.out.printf("Pool of %d exhausted under load: %s; started while locked: %s; slower than %s: %s%n", POOL_SIZE,
                Outcomes.summary(outcomes), Outcomes.summary(duringLock), ANSWER_LIMIT, slow);

        assertThat(Outcomes.where(outcomes, o -> o.failure() != null)).as("adds that got no answer").isEmpty();
        assertThat(Outcomes.where(outcomes, o -> !o.acknowledged() && o.status() != 503))
                .as("answers other than an acknowledgement or 503").isEmpty();
        // Every client has an add in flight when the lock is taken, or starts one just after: it
        // meets a full pool or the lock, and is answered 503 within two 3-s timeouts, before the
        // release. (Counting the 503s of adds *started* during the lock was a race: a client's
        // add started before the lock can be its only refused one.)
        assertThat(Outcomes.where(outcomes, o -> o.status() == 503 && o.endNanos() > lockedAt && o.endNanos() < releasedAt)
                .stream().map(Outcome::client).distinct().count())
                .as("clients answered 503 while the pool was held").isEqualTo(CLIENTS);
        assertThat(slow).as("adds slower than the pool timeout: those that held a connection behind the lock")
                .isNotEmpty()
                .allSatisfy(stuck -> assertThat(stuck.took()).as(stuck.toString()).isLessThan(LONGEST));
        assertThat(Outcomes.where(outcomes, o -> o.startNanos() > releasedAt && o.acknowledged()))
                .as("adds acknowledged after the lock").hasSizeGreaterThanOrEqualTo(ADDS / 2);
        Outcomes.assertStoredExactlyOnce(TestDatabase.get().dataSource(), label, Outcomes.acknowledged(outcomes));
    }
}
