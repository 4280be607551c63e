package io.cairn.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What linters do not check in the Dockerfile: user, entrypoint form, ports, tags, launchers. */
class DockerfileTest {
    private static final Path DOCKERFILE = Manifests.REPO.resolve("Dockerfile");

    private static List<String> instructions(String keyword) throws Exception {
        return Files.readAllLines(DOCKERFILE).stream().map(String::strip)
                .filter(l -> l.startsWith(keyword + " ")).toList();
    }

    @Test
    void isMultiStageWithPinnedBases() throws Exception {
        assertThat(instructions("FROM")).containsExactly("FROM ${BUILD_IMAGE} AS build", "FROM ${RUNTIME_IMAGE}");
        // The bases are arguments (offline CI substitutes local copies); their defaults are pinned.
        assertThat(instructions("ARG")).containsExactly(
                "ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-17", "ARG RUNTIME_IMAGE=eclipse-temurin:17-jre");
    }

    @Test
    void buildStageCopiesEveryReactorModule() throws Exception {
        String pom = Files.readString(Manifests.REPO.resolve("pom.xml"));
        Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(pom);
        List<String> copies = instructions("COPY");
        while (module.find()) {
            String name = module.group(1);
            assertThat(copies).as("the build stage needs module %s to load the reactor", name)
                    .anyMatch(c -> c.equals("COPY " + name + " " + name) || c.equals("COPY " + name + "/pom.xml " + name + "/pom.xml"));
        }
    }

    @Test
    void runsAsNumericNonRootUser() throws Exception {
        List<String> users = instructions("USER");
        assertThat(users).hasSize(1);
        String user = users.get(0).substring("USER ".length()).split(":")[0];
        assertThat(user).matches("[0-9]+").isNotEqualTo("0");
        assertThat(user).isEqualTo("10001");
    }

    @Test
    void entrypointIsExecForm() throws Exception {
        assertThat(instructions("ENTRYPOINT")).singleElement().satisfies(e -> assertThat(e).matches("ENTRYPOINT \\[\".*\"\\]"));
        assertThat(instructions("CMD")).allSatisfy(c -> assertThat(c).matches("CMD \\[.*\\]"));
    }

    @Test
    void exposesClientAndPeerPorts() throws Exception {
        assertThat(instructions("EXPOSE")).containsExactly("EXPOSE 2379 2380");
    }

    @Test
    void etcdNamesExecTheJvm() throws Exception {
        for (String launcher : List.of("etcd", "etcdctl", "cairn-entrypoint")) {
            Path script = Manifests.REPO.resolve("docker").resolve(launcher);
            assertThat(Files.isExecutable(script)).as(launcher).isTrue();
            assertThat(Files.readString(script)).startsWith("#!/bin/sh\n").contains("exec ");
        }
        assertThat(Files.readString(Manifests.REPO.resolve("docker/etcd"))).contains("exec java");
    }
}
