package io.cairn.jepsen.nemesis;

import io.cairn.jepsen.cluster.Cluster;
import io.cairn.jepsen.cluster.MemberLaunch;
import io.cairn.jepsen.cluster.NodeProcess;
import io.cairn.jepsen.cluster.NodeSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * Flips the wall clocks of one or more members back and forth between real time and an offset
 * of seconds to minutes, about once a second (as fast as libfaketime re-reads the offset), for
 * 4 to 8 seconds (or until healed, whichever is first), then leaves them on real time: a clock
 * that cannot make up its mind.
 */
public final class ClockStrobeNemesis implements Nemesis {

    @Override
    public String name() {
        return "clock-strobe";
    }

    @Override
    public MemberLaunch adaptLaunch(NodeSpec node, MemberLaunch launch) throws IOException {
        return FakeClock.preload(node, launch);
    }

    @Override
    public Fault inject(Cluster cluster, Random random) {
        List<NodeProcess> victims = ClockJumpNemesis.victims(cluster, random);
        long offset = (1 + random.nextInt(180)) * (random.nextBoolean() ? 1L : -1L);
        // libfaketime re-reads the offset once a second, so faster flips would not be seen.
        Duration period = Duration.ofMillis(1000 + random.nextInt(501));
        Duration length = Duration.ofMillis(4000 + random.nextInt(4001));
        Thread strobe = new Thread(() -> flip(victims, offset, period, length), "clock-strobe");
        strobe.setDaemon(true);
        strobe.start();
        String description = "clock strobe " + Targets.names(victims) + " between real time and "
                + FakeClock.describe(offset) + " every " + period.toMillis() + " ms for up to " + length.toMillis() + " ms";
        return new Fault() {
            @Override
            public String description() {
                return description;
            }

            @Override
            public void heal() throws InterruptedException {
                strobe.interrupt();
                strobe.join();
                victims.forEach(n -> FakeClock.set(n.spec(), 0));
            }
        };
    }

    private static void flip(List<NodeProcess> victims, long offset, Duration period, Duration length) {
        long end = System.nanoTime() + length.toNanos();
        boolean shifted = false;
        try {
            while (System.nanoTime() < end) {
                shifted = !shifted;
                long now = shifted ? offset : 0;
                victims.forEach(n -> FakeClock.set(n.spec(), now));
                Thread.sleep(period.toMillis());
            }
        } catch (InterruptedException e) {
            // healed early
        } finally {
            victims.forEach(n -> FakeClock.set(n.spec(), 0));
        }
    }

    @Override
    public void healAll(Cluster cluster) {
        cluster.nodes().forEach(n -> FakeClock.set(n.spec(), 0));
    }
}
