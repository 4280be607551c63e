package io.cairn.raft.sim;

/** Counters that show what a run (or a batch of runs) actually exercised. */
final class SimStats {
    long events;
    long messagesSent;
    long messagesDelivered;
    long crashes;
    long unsyncedWritesLost;
    long partitions;
    long proposals;
    long acks;
    long readsConfirmed;
    long leadersElected;
    long snapshotsTaken;
    long snapshotsSent;
    long snapshotsInstalled;
    long committedEntries;
    long configChanges;
    /** Steps a scripted scenario reached. */
    long scriptSteps;

    void add(SimStats o) {
        events += o.events;
        messagesSent += o.messagesSent;
        messagesDelivered += o.messagesDelivered;
        crashes += o.crashes;
        unsyncedWritesLost += o.unsyncedWritesLost;
        partitions += o.partitions;
        proposals += o.proposals;
        acks += o.acks;
        readsConfirmed += o.readsConfirmed;
        leadersElected += o.leadersElected;
        snapshotsTaken += o.snapshotsTaken;
        snapshotsSent += o.snapshotsSent;
        snapshotsInstalled += o.snapshotsInstalled;
        committedEntries += o.committedEntries;
        configChanges += o.configChanges;
        scriptSteps += o.scriptSteps;
    }

    @Override
    public String toString() {
        return "events=" + events + " messages=" + messagesSent + " delivered=" + messagesDelivered + " crashes=" + crashes
                + " unsyncedWritesLost=" + unsyncedWritesLost + " partitions=" + partitions + " proposals=" + proposals
                + " acked=" + acks + " reads=" + readsConfirmed + " leaders=" + leadersElected + " committed="
                + committedEntries + " configChanges=" + configChanges + " snapshotsTaken=" + snapshotsTaken + " snapshotsSent=" + snapshotsSent
                + " snapshotsInstalled=" + snapshotsInstalled + (scriptSteps > 0 ? " scriptSteps=" + scriptSteps : "");
    }
}
