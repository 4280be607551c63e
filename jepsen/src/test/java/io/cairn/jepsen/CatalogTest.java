package io.cairn.jepsen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.jepsen.nemesis.CompositeNemesis;
import io.cairn.jepsen.nemesis.Nemesis;
import org.junit.jupiter.api.Test;

class CatalogTest {

    @Test
    void everyListedNemesisHasAnImplementationOfThatName() {
        for (String name : Catalog.NEMESES) {
            assertThat(Catalog.nemesis(name).map(Nemesis::name).orElse("none")).isEqualTo(name);
        }
    }

    @Test
    void commasMakeACompositeThatLastsUntilEachPartHasBeenInjected() {
        Nemesis n = Catalog.nemesis("kill-leader, pause-one,partition-one-way").orElseThrow();
        assertThat(n).isInstanceOf(CompositeNemesis.class);
        assertThat(n.name()).isEqualTo("kill-leader,pause-one,partition-one-way");
        assertThat(n.minimumFaults()).isEqualTo(3);
    }

    @Test
    void unknownNamesAreRejectedWithTheList() {
        assertThatThrownBy(() -> Catalog.nemesis("explode")).hasMessageContaining("unknown nemesis explode");
        assertThatThrownBy(() -> Catalog.nemesis("kill-one,explode-all")).hasMessageContaining("explode-all");
    }

    @Test
    void theQuickProfileNamesOnlyKnownWorkloadsAndNemeses() {
        for (String[] pair : Catalog.quickPairs()) {
            assertThat(Catalog.WORKLOADS).contains(pair[0]);
            assertThat(Catalog.nemesis(pair[1])).isPresent();
        }
    }

    @Test
    void theQuickProfileMeetsEveryWorkloadAndEveryNemesis() {
        java.util.Set<String> workloads = new java.util.HashSet<>();
        java.util.Set<String> nemeses = new java.util.HashSet<>();
        for (String[] pair : Catalog.quickPairs()) {
            workloads.add(pair[0]);
            nemeses.addAll(java.util.Arrays.asList(pair[1].split(",")));
        }
        assertThat(workloads).containsAll(Catalog.WORKLOADS);
        assertThat(nemeses).containsAll(Catalog.NEMESES.stream().filter(n -> !n.equals("none")).toList());
    }
}
