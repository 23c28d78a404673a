#!/bin/sh
# Usage: bench-host.sh [NAME...]
# Builds bench/NAME.c for the host (-DHOST: the host C library instead of the guest
# runtime) and runs every row of bench/benchmarks.tsv with it, comparing stdout with
# the manifest's line: an independent cross-check of the recorded checksums (a
# different compiler target and ABI must give the same answers). With names, runs
# those programs with their manifest arguments and prints their output. Rows NAME@SET
# (a set's own size) run too: the host computes every set's answer.
set -u
cd "$(dirname "$0")/.." || exit 1
cc=${HOSTCC:-cc}
tmp=$(mktemp -d) && trap 'rm -rf "$tmp"' EXIT
status=0
tab=$(printf '\t')
while IFS= read -r line; do
    # split by hand: `read` would merge an empty args field
    name=${line%%"$tab"*}; rest=${line#*"$tab"}
    args=${rest%%"$tab"*}; want=${rest#*"$tab"}
    [ "$name" = name ] && continue
    name=${name%@*}
    if [ $# -gt 0 ]; then
        case " $* " in *" $name "*) ;; *) continue ;; esac
    fi
    # no fused multiply-add: the float workloads' answers are those of separate operations
    $cc -O2 -DHOST -ffp-contract=off -Wall -Wextra -Ibench -o "$tmp/$name" "bench/$name.c" || { status=1; continue; }
    # shellcheck disable=SC2086
    got=$("$tmp/$name" $args)
    rc=$?
    if [ $# -gt 0 ]; then
        echo "$got (status $rc)"
    elif [ $rc -ne 0 ] || [ "$got" != "$want" ]; then
        echo "bench-host: $name $args: status $rc, got: $got" >&2
        echo "                  want: $want" >&2
        status=1
    fi
done < bench/benchmarks.tsv
[ $# -eq 0 ] && [ $status -eq 0 ] && echo "bench-host: every row matches on the host"
exit $status
