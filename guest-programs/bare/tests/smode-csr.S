/* smode-csr: supervisor mode on the rvjit bare machine (`--priv msu`).
 * misa.S; medeleg/mideleg; sstatus, sie and sip as views of mstatus, mie and
 * mip; the S-level CSRs hold their values; M-level CSRs are illegal in S;
 * ecall from S (cause 9) and delegated ecall/illegal instruction from U to S;
 * sret to U and back; sret illegal in U and, with TSR, in S; TVM makes satp
 * and sfence.vma illegal in S; TW makes wfi illegal in S, and wfi is illegal
 * in U; counters in U need mcounteren and scounteren; delegated supervisor
 * software and timer interrupts, and their enables; MPP keeps S. */
#include "smode.h"

RVTEST_BEGIN
    la t0, s_trap_handler
    csrw stvec, t0

/* ---- machine-level view ---- */
    TEST(1)
    csrr t0, misa
    CHECK(t0, 0x40140100)           /* RV32, I, S, U */

#ifndef REF_QEMU  /* QEMU 7.2 delegates SEIP and more exceptions */
    TEST(2)
    li t0, -1
    csrw medeleg, t0
    csrr t1, medeleg
    CHECK(t1, 0xb3ff)               /* everything but ecall from M (11) and the reserved 10, 14 */
    csrw mideleg, t0
    csrr t1, mideleg
    CHECK(t1, 0x22)                 /* SSIP, STIP */
    csrw medeleg, zero
    csrw mideleg, zero
#endif

    TEST(3)                         /* MPP = S sticks */
    li t0, 1 << 11
    csrw mstatus, t0
    csrr t1, mstatus
    li t2, 3 << 11
    and t1, t1, t2
    CHECK(t1, 1 << 11)
    csrw mstatus, zero

    TEST(4)                         /* sstatus shows SIE SPIE SPP SUM MXR of mstatus, not M bits */
    li t0, 0x000c0122
    csrs mstatus, t0
    csrr t1, sstatus
    and t1, t1, t0
    CHECK(t1, 0x000c0122)
    li t0, 0x1888                   /* MPP, MPIE, MIE: invisible in sstatus */
    csrs mstatus, t0
    csrr t1, sstatus
    and t1, t1, t0
    CHECK(t1, 0)
    li t0, 0x000c0122
    csrc sstatus, t0
    csrr t1, mstatus
    li t2, 0x000c1aaa
    and t1, t1, t2
    CHECK(t1, 0x1888)               /* cleared through sstatus; M bits kept */
    csrw mstatus, zero

    TEST(5)                         /* sie = mie & mideleg; writes reach only delegated bits */
    li t0, 0x22
    csrw mideleg, t0
    li t0, 0xaa
    csrw mie, t0
    csrr t1, sie
    CHECK(t1, 0x22)
    csrw sie, zero
    csrr t1, mie
    CHECK(t1, 0x88)
    csrw mideleg, zero
    li t0, -1
    csrw sie, t0
    csrr t1, mie
    CHECK(t1, 0x88)
    csrw mie, zero

/* ---- in S-mode ---- */
    TEST(6)
    GO_S
    li t0, 0x12345678
    csrw sscratch, t0
    csrr t1, sscratch
    CHECK(t1, 0x12345678)
    li t0, 0x80001234
    csrw sepc, t0
    csrr t1, sepc
    CHECK(t1, 0x80001234)
    li t0, 0x8000000d
    csrw scause, t0
    csrr t1, scause
    CHECK(t1, 0x8000000d)
    li t0, 0xcafef00d
    csrw stval, t0
    csrr t1, stval
    CHECK(t1, 0xcafef00d)
    CHECK_NO_TRAP

    TEST(7)                         /* M-level CSRs are illegal in S (trap to M: not delegated) */
1:  csrr t0, mstatus
    CHECK_ILLEGAL_AT(1b)
    li t0, 0x1800
    and t0, s6, t0
    CHECK(t0, 0x0800)               /* MPP = S */

    TEST(8)
1:  csrr t0, mscratch
    CHECK_ILLEGAL_AT(1b)

    TEST(9)                         /* ecall from S: cause 9, to M */
    li a7, 0
1:  ecall
    CHECK_TRAP_AT(1b, 9, 0)

    TEST(10)                        /* mret is illegal in S */
1:  mret
    CHECK_ILLEGAL_AT(1b)

/* ---- delegation: U's ecall and illegal instructions go to S ---- */
    TEST(11)
    GO_M
    li t0, (1 << 8) | (1 << 2)
    csrw medeleg, t0
    GO_S
    S_GO_U
    li s7, 0
    li a7, 0
1:  ecall
    CHECK_TRAP_AT(1b, 8, 0)         /* in S's registers */
    li t0, 1 << 8
    and t0, s6, t0
    CHECK(t0, 0)                    /* SPP = U */

    TEST(12)
1:  csrr t0, sstatus                /* S-level CSR from U */
    CHECK_ILLEGAL_AT(1b)

    TEST(13)
1:  sret                            /* illegal in U */
    CHECK_ILLEGAL_AT(1b)

    TEST(14)
1:  wfi                             /* illegal in U when S exists */
    CHECK_ILLEGAL_AT(1b)

    TEST(15)                        /* back to S: SPP = S on the way in */
    U_GO_S
    CHECK(s7, 1)
    csrr t0, sstatus
    li t1, 1 << 8
    and t0, t0, t1
    CHECK(t0, 0)                    /* sret cleared SPP */

    TEST(16)                        /* a delegated illegal instruction from S goes to S */
1:  csrr t0, mepc
    CHECK_ILLEGAL_AT(1b)
    li t0, 1 << 8
    and t0, s6, t0
    CHECK(t0, 1 << 8)               /* SPP = S */

    TEST(17)                        /* sret with SPIE: SIE restored, SPIE set */
    li t0, 1 << 5
    csrs sstatus, t0
    la t0, 1f
    csrw sepc, t0
    li t0, 1 << 8
    csrs sstatus, t0                /* back to S */
    sret
1:  csrr t0, sstatus
    andi t0, t0, 0x122
    CHECK(t0, 0x22)                 /* SIE = 1, SPIE = 1, SPP = 0 */
    csrci sstatus, 2
    CHECK_NO_TRAP

/* ---- TSR, TVM, TW ---- */
    TEST(18)
    GO_M
    csrw medeleg, zero
    li t0, (1 << 22) | (1 << 20) | (1 << 21)
    csrs mstatus, t0
    GO_S
    TEST(19)
1:  sret
    CHECK_ILLEGAL_AT(1b)
    TEST(20)
1:  csrr t0, satp
    CHECK_ILLEGAL_AT(1b)
    TEST(21)
1:  sfence.vma
    CHECK_ILLEGAL_AT(1b)
    TEST(22)
1:  wfi
    CHECK_ILLEGAL_AT(1b)
    TEST(23)
    GO_M
    li t0, (1 << 22) | (1 << 20) | (1 << 21)
    csrc mstatus, t0
    GO_S
    li s7, 0
    csrr t0, satp
    CHECK(t0, 0)
    sfence.vma
    CHECK_NO_TRAP

/* ---- counters: U needs mcounteren and scounteren; S needs mcounteren ---- */
    TEST(24)
    GO_M
    csrw mcounteren, zero
    GO_S
    li s7, 0
1:  rdinstret t0
    CHECK_ILLEGAL_AT(1b)
    TEST(25)
    GO_M
    li t0, 7
    csrw mcounteren, t0
    GO_S
    li s7, 0
    rdinstret t0
    CHECK_NO_TRAP
    csrw scounteren, zero
    S_GO_U
    TEST(26)
1:  rdinstret t0
    CHECK_ILLEGAL_AT(1b)            /* to M: medeleg is 0 now */
    TEST(27)
    GO_M
    GO_S
    li t0, 7
    csrw scounteren, t0
    S_GO_U
    li s7, 0
    rdinstret t0
    rdcycle t1
    CHECK_NO_TRAP
    GO_M

/* ---- supervisor software and timer interrupts, delegated ---- */
    TEST(28)
    li t0, 0x22
    csrw mideleg, t0
    li t0, 1 << 8                   /* ecall from U to S */
    csrw medeleg, t0
    GO_S
    csrci sstatus, 2                /* SIE = 0 (the last sret set it from SPIE) */
    li t0, 2                        /* SSIE */
    csrw sie, t0
    csrsi sip, 2                    /* SSIP pending, but SIE = 0 in S: not taken */
    nop
    CHECK_NO_TRAP
    csrr t0, sip
    CHECK(t0, 2)
    TEST(29)
    csrsi sstatus, 2                /* SIE: taken now */
1:  nop
    CHECK(s7, 1)
    li t0, 0x80000001
    CHECK_EQ(s11, t0)
    csrci sstatus, 2
    csrci sip, 2
    csrr t0, sip
    CHECK(t0, 0)

    TEST(30)                        /* M sets STIP; taken in U with sstatus.SIE = 0 */
    GO_M
    li t0, 1 << 5
    csrs mip, t0
    GO_S
    csrci sstatus, 2
    li t0, 1 << 5                   /* STIE */
    csrw sie, t0
    li s7, 0
    CHECK_NO_TRAP                   /* SIE = 0 in S: pending, not taken */
    csrr t0, sip
    CHECK(t0, 1 << 5)
    S_GO_U
1:  nop
    CHECK(s7, 1)
    li t0, 0x80000005
    CHECK_EQ(s11, t0)
    CHECK(s10, 0)
    U_GO_S
    GO_M
    li t0, 1 << 5
    csrc mip, t0
    csrw mideleg, zero
    csrw medeleg, zero
    CHECK(s7, 3)                    /* the interrupt and the two GO_*s */

    TEST(31)                        /* an S-level interrupt is never taken in M */
    li t0, 0x22
    csrw mideleg, t0
    li t0, 0x22
    csrw mie, t0
    csrsi mip, 2
    csrsi mstatus, 8
    nop
    CHECK_NO_TRAP
    csrci mstatus, 8
    csrci mip, 2
    csrw mie, zero
    csrw mideleg, zero

    j pass

    S_HANDLER
RVTEST_END
