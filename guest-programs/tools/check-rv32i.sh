#!/bin/sh
# Usage: check-rv32i.sh OBJDUMP ELF...
# Fails if any disassembled instruction is not a 32-bit RV32I base instruction
# (catches compressed, M, A, F, Zicsr... encodings).
objdump=$1; shift
allowed=" lui auipc jal jalr beq bne blt bge bltu bgeu lb lh lw lbu lhu sb sh sw addi slti sltiu xori ori andi slli srli srai add sub sll slt sltu xor srl sra or and fence fence.tso fence.i ecall ebreak "
status=0
for elf in "$@"; do
    # fence.i is written as a raw word (0000100f) since -march=rv32i lacks Zifencei;
    # illegal.elf deliberately contains the all-zero word.
    case "$elf" in */illegal.elf|illegal.elf) zero_ok=1 ;; *) zero_ok=0 ;; esac
    bad=$("$objdump" -d -M no-aliases "$elf" | awk -F'\t' -v allowed="$allowed" -v zero_ok=$zero_ok '
        /^ *[0-9a-f]+:\t/ {
            raw = $2; gsub(/ /, "", raw)
            m = $3; gsub(/ /, "", m)
            if (raw == "0000100f") next
            if (raw == "00000000" && zero_ok) next
            if (length(raw) != 8 || index(allowed, " " m " ") == 0) print $0
        }')
    if [ -n "$bad" ]; then
        echo "$elf: non-RV32I instructions:" >&2
        echo "$bad" | head -5 >&2
        status=1
    fi
done
[ $status -eq 0 ] && echo "check-isa: $# ELFs contain only RV32I instructions"
exit $status
