package io.cairn.raft.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.raft.RaftConfig;
import io.cairn.raft.storage.MemoryStorage;
import io.cairn.raft.transport.memory.InMemoryNetwork;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The README's example is the real, compiled source, and it works on three nodes. */
class ReplicatedMapReadmeTest {
    private static final String SOURCE = "src/test/java/io/cairn/raft/example/ReplicatedMap.java";

    @Test
    void readmeShowsExactlyTheCompiledExample() throws IOException {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        String source = Files.readString(Path.of(SOURCE), StandardCharsets.UTF_8);

        String shown = between(readme, "<!-- example:start -->\n```java\n", "```\n<!-- example:end -->");
        String compiled = between(source, "// tag::example[]\n", "// end::example[]");

        assertThat(shown).isNotBlank().isEqualTo(compiled);
    }

    @Test
    void exampleReplicatesAndReadsOnThreeNodes() throws Exception {
        Map<Long, String> members = new LinkedHashMap<>();
        for (long id = 1; id <= 3; id++) {
            members.put(id, "mem-" + id);
        }
        List<ReplicatedMap> replicas = new ArrayList<>();
        try (InMemoryNetwork network = new InMemoryNetwork()) {
            for (long id : members.keySet()) {
                RaftConfig config = RaftConfig.builder(id).tickInterval(Duration.ofMillis(20)).build();
                replicas.add(new ReplicatedMap(config, members, new MemoryStorage(), network.transport(id)));
            }
            ReplicatedMap first = replicas.get(0);

            assertThat(first.put("greeting", "hello").get(20, TimeUnit.SECONDS)).isNull();
            assertThat(first.put("greeting", "bonjour").get(20, TimeUnit.SECONDS)).isEqualTo("hello");
            replicas.get(2).put("from-3", "yes").get(20, TimeUnit.SECONDS);

            for (ReplicatedMap replica : replicas) {
                assertThat(replica.get("greeting").get(20, TimeUnit.SECONDS)).isEqualTo("bonjour");
                assertThat(replica.get("from-3").get(20, TimeUnit.SECONDS)).isEqualTo("yes");
            }
            long leader = first.node().leaderId();
            await().atMost(Duration.ofSeconds(20)).until(() -> replicas.stream()
                    .allMatch(r -> r.node().leaderId() == leader));
        } finally {
            replicas.forEach(ReplicatedMap::close);
        }
    }

    @Test
    void demoRunsOverGrpcOnLoopback() throws Exception {
        ReplicatedMapDemo.main(new String[] {"23950"});
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        int to = text.indexOf(end, from + start.length());
        assertThat(from).as("start marker " + start).isNotNegative();
        assertThat(to).as("end marker " + end).isNotNegative();
        return text.substring(from + start.length(), to);
    }
}
