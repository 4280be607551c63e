package io.cairn.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V1StorageClass;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tutorial's manifest, with only the image swapped, is what k8s/tutorial ships. */
class TutorialManifestTest {
    private static final Path TUTORIAL = Manifests.REPO.resolveSibling("shared").resolve("seed/tutorial.txt");
    private static final Path MANIFEST = Manifests.K8S.resolve("tutorial/etcd-statefulset.yaml");

    @Test
    void manifestIsTheTutorialsWithOnlyTheImageChanged() throws Exception {
        String tutorial = Files.readString(TUTORIAL);
        int start = tutorial.indexOf("apiVersion: v1\nkind: Service\nmetadata:\n  name: etcd-client");
        int end = tutorial.indexOf("storage: 1Gi", start) + "storage: 1Gi".length();
        String original = tutorial.substring(start, end) + "\n";

        String ours = Files.readString(MANIFEST);
        assertThat(ours).isEqualTo(original.replace("image: quay.io/coreos/etcd:latest", "image: cairn:0.1.0"));
    }

    @Test
    void manifestParsesStrictly() throws Exception {
        List<Object> objects = Manifests.load(MANIFEST);
        V1StatefulSet sts = Manifests.single(objects, V1StatefulSet.class);
        assertThat(sts.getSpec().getReplicas()).isEqualTo(3);
        assertThat(sts.getSpec().getServiceName()).isEqualTo("etcd");
        assertThat(sts.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand())
                .startsWith("/bin/sh", "-c");
        assertThat(Manifests.ofType(objects, V1Service.class)).extracting(s -> s.getMetadata().getName())
                .containsExactly("etcd-client", "etcd");

        V1StorageClass ssd = Manifests.single(Manifests.load(Manifests.K8S.resolve("tutorial/ssd-storageclass.yaml")),
                V1StorageClass.class);
        assertThat(ssd.getParameters()).containsEntry("type", "pd-ssd");
    }
}
