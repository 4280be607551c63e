package io.cairn.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Watches (spec section 9): matching, history, hidden keys, removal quirks, buffers. */
class WatchTest {
    @TempDir
    Path dir;
    StoreFixture f;
    KvCommands c;

    @BeforeEach
    void open() {
        f = new StoreFixture(dir, KvStoreOptions.defaults(dir).withBlockCacheBytes(8 << 20)
                .withWriteBuffers(4 << 20, 2).withHistorySize(50).withWatcherBufferSize(10));
        c = f.commands;
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void streamWatcherSeesEveryEventInIndexOrder() {
        RecordingListener l = new RecordingListener();
        f.store.watch("/", true, true, 0, l);
        for (int batch = 0; batch < 20; batch++) {
            List<byte[]> cmds = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                cmds.add(c.set("/k" + (batch * 5 + i), "v", false, null, false));
            }
            f.applyAll(cmds);
            int expected = (batch + 1) * 5;
            await().until(() -> l.events.size() == expected); // keep within the 10-event buffer
        }
        assertThat(l.events).extracting(Event::index).isSorted().doesNotHaveDuplicates().hasSize(100);
    }

    @Test
    void oneShotWatcherGetsTheNextMatchingEventThenEnds_P84_spec9_7() {
        f.ok(c.set("/other", "x", false, null, false));
        RecordingListener l = new RecordingListener();
        WatchHandle h = f.store.watch("/foo", false, false, 0, l);
        assertThat(h.etcdIndex()).isEqualTo(1);
        assertThat(f.store.stats().watchers()).isEqualTo(1);
        f.ok(c.set("/other", "y", false, null, false));
        f.ok(c.set("/foo", "1", false, null, false));
        f.ok(c.set("/foo", "2", false, null, false));
        await().until(() -> !h.isActive());
        assertThat(l.keys()).containsExactly("set /foo");
        assertThat(l.events.get(0).node().value()).isEqualTo("1");
        assertThat(f.store.stats().watchers()).isZero();
    }

    @Test
    void recursiveMatchesDescendantsOnlyAndNonRecursiveDirWatcherIgnoresChildren_spec9_4_P100() {
        RecordingListener recursive = new RecordingListener();
        RecordingListener plain = new RecordingListener();
        f.store.watch("/foo", true, true, 0, recursive);
        f.store.watch("/foo", false, true, 0, plain);
        f.ok(c.set("/foo/bar", "1", false, null, false));
        f.ok(c.set("/foobar", "1", false, null, false));
        f.ok(c.update("/foo", "", 100L, false));
        await().until(() -> recursive.events.size() == 2 && plain.events.size() == 1);
        assertThat(recursive.keys()).containsExactly("set /foo/bar", "update /foo");
        assertThat(plain.keys()).containsExactly("update /foo");
    }

    @Test
    void waitIndexInThePastIsAnsweredFromHistory_P85_P86_P87() {
        f.ok(c.set("/a", "1", false, null, false));
        f.ok(c.set("/b", "1", false, null, false));
        f.ok(c.set("/a", "2", false, null, false));
        RecordingListener l = new RecordingListener();
        WatchHandle h = f.store.watch("/a", false, false, 2, l);
        assertThat(h.etcdIndex()).isEqualTo(3); // header: index at registration, not the event's
        await().until(() -> l.events.size() == 1);
        assertThat(l.events.get(0).index()).isEqualTo(3);
        assertThat(f.store.stats().watchers()).isZero(); // answered from history, never registered
    }

    @Test
    void waitIndexInTheFutureIgnoresEarlierEvents_P91() {
        RecordingListener l = new RecordingListener();
        f.store.watch("/a", false, false, 3, l);
        f.ok(c.set("/a", "1", false, null, false));
        f.ok(c.set("/a", "2", false, null, false));
        f.ok(c.set("/a", "3", false, null, false));
        await().until(() -> l.events.size() == 1);
        assertThat(l.events.get(0).node().value()).isEqualTo("3");
    }

    @Test
    void waitIndexOlderThanHistoryIsCleared_A17_P94_P95_P96() {
        for (int i = 0; i < 60; i++) {
            f.ok(c.set("/k", "v" + i, false, null, false));
        }
        assertThatThrownBy(() -> f.store.watch("/k", false, false, 10, new RecordingListener()))
                .isInstanceOfSatisfying(EtcdException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(401);
                    assertThat(e.errorMessage()).isEqualTo("The event in requested index is outdated and cleared");
                    assertThat(e.causeText()).isEqualTo("the requested history has been cleared [11/10]");
                    assertThat(e.index()).isEqualTo(60);
                    assertThat(e.httpStatus()).isEqualTo(400);
                });
        RecordingListener l = new RecordingListener();
        f.store.watch("/k", false, false, 11, l); // waitIndex == oldest works
        await().until(() -> l.events.size() == 1);
        assertThat(l.events.get(0).index()).isEqualTo(11);
    }

    @Test
    void historySurvivesARestart_P187() {
        for (int i = 0; i < 60; i++) {
            f.ok(c.set("/k", "v" + i, false, null, false));
        }
        f.reopen();
        assertThatThrownBy(() -> f.store.watch("/k", false, false, 10, new RecordingListener()))
                .isInstanceOf(EtcdException.class);
        RecordingListener l = new RecordingListener();
        f.store.watch("/k", false, false, 30, l);
        await().until(() -> l.events.size() == 1);
        assertThat(l.events.get(0).node().value()).isEqualTo("v29");
    }

    @Test
    void manyWatchersOnOneKeyAllFire() {
        List<RecordingListener> listeners = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            RecordingListener l = new RecordingListener();
            listeners.add(l);
            f.store.watch("/hot", false, false, 0, l);
        }
        assertThat(f.store.stats().watchers()).isEqualTo(500);
        f.ok(c.set("/hot", "x", false, null, false));
        await().until(() -> listeners.stream().allMatch(l -> l.events.size() == 1));
        assertThat(f.store.stats().watchers()).isZero();
    }

    @Test
    void slowStreamWatcherIsEvictedWithoutBlockingApply_spec9_10() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch firstDelivery = new CountDownLatch(1);
        RecordingListener slow = new RecordingListener() {
            @Override
            public void onEvent(Event event) {
                super.onEvent(event);
                firstDelivery.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        f.store.watch("/q", true, true, 0, slow);
        f.ok(c.set("/q/0", "v", false, null, false));
        assertThat(firstDelivery.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i <= 30; i++) { // the dispatcher is stuck: the 10-event buffer overflows
            f.ok(c.set("/q/" + i, "v", false, null, false));
        }
        assertThat(f.store.etcdIndex()).isEqualTo(31); // applying never waited for the watcher
        assertThat(f.store.stats().watchers()).isZero();
        release.countDown();
        await().until(() -> slow.closed.get() == WatchListener.CloseReason.EVICTED);
        assertThat(slow.events.size()).isLessThanOrEqualTo(11);

        RecordingListener fresh = new RecordingListener();
        f.store.watch("/q", true, false, 0, fresh);
        f.ok(c.set("/q/next", "v", false, null, false));
        await().until(() -> fresh.events.size() == 1);
    }

    @Test
    void cancelledWatcherReceivesNothing() {
        RecordingListener l = new RecordingListener();
        WatchHandle h = f.store.watch("/a", false, true, 0, l);
        h.cancel();
        assertThat(h.isActive()).isFalse();
        assertThat(f.store.stats().watchers()).isZero();
        f.ok(c.set("/a", "1", false, null, false));
        RecordingListener probe = new RecordingListener();
        f.store.watch("/a", false, false, 1, probe);
        await().until(() -> probe.events.size() == 1); // dispatch has run past the event
        assertThat(l.events).isEmpty();
    }

    @Test
    void hiddenKeysAreFilteredLiveBelowTheWatchedPathButNotInHistory_P97_P98_P101() {
        RecordingListener root = new RecordingListener();
        RecordingListener onHidden = new RecordingListener();
        RecordingListener belowHidden = new RecordingListener();
        f.store.watch("/", true, true, 0, root);
        f.store.watch("/_h", false, true, 0, onHidden);
        f.store.watch("/_h", true, true, 0, belowHidden);
        f.ok(c.set("/_h", "1", false, null, false));
        f.ok(c.delete("/_h", false, false));
        f.ok(c.set("/_h/x", "1", false, null, false));
        f.ok(c.set("/visible", "1", false, null, false));
        await().until(() -> root.events.size() == 1);
        await().until(() -> belowHidden.events.size() >= 4);
        assertThat(root.keys()).containsExactly("set /visible");
        assertThat(onHidden.keys()).startsWith("set /_h", "delete /_h");
        assertThat(belowHidden.keys()).contains("set /_h/x");

        RecordingListener history = new RecordingListener();
        f.store.watch("/", true, false, 1, history);
        await().until(() -> history.events.size() == 1);
        assertThat(history.keys()).containsExactly("set /_h");
    }

    @Test
    void deletingADirectoryNotifiesWatchersOfExistingDescendants_P88() {
        f.ok(c.set("/dir1/x", "1", false, null, false));
        RecordingListener child = new RecordingListener();
        RecordingListener missingChild = new RecordingListener();
        f.store.watch("/dir1/x", false, false, 0, child);
        f.store.watch("/dir1/nothere", false, true, 0, missingChild);
        f.ok(c.delete("/dir1", false, true));
        await().until(() -> child.events.size() == 1);
        assertThat(child.keys()).containsExactly("delete /dir1");
        // History scans use a plain prefix test on the deleted directory's key (quirk kept).
        RecordingListener quirk = new RecordingListener();
        f.store.watch("/dir1xyz", false, false, 2, quirk);
        await().until(() -> quirk.events.size() == 1);
        assertThat(missingChild.events).isEmpty();
    }

    @Test
    void aWatchRegisteredWhileADirectoryDeletionIsAppliedDoesNotMissIt() throws Exception {
        f.ok(c.set("/dir1/x", "1", false, null, false));
        RecordingListener child = new RecordingListener();
        AtomicReference<WatchHandle> handle = new AtomicReference<>();
        Thread registrar = new Thread(() -> handle.set(f.store.watch("/dir1/x", false, false, 0, child)));
        f.store.setFailpoint(new KvStateMachine.Failpoint() {
            @Override
            public void beforeCommit(long lastIndex) {
                // The deletion has asked which removed paths are watched: a watch arriving now
                // must wait for its publication, or it would start before it and never hear of it.
                registrar.start();
                await().atMost(5, TimeUnit.SECONDS).until(() -> registrar.getState() == Thread.State.WAITING);
            }
        });
        f.ok(c.delete("/dir1", false, true));
        f.store.setFailpoint(KvStateMachine.Failpoint.NONE);
        registrar.join(5_000);

        assertThat(handle.get().etcdIndex()).isEqualTo(f.store.etcdIndex());
        f.ok(c.set("/dir1/x", "2", false, null, false));
        await().until(() -> child.events.size() == 1);
        assertThat(child.keys()).containsExactly("set /dir1/x");
    }

    @Test
    void streamWatcherOnTheRemovedPathGetsTheEventTwice_P92_P93_spec17_13() {
        f.ok(c.set("/dir/f", "1", false, null, false));
        RecordingListener onDir = new RecordingListener();
        RecordingListener onFile = new RecordingListener();
        RecordingListener ancestor = new RecordingListener();
        f.store.watch("/dir", true, true, 0, onDir);
        f.store.watch("/dir/f", false, true, 0, onFile);
        f.store.watch("/", true, true, 0, ancestor);
        f.ok(c.delete("/dir/f", false, false));
        f.ok(c.delete("/dir", true, false));
        await().until(() -> ancestor.events.size() == 2 && onDir.events.size() == 3 && onFile.events.size() == 2);
        assertThat(onFile.keys()).containsExactly("delete /dir/f", "delete /dir/f");
        assertThat(onDir.keys()).containsExactly("delete /dir/f", "delete /dir", "delete /dir");
        assertThat(ancestor.keys()).containsExactly("delete /dir/f", "delete /dir");
    }

    @Test
    void refreshIsRecordedButNeverDelivered_P99_spec8_6a() {
        f.ok(c.set("/r", "v", false, 10L, false));
        RecordingListener l = new RecordingListener();
        f.store.watch("/r", false, true, 0, l);
        f.ok(c.update("/r", "", 20L, true));
        f.ok(c.set("/r", "w", false, null, false));
        await().until(() -> l.events.size() == 1);
        assertThat(l.events.get(0).node().value()).isEqualTo("w");
        RecordingListener history = new RecordingListener();
        f.store.watch("/r", false, false, 2, history); // index 2 is the refresh: skipped by the scan
        await().until(() -> history.events.size() == 1);
        assertThat(history.events.get(0).index()).isEqualTo(3);
    }

    @Test
    void closingTheStoreEndsLiveWatches() {
        RecordingListener l = new RecordingListener();
        f.store.watch("/a", false, true, 0, l);
        f.store.close();
        await().until(() -> l.closed.get() == WatchListener.CloseReason.STORE_CLOSED);
        f.reopen();
    }
}
