package io.cairn.bench;

import java.util.List;

/** One measured workload of the side-by-side comparison. */
record Scenario(String label, Operation op, String target, int connections) {

    /** The workloads the performance goals name. */
    static List<Scenario> standard() {
        return List.of(
                new Scenario("PUT 64 conns, leader", Operation.PUT, "leader", 64),
                new Scenario("PUT 64 conns, follower", Operation.PUT, "follower", 64),
                new Scenario("PUT 1 conn, leader", Operation.PUT, "leader", 1),
                new Scenario("GET 64 conns", Operation.GET, "all", 64),
                new Scenario("GET quorum 64 conns", Operation.QGET, "all", 64));
    }
}
