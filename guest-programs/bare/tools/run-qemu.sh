#!/bin/bash
# Usage: tools/run-qemu.sh ELF [timeout-seconds]
# Runs a bare ELF on QEMU's spike machine as a reference, with the CPU cut down
# to the rvjit bare machine as far as QEMU allows (RV32I, no C/M/A/F/D, no S/H,
# no PMP/MMU, privileged spec 1.12) and -icount shift=0 so counters follow the
# instruction count. Prints the guest's output (QEMU's HTIF makes a NUL byte
# before each character but the first: stripped) and exits with the guest's status.
elf=$1
secs=${2:-20}
cpu="rv32,c=false,s=false,h=false,m=false,a=false,f=false,d=false,pmp=false,mmu=false,priv_spec=v1.12.0,mvendorid=0,marchid=0,mimpid=0"
# Programs for an M+S+U hart (programs.tsv: --priv msu): S-mode and the Sv32 MMU on.
if [ -n "$RVJIT_QEMU_SMODE" ]; then
    cpu="rv32,c=${RVJIT_QEMU_C:-false},s=true,h=false,m=false,a=false,f=false,d=false,pmp=false,mmu=true,priv_spec=v1.12.0,mvendorid=0,marchid=0,mimpid=0"
fi
timeout "$secs" qemu-system-riscv32 -machine spike -cpu "$cpu" -m 128M -icount shift=0 \
    -bios none -kernel "$elf" -nographic -monitor none -serial stdio </dev/null | tr -d '\000'
exit ${PIPESTATUS[0]}
