package io.cairn.raft.transport.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Property(tries = 200)
    void delaysStayWithinHalfAndFullOfADoublingCeiling(@ForAll @LongRange(min = 1, max = 10_000) long initialMs,
                                                       @ForAll @IntRange(min = 1, max = 40) int maxFactor,
                                                       @ForAll long seed) {
        Duration initial = Duration.ofMillis(initialMs);
        Duration max = initial.multipliedBy(maxFactor);
        Backoff backoff = new Backoff(initial, max, new Random(seed));
        Duration ceiling = initial;
        for (int attempt = 0; attempt < 80; attempt++) {
            Duration delay = backoff.next();
            assertThat(delay).isBetween(ceiling.dividedBy(2), ceiling);
            ceiling = ceiling.multipliedBy(2).compareTo(max) > 0 ? max : ceiling.multipliedBy(2);
        }
    }

    @Test
    void resetStartsOverAndJitterSpreadsPeers() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), new Random(1));
        for (int i = 0; i < 10; i++) {
            backoff.next();
        }
        assertThat(backoff.next()).isGreaterThanOrEqualTo(Duration.ofMillis(2500));
        backoff.reset();
        assertThat(backoff.next()).isLessThanOrEqualTo(Duration.ofMillis(100));

        List<Duration> firstDelays = new ArrayList<>();
        for (int peer = 0; peer < 20; peer++) {
            firstDelays.add(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(5), new Random(peer)).next());
        }
        assertThat(firstDelays).doesNotHaveDuplicates();
    }

    @Test
    void rejectsNonsenseBounds() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), new Random()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), new Random()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
