#!/bin/bash
# Runs every row of a manifest under qemu-riscv32.
#   run-manifest.sh write [MANIFEST BIN [SHARED]]   regenerate expected/NAME.stdout and .status
#   run-manifest.sh verify [MANIFEST BIN]           compare against expected/ (and the status column)
# MANIFEST defaults to programs.tsv and BIN to bin (ELFs are BIN/NAME.elf). In write mode, rows
# whose name also appears in the manifest SHARED are only verified: expected/ holds one output per
# name, and the rv32imac build of a program must print what its rv32i build printed.
# Rows with needs=sandbox get a fresh sandbox directory (see README.md), substituted
# for @SANDBOX@ in args and removed afterwards. stdin is /dev/null, stderr is ignored.
# For `escape` only the stdout up to and including the "--- escapes ---" line is kept.
set -u
mode=${1:-verify}
manifest=${2:-programs.tsv}
bin=${3:-bin}
shared=${4:-}
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here" || exit 1
qemu=${QEMU:-qemu-riscv32}
# qemu 7.2's default CPU plus Zbkb, Zbkx and Zfh (7.2 spells it Zfh): every extension rvjit runs (Tests/TestSupport's
# Toolchain.qemuCPU says the same)
export QEMU_CPU=${QEMU_CPU:-any,zbkb=true,zbkx=true,Zfh=true}
ulimit -c 0
mkdir -p expected
failed=
tmpout=$(mktemp)
trap 'rm -f "$tmpout"' EXIT

make_sandbox() {
    local sb
    sb=$(mktemp -d "${TMPDIR:-/tmp}/rvjit-sandbox.XXXXXX") || exit 1
    printf 'inside\n' > "$sb/inside.txt"
    ln -s /etc/passwd "$sb/link-out"
    mkdir "$sb/sub"
    echo "$sb"
}

tab=$'\t'
while IFS= read -r line; do
    # split by hand: `read` would merge the empty args field of "name<TAB><TAB>0"
    name=${line%%"$tab"*}; rest=${line#*"$tab"}
    args=${rest%%"$tab"*}; rest=${rest#*"$tab"}
    status=${rest%%"$tab"*}; rest=${rest#*"$tab"}
    needs=${rest%%"$tab"*}
    [ "$name" = name ] && continue
    [ -z "$name" ] && continue
    rowmode=$mode
    if [ "$mode" = write ] && [ -n "$shared" ] && cut -f1 "$shared" | grep -qx -- "$name"; then
        rowmode=verify
    fi
    sb=
    if [ "$needs" = sandbox ]; then
        sb=$(make_sandbox)
        args=${args//@SANDBOX@/$sb}
    fi
    # shellcheck disable=SC2086  # args are space-separated tokens
    # the subshell keeps bash's "Illegal instruction" job report off the terminal
    ( "$qemu" "$bin/$name.elf" $args < /dev/null > "$tmpout"; exit $? ) 2> /dev/null
    rc=$?
    if [ "$name" = escape ]; then
        sed -i '/^--- escapes ---$/q' "$tmpout"
    fi
    [ -n "$sb" ] && rm -rf "$sb"
    if [ "$rc" != "$status" ]; then
        echo "$bin/$name: exit status $rc, manifest says $status" >&2
        failed="$failed $name"
    fi
    if [ "$rowmode" = write ]; then
        cp "$tmpout" "expected/$name.stdout"
        echo "$rc" > "expected/$name.status"
        echo "$name: status $rc, $(wc -l < "$tmpout") lines"
    else
        if ! cmp -s "$tmpout" "expected/$name.stdout" || [ "$rc" != "$(cat "expected/$name.status" 2>/dev/null)" ]; then
            echo "$bin/$name: differs from expected/" >&2
            diff "expected/$name.stdout" "$tmpout" | head -10 >&2
            failed="$failed $name"
        fi
    fi
done < "$manifest"

if [ -n "$failed" ]; then
    echo "FAILED:$failed" >&2
    exit 1
fi
[ "$mode" = verify ] && echo "verify: all rows of $manifest ($bin/) match expected/"
exit 0
