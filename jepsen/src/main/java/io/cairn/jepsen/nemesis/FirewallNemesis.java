package io.cairn.jepsen.nemesis;

import io.cairn.jepsen.cluster.Cluster;

/** A nemesis that acts through {@link Firewall} rules: it installs the chain and flushes it at the end. */
interface FirewallNemesis extends Nemesis {

    @Override
    default void setUp(Cluster cluster) throws Exception {
        Firewall.setUp();
    }

    @Override
    default void healAll(Cluster cluster) throws Exception {
        Firewall.heal();
    }
}
