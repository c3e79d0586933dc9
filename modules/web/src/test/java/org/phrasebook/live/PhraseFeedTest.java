package org.phrasebook.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The feed's ordering: what a subscriber is sent, and when, as adds commit out of order. */
class PhraseFeedTest {

    private static final long MS = 1_000_000;

    private final PhraseFeed feed = new PhraseFeed();
    private final List<String> sent = new ArrayList<>();
    private final Recorder recorder = new Recorder(sent);

    /** Records what the feed queues on a stream, and how often it asks for a write. */
    private static final class Recorder implements PhraseFeed.Subscriber {
        final List<String> queued;
        final List<Integer> flushedAt = new ArrayList<>();

        Recorder(List<String> queued) {
            this.queued = queued;
        }

        @Override
        public void queue(LiveEvent event) {
            queued.add(event.id() + (event.late() ? " late" : ""));
        }

        @Override
        public void flush() {
            flushedAt.add(queued.size());
        }
    }

    @BeforeEach
    void startAfterTen() {
        feed.startAfter(List.of(10L, 9L, 8L), 0);
        feed.subscribe(recorder);
    }

    @Test
    void addsInIdOrderGoOutAtOnce() {
        feed.announced(event(11), 10 * MS);
        feed.announced(event(12), 10 * MS);
        assertThat(sent).containsExactly("11", "12");
    }

    @Test
    void anAddThatCommittedBeforeALowerIdWaitsForIt() {
        feed.announced(event(12), 10 * MS);
        feed.tick(100 * MS);
        assertThat(sent).isEmpty();
        feed.announced(event(11), 120 * MS);
        assertThat(sent).containsExactly("11", "12");
    }

    @Test
    void aLowerIdThatNeverComesIsSkippedAfterTheHold() {
        feed.announced(event(12), 10 * MS);
        feed.tick(10 * MS + PhraseFeed.HOLD_NANOS - 1);
        assertThat(sent).isEmpty();
        feed.tick(10 * MS + PhraseFeed.HOLD_NANOS);
        assertThat(sent).containsExactly("12");
        assertThat(feed.subscribe(new Recorder(new ArrayList<>())).skipped()).containsExactly(11L);
    }

    @Test
    void aSkippedIdThatCommitsAfterAllIsSentLateOnceAndNoLongerSkipped() {
        feed.announced(event(12), 0);
        feed.tick(PhraseFeed.HOLD_NANOS);
        feed.announced(event(11), PhraseFeed.HOLD_NANOS + MS);
        feed.announced(event(11), PhraseFeed.HOLD_NANOS + 2 * MS);
        assertThat(sent).containsExactly("12", "11 late");
        assertThat(feed.subscribe(new Recorder(new ArrayList<>())).skipped()).isEmpty();
    }

    @Test
    void gapsAmongTheNewestIdsAtStartMayBeAddsInFlight() {
        PhraseFeed started = new PhraseFeed();
        started.startAfter(List.of(20L, 17L, 16L), 0);
        PhraseFeed.Start start = started.subscribe(new Recorder(sent));
        assertThat(start.publishedUpTo()).isEqualTo(20);
        assertThat(start.skipped()).containsExactly(18L, 19L);
        started.announced(event(18), MS);
        started.announced(event(21), MS);
        assertThat(sent).containsExactly("18 late", "21");
    }

    @Test
    void anAddBothReadBackAndAnnouncedGoesOutOnce() {
        feed.readBack(event(11), 10 * MS);
        feed.announced(event(11), 20 * MS);
        assertThat(sent).containsExactly("11");
    }

    @Test
    void idsThatStartAgainAreFollowed() {
        feed.announced(event(11), MS);
        long later = MS + PhraseFeed.READ_BACK_ECHO_NANOS + MS;
        feed.announced(event(1), later);
        feed.announced(event(2), later);
        assertThat(sent).containsExactly("11", "1", "2");
    }

    @Test
    void anUnsubscribedStreamIsSentNothing() {
        List<String> other = new ArrayList<>();
        Recorder subscriber = new Recorder(other);
        feed.subscribe(subscriber);
        feed.announced(event(11), MS);
        feed.unsubscribe(subscriber);
        feed.announced(event(12), MS);
        assertThat(other).containsExactly("11");
    }

    @Test
    void skippedIdsAreRememberedWithinABound() {
        feed.announced(event(11 + 5 * PhraseFeed.SKIPPED_KEPT), 0);
        feed.tick(PhraseFeed.HOLD_NANOS);
        List<Long> skipped = feed.subscribe(new Recorder(new ArrayList<>())).skipped();
        assertThat(skipped).hasSize(PhraseFeed.SKIPPED_KEPT);
        assertThat(skipped.get(skipped.size() - 1)).isEqualTo(10L + 5 * PhraseFeed.SKIPPED_KEPT);
    }

    @Test
    void theFirstAddAfterAQuietSpellIsWrittenAtOnceAndABurstInOneWrite() {
        long start = PhraseFeed.FLUSH_NANOS * 10;
        feed.announced(event(11), start);
        feed.tick(start);
        assertThat(recorder.flushedAt).containsExactly(1);

        feed.announced(event(12), start + MS);
        feed.tick(start + MS);
        feed.announced(event(13), start + 2 * MS);
        feed.tick(start + 2 * MS);
        assertThat(recorder.flushedAt).as("not yet: the last write was a moment ago").containsExactly(1);
        assertThat(feed.nanosUntilDue(start + 2 * MS, Long.MAX_VALUE)).isEqualTo(PhraseFeed.FLUSH_NANOS - 2 * MS);

        feed.tick(start + PhraseFeed.FLUSH_NANOS);
        assertThat(recorder.flushedAt).containsExactly(1, 3);
        feed.tick(start + 3 * PhraseFeed.FLUSH_NANOS);
        assertThat(recorder.flushedAt).as("nothing new, no write").containsExactly(1, 3);
        assertThat(feed.nanosUntilDue(start + 3 * PhraseFeed.FLUSH_NANOS, 250 * MS)).isEqualTo(250 * MS);
    }

    private static LiveEvent event(long id) {
        return new LiveEvent(id, ("id: " + id + "\n\n").getBytes(StandardCharsets.UTF_8), false);
    }
}
