#!/bin/sh
# Usage: icount.sh ELF [args...] -- approximate count of executed guest instructions under qemu-riscv32
log=$(mktemp)
qemu-riscv32 -singlestep -d exec,nochain -D "$log" "$@" >/dev/null
grep -c '^Trace' "$log"
rm -f "$log"
