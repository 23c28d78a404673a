/* priv-user: U-mode on the rvjit bare machine.
 * Entering U via mret; M-mode CSRs (read or write) and mret are illegal in U;
 * ebreak/ecall from U; the user counters cycle/time/instret (and their high
 * halves) readable from U only when their mcounteren bit is set, in every
 * combination tested both ways; counters stay read-only for U. */
#include "priv.h"

#define U_ILLEGAL(n, insn...)       \
    TEST(n);                        \
1:  insn;                           \
    CHECK_ILLEGAL_AT(1b);           \
    li t0, 0x1800;                  \
    and t0, s6, t0;                 \
    CHECK(t0, 0)                    /* the trap came from U */

#define U_LEGAL(n, insn...)         \
    TEST(n);                        \
    insn;                           \
    CHECK_NO_TRAP

RVTEST_BEGIN
    csrw mcounteren, zero
    GO_U

/* ---- M-mode CSRs and mret are illegal in U ---- */
    U_ILLEGAL(1, csrr t0, mscratch)
    U_ILLEGAL(2, csrw mstatus, zero)
    U_ILLEGAL(3, csrr t0, misa)
    U_ILLEGAL(4, csrr t0, mhartid)          /* read-only, but M-level */
    U_ILLEGAL(5, csrrs t0, mepc, x0)
    U_ILLEGAL(6, csrw mtvec, zero)
    U_ILLEGAL(7, csrr t0, mcycle)
    U_ILLEGAL(8, csrr t0, mcounteren)
    U_ILLEGAL(9, mret)

    TEST(10)                                /* ebreak from U */
1:  ebreak
    CHECK(s7, 1)
    CHECK(s11, 3)
    la t0, 1b
    bne s9, t0, fail
    li t0, 0x1800
    and t0, s6, t0
    CHECK(t0, 0)

    TEST(11)                                /* ecall from U: cause 8, mepc = the ecall */
    li a7, 0
1:  ecall
    CHECK_TRAP_AT(1b, 8, 0)

/* ---- counters with mcounteren = 0: all illegal from U ---- */
    U_ILLEGAL(12, rdcycle t0)
    U_ILLEGAL(13, rdtime t0)
    U_ILLEGAL(14, rdinstret t0)
    U_ILLEGAL(15, rdcycleh t0)
    U_ILLEGAL(16, rdtimeh t0)
    U_ILLEGAL(17, rdinstreth t0)

/* ---- mcounteren = 7: all readable ---- */
    TEST(18)
    GO_M
    li t0, 7
    csrw mcounteren, t0
    li t0, 500
    csrw minstret, t0
    GO_U
#ifndef REF_QEMU  /* QEMU 7.2: the spike machine has no time CSR */
    U_LEGAL(19, rdcycle t0; rdtime t1; rdinstret t2; rdcycleh t3; rdtimeh t4; rdinstreth t5)
#else
    U_LEGAL(19, rdcycle t0; rdinstret t2; rdcycleh t3; rdinstreth t5)
#endif
    TEST(20)
    li t0, 500
    bltu t2, t0, fail                       /* U sees minstret as written by M, plus a few */
    li t0, 600
    bgeu t2, t0, fail
    CHECK(t5, 0)
    TEST(21)
    rdinstret t0
    rdinstret t1
    sub t2, t1, t0
    CHECK(t2, 1)

/* ---- counters stay read-only for U ---- */
    U_ILLEGAL(22, csrw cycle, zero)
    U_ILLEGAL(23, csrrsi t0, instret, 1)

/* ---- mcounteren = CY | IR ---- */
    TEST(24)
    GO_M
    li t0, 5
    csrw mcounteren, t0
    GO_U
    U_LEGAL(25, rdcycle t0; rdinstret t1; rdcycleh t2; rdinstreth t3)
    U_ILLEGAL(26, rdtime t0)
    U_ILLEGAL(27, rdtimeh t0)

/* ---- mcounteren = TM ---- */
    TEST(28)
    GO_M
    li t0, 2
    csrw mcounteren, t0
    GO_U
#ifndef REF_QEMU  /* QEMU 7.2: the spike machine has no time CSR */
    U_LEGAL(29, rdtime t0; rdtimeh t1)
#endif
    U_ILLEGAL(30, rdcycle t0)
    U_ILLEGAL(31, rdinstret t0)
    U_ILLEGAL(32, rdinstreth t0)

/* ---- and back to none ---- */
    TEST(33)
    GO_M
    csrw mcounteren, zero
    GO_U
    U_ILLEGAL(34, rdtime t0)

#ifndef REF_QEMU  /* QEMU 7.2: the spike machine has no time CSR */
    TEST(35)                                /* M-mode reads counters whatever mcounteren says */
    GO_M
    rdcycle t0
    rdtime t1
    rdinstret t2
    CHECK(s7, 1)                            /* only the GO_M ecall */

#endif
    j pass

RVTEST_END
