package org.phrasebook.phrase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** How many searches run at once, and what happens to one that finds every slot taken. */
class SearchSlotsTest {

    @Test
    void searchesGetHalfThePoolAndAlwaysAtLeastOneSlot() {
        assertThat(SearchSlots.forPool(10)).isEqualTo(5);
        assertThat(SearchSlots.forPool(3)).isEqualTo(1);
        assertThat(SearchSlots.forPool(1)).isEqualTo(1);
    }

    @Test
    void aSearchThatFindsEverySlotTakenWaitsThenIsRefused() throws Exception {
        SearchSlots slots = new SearchSlots(1, Duration.ofMillis(200));
        CountDownLatch finish = new CountDownLatch(1);
        CompletableFuture<String> holder = holdTheSlot(slots, finish);

        long start = System.nanoTime();
        assertThatThrownBy(() -> slots.run(() -> "second")).isInstanceOf(SearchBusyException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));

        finish.countDown();
        assertThat(holder.get(5, TimeUnit.SECONDS)).isEqualTo("first");
        assertThat(slots.run(() -> "third")).isEqualTo("third");
    }

    @Test
    void aSearchThatFailsGivesItsSlotBack() {
        SearchSlots slots = new SearchSlots(1, Duration.ofMillis(50));
        assertThatThrownBy(() -> slots.run(() -> {
            throw new IllegalStateException("statement timeout");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(slots.run(() -> "next")).isEqualTo("next");
    }

    @Test
    void aSearchWaitingForASlotRunsWhenOneIsFreed() throws Exception {
        SearchSlots slots = new SearchSlots(1, Duration.ofSeconds(5));
        CountDownLatch finish = new CountDownLatch(1);
        CompletableFuture<String> holder = holdTheSlot(slots, finish);
        CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> slots.run(() -> "second"));
        Thread.sleep(100);
        assertThat(waiting).isNotDone();

        finish.countDown();
        assertThat(holder.get(5, TimeUnit.SECONDS)).isEqualTo("first");
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo("second");
    }

    /** A search that takes the one slot and keeps it until {@code finish}; returns once it runs. */
    private static CompletableFuture<String> holdTheSlot(SearchSlots slots, CountDownLatch finish) throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        CompletableFuture<String> holder = CompletableFuture.supplyAsync(() -> slots.run(() -> {
            running.countDown();
            await(finish);
            return "first";
        }));
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
        return holder;
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
