"""A python-etcd session against the cluster whose client ports are given as arguments.

Prints one "check=value" line per observation; RealClientsTest asserts on them. Exits non-zero on any
exception so a client-side failure cannot pass silently.
"""
import sys
import threading

import etcd

ports = [int(p) for p in sys.argv[1:]]
client = etcd.Client(host=tuple(("127.0.0.1", p) for p in ports), allow_reconnect=True)
other = etcd.Client(host="127.0.0.1", port=ports[-1])


def out(name, value):
    print("%s=%s" % (name, value), flush=True)


written = client.write("/py/msg", "hello")
out("write.action", written.action)
out("write.value", written.value)

read = other.read("/py/msg", quorum=True)
out("read.value", read.value)
out("read.modifiedIndex.matches", read.modifiedIndex == written.modifiedIndex)

# a watch from the next index, fired by a write through another member
watched = {}
def watch():
    watched["result"] = client.watch("/py/msg", index=written.modifiedIndex + 1, timeout=20)
thread = threading.Thread(target=watch)
thread.start()
other.write("/py/msg", "changed")
thread.join(25)
out("watch.value", watched["result"].value)
out("watch.action", watched["result"].action)

swapped = client.test_and_set("/py/msg", "swapped", "changed")
out("cas.value", swapped.value)
try:
    client.test_and_set("/py/msg", "again", "changed")
    out("cas.stale", "accepted")
except ValueError as e:  # EtcdCompareFailed (errorCode 101) is a ValueError  # python-etcd maps errorCode 101 to ValueError (EtcdCompareFailed)
    out("cas.stale", type(e).__name__)

try:
    client.read("/py/missing")
    out("missing", "found")
except etcd.EtcdKeyNotFound:
    out("missing", "EtcdKeyNotFound")

client.write("/py/dir/a", "1")
client.write("/py/dir/b", "2")
listing = client.read("/py/dir", recursive=True, sorted=True)
out("dir.children", ",".join(child.key for child in listing.children))

leader = client.leader
out("leader.name", leader["name"])
members = client.members
out("members.count", len(members))
out("members.names", ",".join(sorted(m["name"] for m in members.values())))
out("machines.count", len(client.machines))
out("version", client.version)
