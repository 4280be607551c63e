package io.cairn.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1CronJob;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1NetworkPolicyIngressRule;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1PodSecurityContext;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServicePort;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V1WeightedPodAffinityTerm;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The production base holds the invariants listed in shared/design/kubernetes.md. */
class BaseManifestTest {
    private static List<Object> objects;
    private static V1StatefulSet sts;
    private static V1PodSpec pod;
    private static V1Container container;
    private static Map<String, String> podLabels;

    @BeforeAll
    static void load() throws Exception {
        objects = Manifests.loadDir(Manifests.K8S.resolve("base"));
        sts = Manifests.single(objects, V1StatefulSet.class);
        pod = sts.getSpec().getTemplate().getSpec();
        container = pod.getContainers().get(0);
        podLabels = sts.getSpec().getTemplate().getMetadata().getLabels();
    }

    private static V1Service service(String name) {
        return Manifests.ofType(objects, V1Service.class).stream()
                .filter(s -> s.getMetadata().getName().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void peerServiceIsHeadlessAndPublishesNotReadyPods() {
        V1Service peer = service(sts.getSpec().getServiceName());
        assertThat(peer.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(peer.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(podLabels).containsAllEntriesOf(peer.getSpec().getSelector());
        assertThat(peer.getSpec().getPorts()).extracting(V1ServicePort::getName, V1ServicePort::getPort)
                .contains(org.assertj.core.groups.Tuple.tuple("client", 2379),
                        org.assertj.core.groups.Tuple.tuple("peer", 2380));
    }

    @Test
    void clientServicePublishesOnlyReadyPods() {
        V1Service client = service("cairn-client");
        assertThat(client.getSpec().getPublishNotReadyAddresses()).isNotEqualTo(Boolean.TRUE);
        assertThat(client.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(podLabels).containsAllEntriesOf(client.getSpec().getSelector());
        assertThat(client.getSpec().getPorts()).extracting(V1ServicePort::getPort).containsExactly(2379);
    }

    @Test
    void statefulSetStartsMembersInParallel() {
        assertThat(sts.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
        assertThat(podLabels).containsAllEntriesOf(sts.getSpec().getSelector().getMatchLabels());
        assertThat(sts.getSpec().getReplicas()).isOdd();
    }

    @Test
    void containerPortsAreNamed() {
        assertThat(container.getPorts()).extracting(V1ContainerPort::getName, V1ContainerPort::getContainerPort)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("client", 2379),
                        org.assertj.core.groups.Tuple.tuple("peer", 2380));
    }

    @Test
    void replicasEnvMatchesReplicaCount() {
        assertThat(env("CAIRN_REPLICAS")).isEqualTo(String.valueOf(sts.getSpec().getReplicas()));
        assertThat(env("CAIRN_SERVICE")).isEqualTo(sts.getSpec().getServiceName());
        assertThat(env("CAIRN_CLUSTER_TOKEN")).isNotBlank().isNotEqualTo("etcd-cluster");
    }

    private static String env(String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst().orElseThrow().getValue();
    }

    @Test
    void probesArePresentAndLocal() {
        V1Probe startup = container.getStartupProbe();
        V1Probe readiness = container.getReadinessProbe();
        V1Probe liveness = container.getLivenessProbe();
        assertThat(startup).isNotNull();
        assertThat(readiness).isNotNull();
        assertThat(liveness).isNotNull();
        // Readiness asks this member only; /health would make it depend on the whole cluster.
        assertThat(readiness.getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(liveness.getHttpGet().getPath()).isEqualTo("/livez");
        assertThat(readiness.getHttpGet().getHost()).isNull();
        // The startup probe allows minutes, for a member that restores a large snapshot.
        assertThat(startup.getPeriodSeconds() * startup.getFailureThreshold()).isGreaterThanOrEqualTo(120);
    }

    @Test
    void podRunsAsNonRootWithWritableVolume() {
        V1PodSecurityContext security = pod.getSecurityContext();
        assertThat(security.getRunAsNonRoot()).isTrue();
        assertThat(security.getRunAsUser()).isEqualTo(10001L);
        assertThat(security.getFsGroup()).isEqualTo(10001L);
        assertThat(security.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        // A read-only root still needs a writable /tmp for the JVM and RocksDB's native loader.
        assertThat(container.getVolumeMounts()).anyMatch(m -> m.getMountPath().equals("/tmp"));
    }

    @Test
    void gracefulStopHasTime() {
        assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThanOrEqualTo(30L);
        assertThat(container.getResources().getLimits()).containsKey("memory");
        assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
    }

    @Test
    void antiAffinitySelectorMatchesPodLabels() {
        List<V1WeightedPodAffinityTerm> terms = pod.getAffinity().getPodAntiAffinity()
                .getPreferredDuringSchedulingIgnoredDuringExecution();
        assertThat(terms).isNotEmpty();
        for (V1WeightedPodAffinityTerm term : terms) {
            assertThat(term.getPodAffinityTerm().getTopologyKey()).isEqualTo("kubernetes.io/hostname");
            assertThat(podLabels).containsAllEntriesOf(term.getPodAffinityTerm().getLabelSelector().getMatchLabels());
        }
    }

    @Test
    void disruptionBudgetKeepsAMajority() {
        V1PodDisruptionBudget pdb = Manifests.single(objects, V1PodDisruptionBudget.class);
        assertThat(pdb.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));
        assertThat(podLabels).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
    }

    @Test
    void dataVolumeIsPerPodAndMountedAboveTheDataDir() {
        assertThat(sts.getSpec().getVolumeClaimTemplates()).hasSize(1);
        V1PersistentVolumeClaim claim = sts.getSpec().getVolumeClaimTemplates().get(0);
        assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
        assertThat(claim.getSpec().getResources().getRequests()).containsKey("storage");
        String mount = container.getVolumeMounts().stream()
                .filter(m -> m.getName().equals(claim.getMetadata().getName())).findFirst().orElseThrow().getMountPath();
        // The data dir is a sub-directory, so a volume's lost+found never looks like data.
        assertThat(env("CAIRN_DATA_DIR")).startsWith(mount + "/");
    }

    @Test
    void peerPortOpenOnlyBetweenMembers() {
        V1NetworkPolicy policy = Manifests.single(objects, V1NetworkPolicy.class);
        assertThat(podLabels).containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
        V1NetworkPolicyIngressRule peerRule = policy.getSpec().getIngress().stream()
                .filter(r -> r.getPorts().stream().anyMatch(p -> p.getPort().equals(new IntOrString("peer"))))
                .findFirst().orElseThrow();
        assertThat(peerRule.getFrom()).hasSize(1);
        assertThat(podLabels).containsAllEntriesOf(peerRule.getFrom().get(0).getPodSelector().getMatchLabels());
    }

    @Test
    void backupRunsAgainstTheClientServiceAsNonRoot() {
        V1CronJob backup = Manifests.single(objects, V1CronJob.class);
        V1PodSpec job = backup.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
        assertThat(backup.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
        assertThat(job.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(job.getContainers().get(0).getCommand()).contains("http://cairn-client:2379");
        // The job's pods must not be counted as members by the member selectors.
        Map<String, String> jobLabels = backup.getSpec().getJobTemplate().getSpec().getTemplate().getMetadata().getLabels();
        assertThat(jobLabels).doesNotContainEntry("app.kubernetes.io/name", "cairn");
    }
}
