#!/bin/bash
# Runs every row of programs.tsv under qemu-riscv32.
#   run-manifest.sh write    regenerate expected/NAME.stdout and expected/NAME.status
#   run-manifest.sh verify   compare against expected/ (and the manifest's status column)
# Rows with needs=sandbox get a fresh sandbox directory (see README.md), substituted
# for @SANDBOX@ in args and removed afterwards. stdin is /dev/null, stderr is ignored.
# For `escape` only the stdout up to and including the "--- escapes ---" line is kept.
set -u
mode=${1:-verify}
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here" || exit 1
qemu=${QEMU:-qemu-riscv32}
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
    sb=
    if [ "$needs" = sandbox ]; then
        sb=$(make_sandbox)
        args=${args//@SANDBOX@/$sb}
    fi
    # shellcheck disable=SC2086  # args are space-separated tokens
    # the subshell keeps bash's "Illegal instruction" job report off the terminal
    ( "$qemu" "bin/$name.elf" $args < /dev/null > "$tmpout"; exit $? ) 2> /dev/null
    rc=$?
    if [ "$name" = escape ]; then
        sed -i '/^--- escapes ---$/q' "$tmpout"
    fi
    [ -n "$sb" ] && rm -rf "$sb"
    if [ "$rc" != "$status" ]; then
        echo "$name: exit status $rc, manifest says $status" >&2
        failed="$failed $name"
    fi
    if [ "$mode" = write ]; then
        cp "$tmpout" "expected/$name.stdout"
        echo "$rc" > "expected/$name.status"
        echo "$name: status $rc, $(wc -l < "$tmpout") lines"
    else
        if ! cmp -s "$tmpout" "expected/$name.stdout" || [ "$rc" != "$(cat "expected/$name.status" 2>/dev/null)" ]; then
            echo "$name: differs from expected/" >&2
            diff "expected/$name.stdout" "$tmpout" | head -10 >&2
            failed="$failed $name"
        fi
    fi
done < programs.tsv

if [ -n "$failed" ]; then
    echo "FAILED:$failed" >&2
    exit 1
fi
[ "$mode" = verify ] && echo "verify: all rows match expected/"
exit 0
