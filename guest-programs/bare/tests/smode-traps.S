/* smode-traps: ebreak from S and U, not delegated (to M) and delegated (to S),
 * with SPP telling where it came from; ecall from U not delegated (cause 8 in
 * M); instruction-address-misaligned fetch by a jump from S (to M) and from U
 * (delegated, to S): with C the target at +2 is legal and runs, without C the
 * jump traps with the target in mtval/stval and the jump's pc in mepc/sepc.
 * One ELF, two rows: --isa rv32i and --isa rv32ic (the test reads misa.C). */
#include "smode.h"

/* A jump to the halfword after label 2; with C: two c.nops there, then t0 = 1.
 * Without C: the jump traps and the handler resumes at the `j 3f` after it. */
#define MISALIGNED_JUMP             \
    li t0, 0;                       \
1:  jal ra, 2f + 2;                 \
    j 3f;                           \
    .balign 4;                      \
2:  .half 0x0001;                   \
    .half 0x0001;                   \
    li t0, 1;                       \
    j 3f;                           \
3:

/* After MISALIGNED_JUMP: with C (s4 != 0) no trap and the target ran; without
 * C one trap, cause 0, at the jump (label 1), tval = label 2 + 2. */
#define CHECK_MISALIGNED_JUMP       \
    beqz s4, 4f;                    \
    CHECK_NO_TRAP;                  \
    CHECK(t0, 1);                   \
    j 5f;                           \
4:  CHECK(t0, 0);                   \
    CHECK(s7, 1);                   \
    CHECK(s11, 0);                  \
    la t6, 1b;                      \
    bne s9, t6, fail;               \
    la t6, 2b;                      \
    addi t6, t6, 2;                 \
    bne s10, t6, fail;              \
5:

RVTEST_BEGIN
    la t0, s_trap_handler
    csrw stvec, t0
    csrr s4, misa                   /* M-level: read it here, in M */
    andi s4, s4, 1 << 2             /* C */
    li t0, 1 << 8                   /* U's ecall goes to S (U_GO_S) */
    csrw medeleg, t0
    GO_S

/* ---- ebreak, not delegated: to M ---- */
    TEST(1)                         /* from S */
1:  ebreak
    CHECK(s7, 1)
    CHECK(s11, 3)
    la t0, 1b
    bne s9, t0, fail
    li t0, 3 << 11
    and t0, s6, t0
    CHECK(t0, 1 << 11)              /* MPP = S */

    TEST(2)                         /* from U */
    S_GO_U
    li s7, 0
1:  ebreak
    CHECK(s7, 1)
    CHECK(s11, 3)
    la t0, 1b
    bne s9, t0, fail
    li t0, 3 << 11
    and t0, s6, t0
    CHECK(t0, 0)                    /* MPP = U */
    U_GO_S

/* ---- ebreak, delegated: to S ---- */
    TEST(3)
    GO_M
    li t0, (1 << 8) | (1 << 3)
    csrw medeleg, t0
    GO_S
    li s7, 0
1:  ebreak                          /* from S */
    CHECK(s7, 1)
    CHECK(s11, 3)
    la t0, 1b
    bne s9, t0, fail
    li t0, 1 << 8
    and t0, s6, t0
    CHECK(t0, 1 << 8)               /* SPP = S */

    TEST(4)                         /* from U */
    S_GO_U
    li s7, 0
1:  ebreak
    CHECK(s7, 1)
    CHECK(s11, 3)
    la t0, 1b
    bne s9, t0, fail
    li t0, 1 << 8
    and t0, s6, t0
    CHECK(t0, 0)                    /* SPP = U */
    U_GO_S

/* ---- ecall from U, not delegated: cause 8 in M ---- */
    TEST(5)
    GO_M
    li t0, 1 << 3
    csrw medeleg, t0
    GO_U
    li s7, 0
    li a7, 0
1:  ecall
    CHECK_TRAP_AT(1b, 8, 0)
    GO_M                            /* (not delegated: back to M) */

/* ---- misaligned fetch ---- */
#ifndef REF_QEMU  /* QEMU 7.2: mtval of a misaligned jump is not the target */
    TEST(6)                         /* from S, not delegated: to M */
    li t0, 1 << 8
    csrw medeleg, t0
    GO_S
    li s7, 0
    MISALIGNED_JUMP
    CHECK_MISALIGNED_JUMP

    TEST(7)                         /* from U, delegated: to S */
    GO_M
    li t0, (1 << 8) | (1 << 0)
    csrw medeleg, t0
    GO_S
    S_GO_U
    li s7, 0
    MISALIGNED_JUMP
    CHECK_MISALIGNED_JUMP
    U_GO_S
#endif

    j pass

    S_HANDLER
RVTEST_END
