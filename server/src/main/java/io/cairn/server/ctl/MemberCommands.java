package io.cairn.server.ctl;

import io.cairn.server.ctl.client.ClientException;
import io.cairn.server.ctl.client.Member;
import io.cairn.server.ctl.client.V2Client;
import io.cairn.server.config.EtcdUrls;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code member list|add|remove|update} with etcdctl's messages (member errors exit 1). */
@Command(name = "member", description = "member add, remove and list subcommands",
        subcommands = {MemberCommands.ListMembers.class, MemberCommands.Add.class, MemberCommands.Remove.class,
            MemberCommands.Update.class})
final class MemberCommands implements Runnable {
    @ParentCommand
    CairnCtl root;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(root.out);
    }

    abstract static class MemberCommand implements Callable<Integer> {
        @ParentCommand
        MemberCommands member;

        @Parameters(arity = "0..*", hidden = true)
        List<String> args = new ArrayList<>();

        CairnCtl root() {
            return member.root;
        }

        CtlExit usage(String message) {
            root().err.println(message);
            return new CtlExit(ExitCodes.BAD_ARGS);
        }

        CtlExit error(String message) {
            root().err.println(message);
            return new CtlExit(ExitCodes.BAD_ARGS);
        }
    }

    @Command(name = "list", description = "enumerate existing cluster members")
    static final class ListMembers extends MemberCommand {
        @Override
        public Integer call() {
            if (!args.isEmpty()) {
                throw usage("No arguments accepted");
            }
            V2Client client = root().client(false);
            List<Member> members;
            try {
                members = client.listMembers();
            } catch (ClientException e) {
                throw error(e.getMessage());
            }
            Member leader;
            try {
                leader = client.leader();
            } catch (ClientException e) {
                throw error("Failed to get leader:  " + e.getMessage());
            }
            for (Member m : members) {
                if (m.name().isEmpty()) {
                    root().out.println(m.id() + "[unstarted]: peerURLs=" + String.join(",", m.peerUrls()));
                } else {
                    root().out.println(m.id() + ": name=" + m.name() + " peerURLs=" + String.join(",", m.peerUrls())
                            + " clientURLs=" + String.join(",", m.clientUrls()) + " isLeader=" + m.id().equals(leader.id()));
                }
            }
            return ExitCodes.SUCCESS;
        }
    }

    @Command(name = "add", description = "add a new member to the etcd cluster")
    static final class Add extends MemberCommand {
        @Override
        public Integer call() {
            if (args.size() != 2) {
                throw usage("Provide a name and a single member peerURL");
            }
            String newName = args.get(0);
            try {
                EtcdUrls.validate(List.of(args.get(1))); // the Go client validates before sending
            } catch (IllegalArgumentException e) {
                throw error(e.getMessage());
            }
            V2Client client = root().client(false);
            Member added;
            List<Member> members;
            try {
                added = client.addMember(args.get(1));
                root().out.println("Added member named " + newName + " with ID " + added.id() + " to cluster");
                members = client.listMembers();
            } catch (ClientException e) {
                throw error(e.getMessage());
            }
            List<String> conf = new ArrayList<>();
            for (Member m : members) {
                String name = m.id().equals(added.id()) ? newName : m.name();
                m.peerUrls().forEach(u -> conf.add(name + "=" + u));
            }
            root().out.print("\n");
            root().out.println("ETCD_NAME=" + goQuote(newName));
            root().out.println("ETCD_INITIAL_CLUSTER=" + goQuote(String.join(",", conf)));
            root().out.println("ETCD_INITIAL_CLUSTER_STATE=\"existing\"");
            return ExitCodes.SUCCESS;
        }
    }

    @Command(name = "remove", description = "remove an existing member from the etcd cluster")
    static final class Remove extends MemberCommand {
        @Override
        public Integer call() {
            if (args.size() != 1) {
                throw usage("Provide a single member ID");
            }
            String removalId = args.get(0);
            V2Client client = root().client(false);
            List<Member> members;
            try {
                members = client.listMembers();
            } catch (ClientException e) {
                throw error("Error while verifying ID against known members: " + e.getMessage());
            }
            boolean found = false;
            for (Member m : members) {
                found |= m.id().equals(removalId);
                if (m.name().equals(removalId)) {
                    root().err.printf("Found a member named %s; if this is correct, please use its ID, eg:%n\tetcdctl member remove %s%n",
                            m.name(), m.id());
                    root().err.print("For more details, read the documentation at "
                            + "https://github.com/etcd-io/etcd/blob/master/Documentation/runtime-configuration.md#remove-a-member\n\n");
                }
            }
            if (!found) {
                throw error("Couldn't find a member in the cluster with an ID of " + removalId + ".");
            }
            try {
                client.removeMember(removalId);
            } catch (ClientException e) {
                root().err.print("Received an error trying to remove member " + removalId + ": " + e.getMessage());
                throw new CtlExit(ExitCodes.BAD_ARGS);
            }
            root().out.println("Removed member " + removalId + " from cluster");
            return ExitCodes.SUCCESS;
        }
    }

    @Command(name = "update", description = "update an existing member in the etcd cluster")
    static final class Update extends MemberCommand {
        @Override
        public Integer call() {
            if (args.size() != 2) {
                throw usage("Provide an ID and a list of comma separated peerURL (0xabcd http://example.com,http://example1.com)");
            }
            String id = args.get(0);
            List<String> urls = Arrays.asList(args.get(1).split(","));
            try {
                EtcdUrls.validate(urls);
                root().client(false).updateMember(id, urls);
            } catch (IllegalArgumentException e) {
                throw error(e.getMessage());
            } catch (ClientException e) {
                throw error(e.getMessage());
            }
            root().out.println("Updated member with ID " + id + " in cluster");
            return ExitCodes.SUCCESS;
        }
    }

    /** Go's %q for the printable text etcdctl quotes. */
    private static String goQuote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
