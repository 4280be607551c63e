package io.cairn.compat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** N members of one flavor as real processes on loopback; client port = block + 2i, peer port = block + 2i + 1. */
final class LocalCluster implements AutoCloseable {

    private final List<MemberProcess> members = new ArrayList<>();

    LocalCluster(Flavor flavor, Path dir, int portBlock, int size) {
        int[] clients = new int[size];
        int[] peers = new int[size];
        for (int i = 0; i < size; i++) {
            clients[i] = portBlock + 2 * i;
            peers[i] = portBlock + 2 * i + 1;
        }
        for (int i = 0; i < size; i++) {
            members.add(MemberProcess.member(flavor, dir, i, clients, peers));
        }
    }

    LocalCluster start() {
        members.forEach(MemberProcess::start);
        members.forEach(member -> member.awaitServing(Duration.ofSeconds(60)));
        members.forEach(member -> member.awaitWritable(Duration.ofSeconds(60)));
        return this;
    }

    List<MemberProcess> members() {
        return members;
    }

    MemberProcess member(String name) {
        return members.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    }

    String endpoints() {
        return members.stream().map(MemberProcess::clientUrl).collect(Collectors.joining(","));
    }

    @Override
    public void close() {
        members.forEach(MemberProcess::stop);
    }
}
