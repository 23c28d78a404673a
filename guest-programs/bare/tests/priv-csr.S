/* priv-csr: Zicsr semantics on the rvjit bare machine (M-mode only).
 * Read/write/set/clear and their immediate forms, the x0 / uimm=0 no-write
 * rule, WARL fields (mstatus.MPP, mtvec.MODE, mepc[1:0], mie), read-only CSRs
 * (reads legal, any write attempt illegal), unknown CSRs, misa and the ID
 * registers, medeleg/mideleg, mcounteren, and the counters (minstret writes,
 * 64-bit halves, user counters readable in M-mode, time vs CLINT mtime). */
#include "priv.h"

RVTEST_BEGIN

/* ---- csrrw / csrrs / csrrc on mscratch ---- */
    TEST(1)
    li t1, 0x12345678
    csrw mscratch, t1
    li t1, 0x9abcdef0
    csrrw t0, mscratch, t1          /* returns the old value */
    CHECK(t0, 0x12345678)
    csrr t0, mscratch
    CHECK(t0, 0x9abcdef0)

    TEST(2)
    li t1, 0xf0f0f0f0
    csrw mscratch, t1
    li t1, 0x0f000001
    csrrs t0, mscratch, t1
    CHECK(t0, 0xf0f0f0f0)
    csrr t0, mscratch
    CHECK(t0, 0xfff0f0f1)

    TEST(3)
    li t1, 0xf0000001
    csrrc t0, mscratch, t1
    CHECK(t0, 0xfff0f0f1)
    csrr t0, mscratch
    CHECK(t0, 0x0ff0f0f0)

    TEST(4)                         /* rd == rs1: the old value and the new one swap */
    li t0, 0x55aa
    csrrw t0, mscratch, t0
    CHECK(t0, 0x0ff0f0f0)
    csrr t0, mscratch
    CHECK(t0, 0x55aa)

    TEST(5)                         /* immediate forms: uimm is 5 bits, zero-extended */
    csrrwi t0, mscratch, 31
    CHECK(t0, 0x55aa)
    csrr t0, mscratch
    CHECK(t0, 31)
    csrrci t0, mscratch, 0x11
    CHECK(t0, 31)
    csrr t0, mscratch
    CHECK(t0, 0x0e)
    csrrsi t0, mscratch, 0x10
    CHECK(t0, 0x0e)
    csrr t0, mscratch
    CHECK(t0, 0x1e)

    TEST(6)                         /* rs1 = x0 / uimm = 0: set and clear do not write */
    csrrs t0, mscratch, x0
    csrrc t1, mscratch, x0
    csrrsi t2, mscratch, 0
    csrrci t3, mscratch, 0
    CHECK(t0, 0x1e)
    CHECK(t1, 0x1e)
    CHECK(t2, 0x1e)
    CHECK(t3, 0x1e)
    csrr t0, mscratch
    CHECK(t0, 0x1e)
    CHECK_NO_TRAP

    TEST(7)                         /* rd = x0 still writes */
    li t1, 0x777
    csrrw x0, mscratch, t1
    csrr t0, mscratch
    CHECK(t0, 0x777)
    csrrwi x0, mscratch, 0
    csrr t0, mscratch
    CHECK(t0, 0)
    CHECK_NO_TRAP

/* ---- read-only CSRs: reads are legal, every write attempt is illegal ---- */
    TEST(8)
    li t0, -1
    li t1, -1
    li t2, -1
    li t3, -1
    csrrs t0, mhartid, x0
    csrrc t1, mvendorid, x0
    csrrsi t2, marchid, 0
    csrrci t3, mimpid, 0
    CHECK_NO_TRAP
    CHECK(t0, 0)
    CHECK(t1, 0)
    CHECK(t2, 0)
    CHECK(t3, 0)

    TEST(9)
    csrr t0, misa
    CHECK(t0, 0x40100100)           /* RV32, I, U */
    csrw misa, zero                 /* misa is MRW but fixed: the write is ignored */
    csrr t0, misa
    CHECK(t0, 0x40100100)
    CHECK_NO_TRAP

    TEST(10)                        /* csrrw writes even with rs1 = x0 */
    li t0, 0x5555
1:  csrrw t0, mhartid, x0
    CHECK_ILLEGAL_AT(1b)
    CHECK(t0, 0x5555)               /* rd untouched by the trapping instruction */

#ifndef REF_QEMU  /* QEMU 7.2: csrrs with a zero rs1 value is not treated as a write */
    TEST(11)                        /* csrrs with rs1 != x0 is a write attempt even if the value is 0 */
    li t1, 0
    li t0, 0x5555
1:  csrrs t0, mhartid, t1
    CHECK_ILLEGAL_AT(1b)
    CHECK(t0, 0x5555)

#endif

    TEST(12)
1:  csrrsi t0, mvendorid, 1
    CHECK_ILLEGAL_AT(1b)

    TEST(13)
1:  csrrwi t0, marchid, 0          /* csrrwi writes even with uimm = 0 */
    CHECK_ILLEGAL_AT(1b)

#ifndef REF_QEMU  /* QEMU 7.2: csrrc with a zero rs1 value is not treated as a write */
    TEST(14)
    li t1, 0
1:  csrrc t0, cycle, t1
    CHECK_ILLEGAL_AT(1b)

#endif
    TEST(15)
1:  csrrci t0, instret, 1
    CHECK_ILLEGAL_AT(1b)

    TEST(16)
    li t1, 0
1:  csrw time, t1
    CHECK_ILLEGAL_AT(1b)

    TEST(17)
1:  csrrw x0, instreth, x0
    CHECK_ILLEGAL_AT(1b)

/* ---- unknown CSR numbers are illegal, also just to read ---- */
    TEST(18)
1:  csrr t0, 0x7c0                  /* custom M-mode read/write space: not implemented */
    CHECK_ILLEGAL_AT(1b)

    TEST(19)
1:  csrr t0, 0x105                  /* stvec: no S-mode */
    CHECK_ILLEGAL_AT(1b)

    TEST(20)
1:  csrr t0, 0x180                  /* satp: no S-mode */
    CHECK_ILLEGAL_AT(1b)

    TEST(21)
1:  csrr t0, 0x003                  /* fcsr: no F */
    CHECK_ILLEGAL_AT(1b)

    TEST(22)
1:  csrw 0x800, zero                /* custom user read/write space */
    CHECK_ILLEGAL_AT(1b)

/* ---- mstatus: MIE/MPIE writable, MPP WARL {U, M}, S-mode fields read-only 0 ---- */
    TEST(23)
    li t0, 0x1888                   /* MPP = M, MPIE, MIE (mie is 0: nothing can interrupt) */
    csrw mstatus, t0
    csrr t1, mstatus
    li t2, 0x1888
    and t1, t1, t2
    CHECK(t1, 0x1888)
    csrw mstatus, zero
    csrr t1, mstatus
    and t1, t1, t2
    CHECK(t1, 0)

#ifndef REF_QEMU  /* QEMU 7.2: MPP keeps a value naming a missing mode */
    TEST(24)                        /* MPP = 1 (S) is not a legal mode: reads back as U */
    li t0, 1 << 11
    csrw mstatus, t0
    csrr t1, mstatus
    li t2, 3 << 11
    and t1, t1, t2
    CHECK(t1, 0)

#endif
#ifndef REF_QEMU  /* QEMU 7.2: MPP keeps a value naming a missing mode */
    TEST(25)                        /* MPP = 2 (reserved): reads back as U */
    li t0, 2 << 11
    csrw mstatus, t0
    csrr t1, mstatus
    li t2, 3 << 11
    and t1, t1, t2
    CHECK(t1, 0)

#endif
#ifndef REF_QEMU  /* QEMU 7.2: MPP keeps a value naming a missing mode */
    TEST(26)                        /* csrs can build MPP = M from two halves */
    csrw mstatus, zero
    li t0, 1 << 11
    csrs mstatus, t0                /* MPP = 1: illegal, becomes U */
    li t0, 2 << 11
    csrs mstatus, t0                /* MPP = 0 | 2 = 2: illegal, becomes U */
    csrr t1, mstatus
    li t2, 3 << 11
    and t1, t1, t2
    CHECK(t1, 0)
    li t0, 3 << 11
    csrs mstatus, t0
    csrr t1, mstatus
    and t1, t1, t2
    CHECK(t1, 3 << 11)
    csrw mstatus, zero

#endif
#ifndef REF_QEMU  /* QEMU 7.2: S-mode fields of mstatus stay writable with s=false */
    TEST(27)                        /* no S-mode: SIE SPIE SPP SUM MXR TVM TSR are read-only 0 */
    li t0, 0x005c0122
    csrs mstatus, t0
    csrr t1, mstatus
    and t1, t1, t0
    CHECK(t1, 0)
    csrw mstatus, zero

/* ---- mtvec: BASE read/write, MODE 0 and 1 ---- */
#endif
    TEST(28)
    csrr s4, mtvec
    li t0, 0x80000100
    csrw mtvec, t0
    csrr t1, mtvec
    CHECK(t1, 0x80000100)
    li t0, 0x80000101
    csrw mtvec, t0
    csrr t1, mtvec
    CHECK(t1, 0x80000101)
    csrw mtvec, s4

/* ---- mepc (IALIGN = 32: bits 1..0 read 0), mcause, mtval, mscratch hold values ---- */
#ifndef REF_QEMU  /* QEMU 7.2: mepc keeps bit 1 without C */
    TEST(29)
    li t0, 0x80001234
    csrw mepc, t0
    csrr t1, mepc
    CHECK(t1, 0x80001234)
    li t0, 0x80001237
    csrw mepc, t0
    csrr t1, mepc
    CHECK(t1, 0x80001234)

#endif
    TEST(30)
    li t0, 0x8000000b
    csrw mcause, t0
    csrr t1, mcause
    CHECK(t1, 0x8000000b)
    li t0, 2
    csrw mcause, t0
    csrr t1, mcause
    CHECK(t1, 2)
    li t0, 0xdeadbeef
    csrw mtval, t0
    csrr t1, mtval
    CHECK(t1, 0xdeadbeef)

/* ---- mie: MSIE and MTIE writable; S-level enables read-only 0 ---- */
#ifndef REF_QEMU  /* QEMU 7.2: S-level bits of mie stay writable with s=false */
    TEST(31)
    li t0, -1
    csrw mie, t0
    csrr t1, mie
    andi t2, t1, 0x88
    CHECK(t2, 0x88)
    andi t2, t1, 0x222
    CHECK(t2, 0)
    csrw mie, zero
    csrr t1, mie
    CHECK(t1, 0)

/* ---- medeleg / mideleg: read-only zero (no S-mode), writes ignored ---- */
#endif
#ifndef REF_QEMU  /* QEMU 7.2: medeleg/mideleg are writable or trap */
    TEST(32)
    csrr t0, medeleg
    CHECK(t0, 0)
    csrr t0, mideleg
    CHECK(t0, 0)
    li t1, -1
    csrw medeleg, t1
    csrw mideleg, t1
    csrr t0, medeleg
    CHECK(t0, 0)
    csrr t0, mideleg
    CHECK(t0, 0)
    CHECK_NO_TRAP

/* ---- mcounteren: CY, TM, IR writable ---- */
#endif
    TEST(33)
    li t0, 7
    csrw mcounteren, t0
    csrr t1, mcounteren
    andi t1, t1, 7
    CHECK(t1, 7)
    csrw mcounteren, zero
    csrr t1, mcounteren
    CHECK(t1, 0)

/* ---- minstret: a write replaces the increment of the writing instruction ---- */
#ifndef REF_QEMU  /* QEMU 7.2: minstret writes are not exact under -icount */
    TEST(34)
    li t0, 1000
    csrw minstret, t0
    csrr t1, minstret               /* reads the count before itself: exactly 1000 */
    CHECK(t1, 1000)

#endif
    TEST(35)
    csrr t0, minstret
    csrr t1, minstret
    sub t2, t1, t0
    CHECK(t2, 1)
    csrr t0, minstret
    nop
    nop
    nop
    csrr t1, minstret
    sub t2, t1, t0
    CHECK(t2, 4)

#ifndef REF_QEMU  /* QEMU 7.2: minstret writes are not exact under -icount */
    TEST(36)                        /* high halves */
    li t0, 7
    csrw minstreth, t0
    csrw minstret, zero
    csrr t1, minstreth
    csrr t2, minstret
    CHECK(t1, 7)
    CHECK(t2, 1)                    /* csrr minstreth retired since the write */

#endif
#ifndef REF_QEMU  /* QEMU 7.2: minstret writes are not exact under -icount */
    TEST(37)                        /* the 64-bit counter carries into minstreth */
    li t0, 0xfffffff0
    csrw minstret, t0
    csrw minstreth, zero
    .rept 20
    nop
    .endr
    csrr t1, minstreth
    CHECK(t1, 1)

#endif
    TEST(38)                        /* instret/instreth are minstret/minstreth in M-mode */
    csrw minstreth, zero
    csrw minstret, zero
    csrr t0, minstret
    csrr t1, instret
    sub t2, t1, t0
    CHECK(t2, 1)
    csrr t1, instreth
    CHECK(t1, 0)

    TEST(39)                        /* mcycle/mcycleh writable; cycle/cycleh follow them */
    li t0, 5
    csrw mcycleh, t0
    csrw mcycle, zero
    csrr t1, mcycleh
    CHECK(t1, 5)
    csrr t1, cycleh
    CHECK(t1, 5)
    csrr t1, cycle
    li t2, 1000
    bgeu t1, t2, fail               /* a few cycles since the write, not thousands */
    csrw mcycleh, zero

#ifndef REF_QEMU  /* QEMU 7.2: the time CSR is not provided on the spike machine */
    TEST(40)                        /* time (M-mode read) agrees with the CLINT's mtime */
    li t3, 0x0200bff8
    csrr t0, time
    lw t1, 0(t3)
    csrr t2, time
    bltu t1, t0, fail
    bltu t2, t1, fail
    CHECK_NO_TRAP

#endif
    j pass

RVTEST_END
