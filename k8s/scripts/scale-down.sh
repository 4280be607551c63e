#!/bin/sh
# Scales a Cairn StatefulSet down safely: first remove the departing members from the cluster
# (highest ordinals first, one at a time, so a majority always stays), then lower the replica
# count. Never do this in a preStop hook: that fires on every restart.
#
# usage: scale-down.sh NEW_REPLICAS [STATEFULSET_NAME] [NAMESPACE]
set -eu

new=${1:?usage: scale-down.sh NEW_REPLICAS [STATEFULSET_NAME] [NAMESPACE]}
sts=${2:-cairn}
ns=${3:-default}

current=$(kubectl -n "$ns" get statefulset "$sts" -o jsonpath='{.spec.replicas}')
if [ "$new" -ge "$current" ]; then
  echo "scale-down: $sts already has $current replicas (asked for $new)" >&2
  exit 1
fi
if [ "$new" -lt 1 ]; then
  echo "scale-down: at least one member must remain" >&2
  exit 1
fi

ctl() { kubectl -n "$ns" exec "${sts}-0" -- etcdctl --endpoints http://localhost:2379 "$@"; }

i=$((current - 1))
while [ "$i" -ge "$new" ]; do
  member="${sts}-${i}"
  id=$(ctl member list | sed -n "s/^\([0-9a-f]*\)\(\[unstarted\]\)\{0,1\}: name=${member} .*/\1/p")
  if [ -n "$id" ]; then
    echo "scale-down: removing member ${member} (${id})"
    ctl member remove "$id"
  else
    echo "scale-down: ${member} is not a member any more"
  fi
  i=$((i - 1))
done

echo "scale-down: setting ${sts} to ${new} replicas"
kubectl -n "$ns" scale statefulset "$sts" --replicas="$new"
# Keep the founding-member count in step, for pods that later start on an empty volume.
kubectl -n "$ns" set env statefulset "$sts" CAIRN_REPLICAS="$new"
echo "scale-down: done. The volumes of removed pods (data-${sts}-N) are kept; delete them when sure."
