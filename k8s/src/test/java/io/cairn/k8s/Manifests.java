package io.cairn.k8s;

import io.kubernetes.client.util.Yaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Loads manifests with the strict Kubernetes models: an unknown field or a wrong type throws. */
final class Manifests {
    /** The k8s/ directory (Surefire runs with the module directory as working directory). */
    static final Path K8S = Path.of("").toAbsolutePath();
    static final Path REPO = K8S.getParent();

    private Manifests() {
    }

    static List<Object> load(Path file) throws IOException {
        return Yaml.loadAll(file.toFile());
    }

    /** Every Kubernetes object in the YAML files of a directory (kustomization files excluded). */
    static List<Object> loadDir(Path dir) throws IOException {
        List<Object> objects = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml"))
                    .filter(p -> !p.getFileName().toString().equals("kustomization.yaml")).sorted().toList()) {
                objects.addAll(load(f));
            }
        }
        return objects;
    }

    static <T> List<T> ofType(List<Object> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static <T> T single(List<Object> objects, Class<T> type) {
        List<T> found = ofType(objects, type);
        if (found.size() != 1) {
            throw new AssertionError("expected exactly one " + type.getSimpleName() + ", found " + found.size());
        }
        return found.get(0);
    }
}
