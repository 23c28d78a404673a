/* priv-traps: synchronous traps on the rvjit bare machine.
 * ecall from M and U (causes 11, 8), ebreak (3), illegal instructions (2, mtval
 * = instruction word), misaligned fetch from jal/jalr/branches (0, mtval =
 * target, raised by the jump: mepc = the jump, rd unchanged), load/store/fetch
 * access faults (5, 7, 1, mtval = address), mepc values, mstatus MIE/MPIE/MPP
 * on trap entry and on mret (to M and to U), and that trapping instructions
 * do not retire. */
#include "priv.h"

RVTEST_BEGIN

/* ---- ecall from M ---- */
    TEST(1)
    li t0, -1
    csrw mtval, t0
    csrw mstatus, zero
1:  ecall
    CHECK_TRAP_AT(1b, 11, 0)        /* mtval is written with 0 */
    li t0, 0x1888
    and t0, s6, t0
    CHECK(t0, 0x1800)               /* MPP = M, MPIE = old MIE = 0, MIE = 0 */

    TEST(2)                         /* entry saves MIE in MPIE and clears MIE; mret restores it */
    csrw mie, zero
    csrsi mstatus, 8
1:  ecall
    CHECK_TRAP_AT(1b, 11, 0)
    li t0, 0x1888
    and t0, s6, t0
    CHECK(t0, 0x1880)
    csrr t0, mstatus
    andi t0, t0, 0x88
    CHECK(t0, 0x88)                 /* after mret: MIE = MPIE = 1, MPIE = 1 */
    csrw mstatus, zero

/* ---- ebreak: cause 3, mtval = pc of the ebreak or 0 ---- */
    TEST(3)
1:  ebreak
    CHECK(s7, 1)
    CHECK(s11, 3)
    la t0, 1b
    bne s9, t0, fail
    beqz s10, 2f
    bne s10, t0, fail
2:

/* ---- illegal instructions: mtval = the instruction word ---- */
    TEST(4)
1:  .word 0x00000000                /* all zeros: defined illegal */
    CHECK_ILLEGAL_AT(1b)

    TEST(5)
1:  .word 0xffffffff
    CHECK_ILLEGAL_AT(1b)

    TEST(6)
1:  .word 0x02b50533                /* mul a0, a0, a1: no M extension */
    CHECK_ILLEGAL_AT(1b)

    TEST(7)
1:  .word 0x10200073                /* sret: no S-mode */
    CHECK_ILLEGAL_AT(1b)

    TEST(8)
1:  .word 0x00200073                /* uret (N extension): not implemented */
    CHECK_ILLEGAL_AT(1b)

    TEST(9)
1:  .word 0x0000100b                /* custom-0 opcode */
    CHECK_ILLEGAL_AT(1b)

    TEST(10)                        /* fence, fence.i and nop-like forms are legal */
    fence
    fence.i
    fence rw, rw
    CHECK_NO_TRAP

/* ---- misaligned instruction fetch (no C: targets must be 4-byte aligned) ---- */
#ifndef REF_QEMU  /* QEMU 7.2: mtval of a misaligned jump is not the target */
    TEST(11)                        /* jal: trap on the jal, mtval = target, rd unchanged */
    li ra, 0x1111
1:  jal ra, 2f + 2
    j 3f
2:  j fail
    j fail
3:  CHECK(s7, 1)
    CHECK(s11, 0)
    la t0, 1b
    bne s9, t0, fail
    la t0, 2b + 2
    bne s10, t0, fail
    CHECK(ra, 0x1111)

#endif
#ifndef REF_QEMU  /* QEMU 7.2: mtval of a misaligned jump is not the target */
    TEST(12)                        /* jalr to base + 2 */
    la t1, 2f
    addi t1, t1, 2
    li t2, 0x2222
1:  jalr t2, 0(t1)
    j 3f
2:  j fail
    j fail
3:  CHECK(s7, 1)
    CHECK(s11, 0)
    la t0, 1b
    bne s9, t0, fail
    CHECK_EQ(s10, t1)
    CHECK(t2, 0x2222)

#endif
#ifndef REF_QEMU  /* QEMU 7.2: mtval of a misaligned jump is not the target */
    TEST(13)                        /* jalr clears bit 0: base + 1 is fine, base + 3 is base + 2 */
    la t1, 2f
    addi t1, t1, 1
    jalr t2, 0(t1)
    j fail
2:  CHECK_NO_TRAP
    la t1, 4f
    addi t1, t1, 3
1:  jalr t2, 0(t1)
    j 3f
4:  j fail
    j fail
3:  CHECK(s7, 1)
    CHECK(s11, 0)
    la t0, 1b
    bne s9, t0, fail
    addi t1, t1, -1
    CHECK_EQ(s10, t1)

#endif
#ifndef REF_QEMU  /* QEMU 7.2: mtval of a misaligned jump is not the target */
    TEST(14)                        /* taken branch to a misaligned target */
1:  beq zero, zero, 1b + 6
    j 2f
    j fail
2:  CHECK(s7, 1)
    CHECK(s11, 0)
    la t0, 1b
    bne s9, t0, fail
    addi t0, t0, 6
    CHECK_EQ(s10, t0)

#endif
    TEST(15)                        /* a branch not taken does not trap */
    bne zero, zero, . + 6
    blt zero, zero, . + 10
    CHECK_NO_TRAP

/* ---- access faults: mtval = the address; the destination is unchanged ---- */
    TEST(16)
    li t0, 0x5555
1:  lw t0, 0x10(zero)
    CHECK_TRAP_AT(1b, 5, 0x10)
    CHECK(t0, 0x5555)

    TEST(17)
    li t1, 0x7fffffff               /* the byte just below RAM */
1:  lbu t0, 0(t1)
    CHECK_TRAP_AT(1b, 5, 0x7fffffff)

    TEST(18)
    li t1, 0x88000000               /* the byte just past RAM */
1:  lb t0, 0(t1)
    CHECK_TRAP_AT(1b, 5, 0x88000000)

    TEST(19)
    li t1, 0x12345678
1:  sw t1, 0x10(zero)
    CHECK_TRAP_AT(1b, 7, 0x10)

    TEST(20)
    li t1, 0x88000000
1:  sb t1, 0(t1)
    CHECK_TRAP_AT(1b, 7, 0x88000000)

    TEST(21)                        /* fetch access fault: mepc = mtval = the target */
    la s8, 2f                       /* the handler resumes there */
    li t1, 0x10
1:  jalr ra, 0(t1)
    j fail
2:  CHECK(s7, 1)
    CHECK(s11, 1)
    CHECK(s9, 0x10)
    CHECK(s10, 0x10)
    la t0, 1b + 4
    CHECK_EQ(ra, t0)                /* the jalr itself retired */

/* ---- mret ---- */
    TEST(22)                        /* mret to M: MIE = MPIE, MPIE = 1, MPP = U */
    li t0, 0x1808                   /* MPP = M, MPIE = 0, MIE = 1 (mie is 0) */
    csrw mstatus, t0
    la t0, 1f
    csrw mepc, t0
    mret
    j fail
1:  csrr t0, mstatus
    li t1, 0x1888
    and t0, t0, t1
    CHECK(t0, 0x80)
    CHECK_NO_TRAP

    TEST(23)                        /* mret to U: lands at mepc in U; ecall from U is cause 8 */
    li t0, 0x1800
    csrc mstatus, t0                /* MPP = U */
    li t0, 0x80
    csrs mstatus, t0                /* MPIE = 1 */
    la t0, 1f
    csrw mepc, t0
    mret
    j fail
1:  ecall                           /* in U, with MIE = 1 */
    CHECK(s7, 1)
    CHECK(s11, 8)
    la t0, 1b
    bne s9, t0, fail
    CHECK(s10, 0)
    li t0, 0x1888
    and t0, s6, t0
    CHECK(t0, 0x80)                 /* MPP = U, MPIE = 1 (MIE was 1), MIE = 0 */
2:  csrr t0, mscratch               /* still in U after the handler's mret: illegal */
    CHECK(s7, 2)
    CHECK(s11, 2)
    la t0, 2b
    bne s9, t0, fail
    GO_M
    CHECK(s7, 3)
    CHECK(s11, 8)
    csrr t0, mscratch               /* back in M */
    CHECK(s7, 3)
    csrw mstatus, zero

/* ---- trapping instructions do not retire ---- */
#ifndef REF_QEMU  /* QEMU 7.2: -icount counts differently around traps */
    TEST(24)
    /* the common handler runs 12 instructions on this path (li GO_M_MAGIC is 2) */
    li a7, 0
    csrr t0, minstret
    ecall
    csrr t1, minstret
    sub t2, t1, t0
    CHECK(t2, 13)                   /* csrr + handler; the ecall itself does not count */
    csrr t0, minstret
    .word 0
    csrr t1, minstret
    sub t2, t1, t0
    CHECK(t2, 13)
    csrr t0, minstret
    lw t3, 0x10(zero)
    csrr t1, minstret
    sub t2, t1, t0
    CHECK(t2, 13)

#endif
    j pass

RVTEST_END
