package io.cairn.jepsen.nemesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.jepsen.cluster.Cluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CompositeNemesisTest {
    private final List<String> calls = new ArrayList<>();

    private Nemesis recording(String name) {
        return new Nemesis() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Fault inject(Cluster cluster, Random random) {
                calls.add("inject " + name);
                return new Fault() {
                    @Override
                    public String description() {
                        return name;
                    }

                    @Override
                    public void heal() {
                        calls.add("heal " + name);
                    }
                };
            }

            @Override
            public void setUp(Cluster cluster) {
                calls.add("setUp " + name);
            }

            @Override
            public void healAll(Cluster cluster) {
                calls.add("healAll " + name);
            }
        };
    }

    @Test
    void injectionsTakeThePartsInTurn() throws Exception {
        CompositeNemesis n = new CompositeNemesis(List.of(recording("a"), recording("b"), recording("c")));
        Cluster cluster = new Cluster(List.of());
        List<String> described = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Fault f = n.inject(cluster, new Random(i));
            described.add(f.description());
            f.heal();
        }
        assertThat(described).containsExactly("a", "b", "c", "a");
        assertThat(n.minimumFaults()).isEqualTo(3);
    }

    @Test
    void setUpAndHealAllReachEveryPart() throws Exception {
        CompositeNemesis n = new CompositeNemesis(List.of(recording("a"), recording("b")));
        Cluster cluster = new Cluster(List.of());
        n.setUp(cluster);
        n.healAll(cluster);
        assertThat(calls).containsExactly("setUp a", "setUp b", "healAll a", "healAll b");
    }
}
