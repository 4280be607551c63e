package io.cairn.raft.transport.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class InlineSerializerTest {
    private final InlineSerializer serial = new InlineSerializer();

    @Test
    void anIdleSerializerRunsTheTaskOnTheSubmittingThread() {
        AtomicReference<Thread> ranOn = new AtomicReference<>();

        serial.execute(() -> ranOn.set(Thread.currentThread()));

        assertThat(ranOn.get()).isSameAs(Thread.currentThread());
    }

    @Test
    void aTaskSubmittedWhileAnotherRunsIsRunByTheBusyThreadAfterIt() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        List<String> order = new ArrayList<>();
        AtomicReference<Thread> secondRanOn = new AtomicReference<>();
        Thread busy = new Thread(() -> serial.execute(() -> {
            firstStarted.countDown();
            await(releaseFirst);
            order.add("first");
        }), "busy");
        busy.start();
        assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();

        serial.execute(() -> {
            order.add("second");
            secondRanOn.set(Thread.currentThread());
        });
        assertThat(order).as("the submitter returns without running the task").isEmpty();
        releaseFirst.countDown();
        busy.join(10_000);

        assertThat(order).containsExactly("first", "second");
        assertThat(secondRanOn.get()).isSameAs(busy);
    }

    @Test
    void tasksFromManyThreadsNeverOverlapAndAllRun() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        List<CompletableFuture<Void>> submitters = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            submitters.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 10_000; i++) {
                    serial.execute(() -> {
                        if (running.incrementAndGet() != 1) {
                            overlaps.incrementAndGet();
                        }
                        done.incrementAndGet();
                        running.decrementAndGet();
                    });
                }
            }, command -> new Thread(command).start()));
        }
        CompletableFuture.allOf(submitters.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        assertThat(overlaps).hasValue(0);
        assertThat(done).hasValue(40_000);
    }

    @Test
    void aFailingTaskDoesNotStrandTheNextOne() {
        List<String> ran = new ArrayList<>();

        serial.execute(() -> {
            serial.execute(() -> ran.add("queued behind the failure"));
            throw new IllegalStateException("boom");
        });

        assertThat(ran).containsExactly("queued behind the failure");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
