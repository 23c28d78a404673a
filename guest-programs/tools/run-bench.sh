#!/bin/bash
# Usage: run-bench.sh BINDIR [NAME...]
# Runs every row of bench/benchmarks.tsv (or only the named ones) under qemu-riscv32
# with BINDIR/NAME.elf (bench/bin, bench/bin-rv32imac or bench/bin-rv32imafdc), checks the
# exit status (0) and that stdout is exactly the manifest's line, and prints the wall time of
# each. A row NAME@SET replaces NAME's row for that set (bin/ is rv32i, bin-SET/ is SET).
set -u
cd "$(dirname "$0")/.." || exit 1
bin=${1:?usage: run-bench.sh BINDIR [NAME...]}; shift
qemu=${QEMU:-qemu-riscv32}
tab=$'\t'
set_name=$(basename "$bin"); set_name=${set_name#bin-}; [ "$set_name" = bin ] && set_name=rv32i
failed=
while IFS= read -r line; do
    # split by hand: `read` would merge an empty args field
    name=${line%%"$tab"*}; rest=${line#*"$tab"}
    args=${rest%%"$tab"*}; want=${rest#*"$tab"}
    [ "$name" = name ] && continue
    case $name in
    *@*) [ "${name#*@}" = "$set_name" ] || continue; name=${name%@*} ;;
    *) grep -q "^$name@$set_name$tab" bench/benchmarks.tsv && continue ;;
    esac
    if [ $# -gt 0 ]; then
        case " $* " in *" $name "*) ;; *) continue ;; esac
    fi
    start=$(date +%s%N)
    # shellcheck disable=SC2086  # args are space-separated tokens
    got=$("$qemu" "$bin/$name.elf" $args < /dev/null 2> /dev/null)
    rc=$?
    end=$(date +%s%N)
    ms=$(( (end - start) / 1000000 ))
    if [ $rc -ne 0 ] || [ "$got" != "$want" ]; then
        printf '%-8s %6d ms  FAILED (status %d): %s\n' "$name" "$ms" "$rc" "$got"
        failed="$failed $name"
    else
        printf '%-8s %6d ms  %s\n' "$name" "$ms" "$got"
    fi
done < bench/benchmarks.tsv
if [ -n "$failed" ]; then
    echo "run-bench ($bin):$failed FAILED" >&2
    exit 1
fi
echo "run-bench: every row of bench/benchmarks.tsv passes with $bin/"
