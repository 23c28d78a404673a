#!/bin/sh
# Usage: check-rv32imac.sh OBJDUMP ELF...
# Checks the rv32imac set:
#  - every disassembled instruction is an RV32I, M, A or C instruction (no F, D, Zicsr...;
#    the raw fence.i word 0000100f is accepted, and illegal.elf's all-zero word);
#  - every ELF holds compressed instructions (it really was built with C);
#  - an ELF whose rv32i build (same path with bin-rv32imac -> bin) calls libgcc's
#    multiply/divide helpers holds M instructions instead, and calls no such helper;
#  - the M and A tests hold the instructions they test.
objdump=$1; shift
allowed=" lui auipc jal jalr beq bne blt bge bltu bgeu lb lh lw lbu lhu sb sh sw addi slti sltiu xori ori andi slli srli srai add sub sll slt sltu xor srl sra or and fence fence.tso fence.i ecall ebreak"
allowed="$allowed mul mulh mulhsu mulhu div divu rem remu"
allowed="$allowed lr.w sc.w amoswap.w amoadd.w amoxor.w amoand.w amoor.w amomin.w amomax.w amominu.w amomaxu.w"
allowed="$allowed c.addi4spn c.lw c.sw c.nop c.addi c.jal c.li c.addi16sp c.lui c.srli c.srai c.andi c.sub c.xor c.or c.and c.j c.beqz c.bnez c.slli c.lwsp c.jr c.mv c.ebreak c.jalr c.add c.swsp "
helpers='^(__mulsi3|__divsi3|__udivsi3|__modsi3|__umodsi3)$'
status=0
fail() { echo "$elf: $*" >&2; status=1; }
for elf in "$@"; do
    case "$elf" in */illegal.elf|illegal.elf) zero_ok=1 ;; *) zero_ok=0 ;; esac
    # one line per instruction: "KIND MNEMONIC" (KIND: c = 2-byte, w = 4-byte), or "BAD <line>"
    kinds=$("$objdump" -d -M no-aliases "$elf" | awk -F'\t' -v allowed="$allowed " -v zero_ok=$zero_ok '
        /^ *[0-9a-f]+:\t/ {
            raw = $2; gsub(/ /, "", raw)
            m = $3; gsub(/ /, "", m)
            sub(/\.(aqrl|aq|rl)$/, "", m)
            if (raw == "0000100f") { print "w fence.i"; next }
            if (raw == "00000000" && zero_ok) next
            if (length(raw) == 4 && m ~ /^c\./ && index(allowed, " " m " ")) { print "c " m; next }
            if (length(raw) == 8 && m !~ /^c\./ && index(allowed, " " m " ")) { print "w " m; next }
            print "BAD " $0
        }')
    bad=$(echo "$kinds" | grep '^BAD ' | head -5)
    [ -n "$bad" ] && fail "instructions outside RV32IMAC:
$bad"
    echo "$kinds" | grep -q '^c ' || fail "no compressed instructions"
    syms=$("$objdump" -t "$elf" | awk '{ print $NF }')
    echo "$syms" | grep -Eq "$helpers" && fail "calls libgcc multiply/divide helpers"
    has_m=$(echo "$kinds" | grep -Ec '^w (mul|mulh|mulhsu|mulhu|div|divu|rem|remu)$')
    has_a=$(echo "$kinds" | grep -Ec '^w (lr|sc|amo[a-z]*)\.w$')
    rv32i=$(echo "$elf" | sed 's|bin-rv32imac/|bin/|')
    need_m=0
    if [ "$rv32i" != "$elf" ] && [ -f "$rv32i" ] && "$objdump" -t "$rv32i" | awk '{ print $NF }' | grep -Eq "$helpers"; then
        need_m=1
    fi
    name=$(basename "$elf" .elf)
    case "$name" in isa-mul|isa-div) need_m=1 ;; esac
    [ $need_m = 1 ] && [ "$has_m" = 0 ] && fail "no M instructions (expected: its rv32i build multiplies or divides)"
    case "$name" in isa-amo|isa-lrsc) [ "$has_a" = 0 ] && fail "no A instructions" ;; esac
done
[ $status -eq 0 ] && echo "check-isa: $# ELFs contain only RV32IMAC instructions, compressed ones in each, M and A where expected"
exit $status
