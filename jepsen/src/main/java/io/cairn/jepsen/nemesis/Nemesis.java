package io.cairn.jepsen.nemesis;

import io.cairn.jepsen.cluster.Cluster;
import java.util.Random;

/** A kind of fault the harness injects. */
public interface Nemesis {
    String name();

    /** Injects one fault into the running cluster. */
    Fault inject(Cluster cluster, Random random) throws Exception;
}
