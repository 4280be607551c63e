package io.cairn.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** etcd v2 key semantics, one rule per test, citing the spec items and transcript probes. */
class KeyOperationsTest {
    @TempDir
    Path dir;
    StoreFixture f;
    KvCommands c;

    @BeforeEach
    void open() {
        f = new StoreFixture(dir);
        c = f.commands;
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void emptyRootIsADirectoryWithoutKeyIndexesOrNodes_A1_P1() {
        Event e = f.store.get("/", false, false);
        assertThat(e.action()).isEqualTo(Action.GET);
        assertThat(e.node()).isEqualTo(new Node("/", null, true, null, 0, 0, 0, null));
        assertThat(e.node().isRoot()).isTrue();
        assertThat(e.etcdIndex()).isZero();
    }

    @Test
    void setCreatesThenReplacesAndResetsCreatedIndex_A2_A3_P3_P5() {
        Event first = f.ok(c.set("/message", "Hello world", false, null, false));
        assertThat(first.httpStatus()).isEqualTo(201);
        assertThat(first.node()).isEqualTo(new Node("/message", "Hello world", false, null, 0, 1, 1, null));
        assertThat(first.prevNode()).isNull();

        Event second = f.ok(c.set("/message", "Hello etcd", false, null, false));
        assertThat(second.httpStatus()).isEqualTo(200);
        assertThat(second.node()).isEqualTo(new Node("/message", "Hello etcd", false, null, 0, 2, 2, null));
        assertThat(second.prevNode()).isEqualTo(first.node());
        assertThat(second.etcdIndex()).isEqualTo(2);
        assertThat(f.store.get("/message", false, false).node().value()).isEqualTo("Hello etcd");
    }

    @Test
    void notFoundCauseIsTheFirstMissingComponent_A4_P198_P199() {
        f.ok(c.set("/a", "1", false, null, false));
        EtcdException e = f.getFails("/nodir/child");
        assertThat(e.errorCode()).isEqualTo(100);
        assertThat(e.errorMessage()).isEqualTo("Key not found");
        assertThat(e.causeText()).isEqualTo("/nodir");
        assertThat(e.index()).isEqualTo(1);
        assertThat(e.httpStatus()).isEqualTo(404);
    }

    @Test
    void pathThroughAFileIsNotADirectory_P111_P112() {
        f.ok(c.set("/file", "x", false, null, false));
        EtcdException read = f.getFails("/file/child");
        assertThat(read.errorCode()).isEqualTo(104);
        assertThat(read.causeText()).isEqualTo("/file");
        assertThat(read.httpStatus()).isEqualTo(400);
        EtcdException write = f.fails(c.set("/file/child/deeper", "y", false, null, false));
        assertThat(write.errorCode()).isEqualTo(104);
        assertThat(write.causeText()).isEqualTo("/file");
        assertThat(f.store.etcdIndex()).isEqualTo(1); // failed writes consume nothing (2.5b)
    }

    @Test
    void ttlBecomesAnAbsoluteExpirationAndTtlCountsDownRoundingUp_A5_P12_P13() {
        Event e = f.ok(c.set("/ttlkey", "bar", false, 5L, false));
        assertThat(e.node().expiration()).isEqualTo(StoreFixture.START.plusSeconds(5));
        assertThat(e.node().ttl()).isEqualTo(5);
        f.clock.advance(Duration.ofMillis(1200));
        assertThat(f.store.get("/ttlkey", false, false).node().ttl()).isEqualTo(4);
    }

    @Test
    void ttlZeroIsLegalAndShowsNoTtl_P17_P18() {
        Event e = f.ok(c.set("/z", "v", false, 0L, false));
        assertThat(e.node().expiration()).isEqualTo(StoreFixture.START);
        assertThat(e.node().ttl()).isZero();
    }

    @Test
    void overflowingTtlStoresThePermanentKey_spec3_8_P196() {
        Event e = f.ok(c.set("/big", "v", false, 10_000_000_000L, false));
        assertThat(e.node().expiration()).isNull();
    }

    @Test
    void createFailsOnAnyExistingNode_A6_P34_P35_P53() {
        Event created = f.ok(c.create("/c1", "one", false, null));
        assertThat(created.action()).isEqualTo(Action.CREATE);
        assertThat(created.httpStatus()).isEqualTo(201);
        EtcdException again = f.fails(c.create("/c1", "two", false, null));
        assertThat(again.errorCode()).isEqualTo(105);
        assertThat(again.causeText()).isEqualTo("/c1");
        assertThat(again.httpStatus()).isEqualTo(412);
        f.ok(c.set("/d", null, true, null, false));
        assertThat(f.fails(c.create("/d", "", true, null)).errorCode()).isEqualTo(105);
    }

    @Test
    void updateKeepsCreatedIndexAndDropsTtlWhenNoneGiven_P31_P33() {
        f.ok(c.set("/u", "a", false, 30L, false));
        Event e = f.ok(c.update("/u", "b", null, false));
        assertThat(e.action()).isEqualTo(Action.UPDATE);
        assertThat(e.httpStatus()).isEqualTo(200);
        assertThat(e.node()).isEqualTo(new Node("/u", "b", false, null, 0, 1, 2, null));
        assertThat(e.prevNode().expiration()).isNotNull();
        assertThat(f.store.get("/u", false, false).node().expiration()).isNull();
    }

    @Test
    void updateOfMissingKeyIsNotFound_P36() {
        assertThat(f.fails(c.update("/missing", "x", null, false)).errorCode()).isEqualTo(100);
    }

    @Test
    void updateWithDirFlagBlanksAFile_P189() {
        f.ok(c.set("/f", "content", false, null, false));
        byte[] updatedir = c.put("/f", null, true, null, false, true, null, 0);
        assertThat(f.ok(updatedir).node().value()).isEqualTo("");
    }

    @Test
    void updateOfDirectoryChangesTtlButNotStoredModifiedIndex_P100_P126_P188() {
        f.ok(c.set("/dir", null, true, null, false));
        Event e = f.ok(c.update("/dir", "", 100L, false));
        assertThat(e.node().dir()).isTrue();
        assertThat(e.node().value()).isNull();
        assertThat(e.node().modifiedIndex()).isEqualTo(2);
        assertThat(e.node().ttl()).isEqualTo(100);
        Node stored = f.store.get("/dir", false, false).node();
        assertThat(stored.modifiedIndex()).isEqualTo(1);
        assertThat(stored.expiration()).isEqualTo(StoreFixture.START.plusSeconds(100));
        assertThat(f.store.etcdIndex()).isEqualTo(2);
    }

    @Test
    void updateOfDirectoryWithValueIsNotAFile_P127() {
        f.ok(c.set("/dir", null, true, null, false));
        EtcdException e = f.fails(c.update("/dir", "v", null, false));
        assertThat(e.errorCode()).isEqualTo(102);
        assertThat(e.httpStatus()).isEqualTo(403);
    }

    @Test
    void compareAndSwapSucceedsAndFailsWithEtcdCauses_A7_A8_P38_P39_P40_P41() {
        f.ok(c.create("/c1", "one", false, null));
        Event swapped = f.ok(c.compareAndSwap("/c1", "two", null, false, "one", 0));
        assertThat(swapped.action()).isEqualTo(Action.COMPARE_AND_SWAP);
        assertThat(swapped.node()).isEqualTo(new Node("/c1", "two", false, null, 0, 1, 2, null));

        EtcdException value = f.fails(c.compareAndSwap("/c1", "three", null, false, "one", 0));
        assertThat(value.errorCode()).isEqualTo(101);
        assertThat(value.causeText()).isEqualTo("[one != two]");
        assertThat(value.index()).isEqualTo(2);
        assertThat(value.httpStatus()).isEqualTo(412);
        assertThat(f.fails(c.compareAndSwap("/c1", "x", null, false, null, 7)).causeText()).isEqualTo("[7 != 2]");
        assertThat(f.fails(c.compareAndSwap("/c1", "x", null, false, "no", 7)).causeText())
                .isEqualTo("[no != two] [7 != 2]");
        assertThat(f.ok(c.compareAndSwap("/c1", "both", null, false, "two", 2)).node().value()).isEqualTo("both");
    }

    @Test
    void compareAndSwapOnMissingOrDirectory_P44_P128() {
        assertThat(f.fails(c.compareAndSwap("/nope", "x", null, false, "a", 0)).errorCode()).isEqualTo(100);
        f.ok(c.set("/d", null, true, null, false));
        assertThat(f.fails(c.compareAndSwap("/d", "x", null, false, "a", 0)).errorCode()).isEqualTo(102);
    }

    @Test
    void compareAndSwapWithoutTtlMakesKeyPermanent_P195() {
        f.ok(c.set("/k", "a", false, 60L, false));
        assertThat(f.ok(c.compareAndSwap("/k", "b", null, false, "a", 0)).node().expiration()).isNull();
    }

    @Test
    void putDecisionTreeFollowsSpec4_5_P45_P46_P47() {
        f.ok(c.set("/k", "a", false, null, false));
        assertThat(f.ok(c.put("/k", "b", false, null, false, true, null, 0)).action()).isEqualTo(Action.UPDATE);
        assertThat(f.ok(c.put("/k", "c", false, null, false, true, "b", 0)).action())
                .isEqualTo(Action.COMPARE_AND_SWAP);
        assertThat(f.ok(c.put("/n", "c", false, null, false, false, "ignored", 9)).action()).isEqualTo(Action.CREATE);
        assertThat(f.ok(c.put("/k", "d", false, null, false, null, null, 0)).action()).isEqualTo(Action.SET);
        assertThat(f.ok(c.put("/k", "e", false, null, false, null, null, 5)).action())
                .isEqualTo(Action.COMPARE_AND_SWAP);
    }

    @Test
    void everyWriteToTheRootIsReadOnlyExceptPostAndCompareAndDelete_spec2_7_A19_P81_P82_P203_P204_P205() {
        for (byte[] write : List.of(c.set("/", "x", false, null, false), c.set("/", null, true, null, false),
                c.create("/", "x", false, null), c.update("/", "", null, false),
                c.compareAndSwap("/", "x", null, false, "a", 0), c.delete("/", false, false),
                c.delete("/", true, true))) {
            EtcdException e = f.fails(write);
            assertThat(e.errorCode()).isEqualTo(107);
            assertThat(e.causeText()).isEqualTo("/");
            assertThat(e.httpStatus()).isEqualTo(400);
        }
        EtcdException cad = f.fails(c.compareAndDelete("/", "x", 0));
        assertThat(cad.errorCode()).isEqualTo(102);
        assertThat(cad.causeText()).isEmpty();
        assertThat(f.ok(c.createInOrder("/", "job", false, null)).node().key()).isEqualTo("/00000000000000000001");
    }

    @Test
    void setDirectoryRules_A10_P48_P49_P50_P51_P52() {
        Event mk = f.ok(c.set("/dir1", "ignored", true, null, false));
        assertThat(mk.node()).isEqualTo(new Node("/dir1", null, true, null, 0, 1, 1, null));
        assertThat(mk.httpStatus()).isEqualTo(201);
        assertThat(f.fails(c.set("/dir1", "v", false, null, false)).errorCode()).isEqualTo(102);
        assertThat(f.fails(c.set("/dir1", null, true, null, false)).httpStatus()).isEqualTo(403);
        f.ok(c.set("/file", "v", false, null, false));
        Event replaced = f.ok(c.set("/file", null, true, null, false));
        assertThat(replaced.httpStatus()).isEqualTo(200);
        assertThat(replaced.node().dir()).isTrue();
        assertThat(replaced.prevNode().value()).isEqualTo("v");
    }

    @Test
    void implicitParentsTakeTheWriteIndexAndNeverChangeWithChildren_spec2_6e_P54_P58() {
        f.ok(c.set("/a/b/c", "1", false, null, false));
        f.ok(c.set("/a/b/d", "2", false, null, false));
        Node a = f.store.get("/a", false, false).node();
        assertThat(a.createdIndex()).isEqualTo(1);
        assertThat(a.modifiedIndex()).isEqualTo(1);
        assertThat(f.store.get("/a/b", false, false).node().modifiedIndex()).isEqualTo(1);
    }

    @Test
    void listingSkipsHiddenNodesAndChildDirsCarryNoNodesUnlessRecursive_A11_P58_P59_P61_P62_P176() {
        f.ok(c.set("/dir1", null, true, null, false));
        f.ok(c.set("/dir1/a", null, true, null, false));
        f.ok(c.set("/dir1/a/inner", "i", false, null, false));
        f.ok(c.set("/dir1/x", "1", false, null, false));
        f.ok(c.set("/dir1/_hidden", "h", false, null, false));
        f.ok(c.set("/dir1/m", "2", false, null, false));
        f.ok(c.set("/dir1/a/_deep", "h", false, null, false));

        Node flat = f.store.get("/dir1", false, true).node();
        assertThat(flat.nodes()).extracting(Node::key).containsExactly("/dir1/a", "/dir1/m", "/dir1/x");
        assertThat(flat.nodes().get(0).nodes()).isNull();
        assertThat(flat.nodes().get(0).dir()).isTrue();

        Node deep = f.store.get("/dir1", true, true).node();
        assertThat(deep.nodes().get(0).nodes()).extracting(Node::key).containsExactly("/dir1/a/inner");
        assertThat(f.store.get("/dir1/_hidden", false, false).node().value()).isEqualTo("h");

        f.ok(c.set("/empty", null, true, null, false));
        f.ok(c.set("/onlyhidden/_x", "h", false, null, false));
        assertThat(f.store.get("/empty", false, false).node().nodes()).isNull();
        assertThat(f.store.get("/onlyhidden", true, false).node().nodes()).isNull();
    }

    @Test
    void rootListingHasNoKeyOrIndexes_P191() {
        f.ok(c.set("/k", "v", false, null, false));
        Node root = f.store.get("/", false, false).node();
        assertThat(root.isRoot()).isTrue();
        assertThat(root.createdIndex()).isZero();
        assertThat(root.nodes()).extracting(Node::key).containsExactly("/k");
    }

    @Test
    void sortedListingIsByteWiseByKey_P59_P190() {
        for (String k : List.of("b", "a", "B", "é", "a0", "_h")) {
            f.ok(c.set("/s/" + k, k, false, null, false));
        }
        assertThat(f.store.get("/s", false, true).node().nodes()).extracting(Node::key)
                .containsExactly("/s/B", "/s/a", "/s/a0", "/s/b", "/s/é");
    }

    @Test
    void inOrderKeysAreZeroPaddedIndexesUnderCreatedParents_A12_P63_P65_P66_P67_P68() {
        Event job = f.ok(c.createInOrder("/queue", "Job1", false, null));
        assertThat(job.node()).isEqualTo(new Node("/queue/00000000000000000001", "Job1", false, null, 0, 1, 1, null));
        assertThat(job.httpStatus()).isEqualTo(201);
        assertThat(f.store.get("/queue", false, false).node().createdIndex()).isEqualTo(1);
        Event dirJob = f.ok(c.createInOrder("/queue", "x", true, 10L));
        assertThat(dirJob.node().dir()).isTrue();
        assertThat(dirJob.node().ttl()).isEqualTo(10);
        f.ok(c.set("/file", "v", false, null, false));
        EtcdException onFile = f.fails(c.createInOrder("/file", "x", false, null));
        assertThat(onFile.errorCode()).isEqualTo(104);
        assertThat(onFile.causeText()).isEqualTo("/file");
    }

    @Test
    void deleteRules_A13_A14_P71_P72_P73_P74_P75_P76_P77() {
        f.ok(c.set("/q1", "fromquery", false, null, false));
        Event del = f.ok(c.delete("/q1", false, false));
        assertThat(del.node()).isEqualTo(new Node("/q1", null, false, null, 0, 1, 2, null));
        assertThat(del.prevNode().value()).isEqualTo("fromquery");
        assertThat(f.fails(c.delete("/q1", false, false)).errorCode()).isEqualTo(100);

        f.ok(c.set("/f", "v", false, null, false));
        assertThat(f.ok(c.delete("/f", true, false)).action()).isEqualTo(Action.DELETE); // P77

        f.ok(c.set("/dir1/a", "1", false, null, false));
        assertThat(f.fails(c.delete("/dir1", false, false)).errorCode()).isEqualTo(102);
        EtcdException notEmpty = f.fails(c.delete("/dir1", true, false));
        assertThat(notEmpty.errorCode()).isEqualTo(108);
        assertThat(notEmpty.httpStatus()).isEqualTo(403);
        long before = f.store.etcdIndex();
        Event tree = f.ok(c.delete("/dir1", false, true));
        assertThat(tree.node()).isEqualTo(new Node("/dir1", null, true, null, 0, 5, before + 1, null));
        assertThat(tree.prevNode()).isEqualTo(new Node("/dir1", null, true, null, 0, 5, 5, null));
        assertThat(f.store.etcdIndex()).isEqualTo(before + 1); // one event for the whole sub-tree
        assertThat(f.getFails("/dir1/a").errorCode()).isEqualTo(100);

        f.ok(c.set("/hid/_x", "1", false, null, false));
        assertThat(f.fails(c.delete("/hid", true, false)).errorCode()).isEqualTo(108); // hidden children count
        f.ok(c.set("/emptydir", null, true, null, false));
        assertThat(f.ok(c.delete("/emptydir", true, false)).node().dir()).isTrue();
    }

    @Test
    void compareAndDeleteRules_A15_P78_P79_P80() {
        f.ok(c.set("/c1", "four", false, null, false));
        EtcdException mismatch = f.fails(c.compareAndDelete("/c1", "five", 0));
        assertThat(mismatch.errorCode()).isEqualTo(101);
        assertThat(mismatch.causeText()).isEqualTo("[five != four]");
        Event e = f.ok(c.compareAndDelete("/c1", null, 1));
        assertThat(e.action()).isEqualTo(Action.COMPARE_AND_DELETE);
        assertThat(e.node()).isEqualTo(new Node("/c1", null, false, null, 0, 1, 2, null));
        f.ok(c.set("/d", null, true, null, false));
        assertThat(f.fails(c.compareAndDelete("/d", "x", 0)).errorCode()).isEqualTo(102);
        assertThat(c.remove("/d", true, true, null, 3)).isEqualTo(c.compareAndDelete("/d", null, 3));
    }

    @Test
    void refreshKeepsValueConsumesIndexAndFollowsThePathTaken_A9_P25_P27_P30_P31_P32() {
        assertThat(f.fails(c.set("/rk", "", false, 10L, true)).errorCode()).isEqualTo(100); // P25
        f.ok(c.set("/rk", "keep", false, 30L, false));
        Event viaUpdate = f.ok(c.put("/rk", "", false, 40L, true, true, null, 0));
        assertThat(viaUpdate.action()).isEqualTo(Action.UPDATE);
        assertThat(viaUpdate.refresh()).isTrue();
        assertThat(viaUpdate.node()).isEqualTo(
                new Node("/rk", "keep", false, StoreFixture.START.plusSeconds(40), 40, 1, 2, null));
        Event viaSet = f.ok(c.set("/rk", "", false, 50L, true));
        assertThat(viaSet.action()).isEqualTo(Action.SET);
        assertThat(viaSet.node().createdIndex()).isEqualTo(3); // set replaces the node: createdIndex reset
        assertThat(viaSet.node().value()).isEqualTo("keep");
        Event viaCas = f.ok(c.compareAndSwap("/rk", "", 60L, true, "keep", 0));
        assertThat(viaCas.action()).isEqualTo(Action.COMPARE_AND_SWAP);
        f.ok(c.set("/perm", "p", false, null, false));
        assertThat(f.ok(c.set("/perm", "", false, 5L, true)).node().ttl()).isEqualTo(5); // P27
    }

    @Test
    void refreshOfDirectoryNeedsTheUpdatePath_spec8_6d() {
        f.ok(c.set("/d", null, true, null, false));
        assertThat(f.fails(c.set("/d", "", false, 5L, true)).errorCode()).isEqualTo(102);
        assertThat(f.ok(c.update("/d", "", 5L, true)).node().ttl()).isEqualTo(5);
    }

    @Test
    void trailingAndRepeatedSlashesAreNormalised_spec2_3_P116_P117() {
        f.ok(c.set("/trail/", "v", false, null, false));
        assertThat(f.store.get("trail", false, false).node().key()).isEqualTo("/trail");
        assertThat(KeyPaths.clean("//a///b/")).isEqualTo("/a/b");
        assertThat(KeyPaths.clean("")).isEqualTo("/");
    }

    @Test
    void keysMayContainAnyCharacters_spec2_3() {
        f.ok(c.set("/with space/ü+?", "v", false, null, false));
        assertThat(f.store.get("/with space", false, false).node().nodes()).extracting(Node::key)
                .containsExactly("/with space/ü+?");
    }

    @Test
    void storeStatsCountAppliedWritesAndServedReads_spec14_4() {
        f.ok(c.set("/a", "1", false, null, false));
        f.fails(c.create("/a", "1", false, null));
        f.ok(c.compareAndSwap("/a", "2", null, false, "1", 0));
        f.getFails("/missing");
        f.store.get("/a", false, false);
        f.ok(c.delete("/a", false, false));
        StoreStats s = f.store.stats();
        assertThat(s.setsSuccess()).isEqualTo(1);
        assertThat(s.createFail()).isEqualTo(1);
        assertThat(s.compareAndSwapSuccess()).isEqualTo(1);
        assertThat(s.getsFail()).isEqualTo(1);
        assertThat(s.getsSuccess()).isEqualTo(1);
        assertThat(s.deleteSuccess()).isEqualTo(1);
    }
}
