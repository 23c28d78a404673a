/* priv-vectored: interrupts on the rvjit bare machine.
 * mtvec in vectored mode (exceptions still go to BASE, the machine timer
 * interrupt to BASE + 4*7, the software interrupt to BASE + 4*3), mip.MTIP
 * following mtime >= mtimecmp and being read-only, mie/mstatus.MIE gating in
 * M-mode, interrupts always enabled in U-mode, wfi waking on a pending
 * interrupt, CLINT msip, priority MSI over MTI, mtval = 0 for interrupts.
 *
 * Extra registers: s4 (x20) timer interrupt count, s2 (x18) software interrupt
 * count, s3 (x19) order of interrupts taken (s3 = s3 * 16 + cause). */
#include "priv.h"

#define CLINT_MSIP     0x02000000
#define CLINT_MTIMECMP 0x02004000
#define CLINT_MTIME    0x0200bff8

/* mtimecmp = "never" */
#define TIMER_OFF                   \
    li t5, CLINT_MTIMECMP;          \
    li t4, -1;                      \
    sw t4, 0(t5);                   \
    sw t4, 4(t5)

/* mtimecmp = mtime + delta (delta small, no carry handling needed for the test) */
#define TIMER_IN(delta)             \
    li t5, CLINT_MTIMECMP;          \
    li t4, -1;                      \
    sw t4, 0(t5);                   \
    li t4, CLINT_MTIME;             \
    lw t3, 4(t4);                   \
    sw t3, 4(t5);                   \
    lw t3, 0(t4);                   \
    addi t3, t3, delta;             \
    sw t3, 0(t5)

RVTEST_BEGIN
    TIMER_OFF
    li s4, 0
    li s2, 0
    li s3, 0
    j start

    .balign 256
vectors:
    j trap_handler              /* 0: all exceptions */
    j bad_vector                /* 1 */
    j bad_vector                /* 2 */
    j msi_handler               /* 3: machine software interrupt */
    j bad_vector                /* 4 */
    j bad_vector                /* 5 */
    j bad_vector                /* 6 */
    j mti_handler               /* 7: machine timer interrupt */
    j bad_vector                /* 8 */
    j bad_vector                /* 9 */
    j bad_vector                /* 10 */
    j bad_vector                /* 11 */

bad_vector:
    j fail

mti_handler:
    csrr s11, mcause
    csrr s10, mtval
    csrr s9, mepc
    csrr s6, mstatus
    addi s4, s4, 1
    slli s3, s3, 4
    addi s3, s3, 7
    li s5, CLINT_MTIMECMP           /* acknowledge: mtimecmp = never */
    sw zero, 0(s5)
    li s1, -1
    sw s1, 4(s5)
    sw s1, 0(s5)
    mret

msi_handler:
    csrr s11, mcause
    csrr s10, mtval
    csrr s9, mepc
    csrr s6, mstatus
    addi s2, s2, 1
    slli s3, s3, 4
    addi s3, s3, 3
    li s5, CLINT_MSIP               /* acknowledge */
    sw zero, 0(s5)
    mret

start:
    TEST(1)                         /* vectored mode reads back */
    la t0, vectors
    ori t0, t0, 1
    csrw mtvec, t0
    csrr t1, mtvec
    CHECK_EQ(t1, t0)

    TEST(2)                         /* exceptions are not vectored: ecall goes to BASE */
    li a7, 0
1:  ecall
    CHECK_TRAP_AT(1b, 11, 0)

    TEST(3)                         /* MTIP follows mtime >= mtimecmp */
    csrw mie, zero
    TIMER_OFF
    csrr t0, mip
    andi t0, t0, 0x80
    CHECK(t0, 0)
    li t5, CLINT_MTIMECMP
    sw zero, 0(t5)
    sw zero, 4(t5)                  /* mtimecmp = 0: pending now */
    csrr t0, mip
    andi t0, t0, 0x80
    CHECK(t0, 0x80)
    TEST(4)                         /* MTIP is read-only in mip */
    csrci mip, 0
    li t1, 0x80
    csrc mip, t1
    csrr t0, mip
    andi t0, t0, 0x80
    CHECK(t0, 0x80)
    TIMER_OFF
    csrs mip, t1
    csrr t0, mip
    andi t0, t0, 0x80
    CHECK(t0, 0)
    CHECK_NO_TRAP
    CHECK(s4, 0)

    TEST(5)                         /* pending and enabled in mie, but mstatus.MIE = 0 in M: not taken */
    csrw mstatus, zero
    li t5, CLINT_MTIMECMP
    sw zero, 0(t5)
    sw zero, 4(t5)
    li t0, 0x80
    csrw mie, t0
    li t0, 100
1:  addi t0, t0, -1
    bnez t0, 1b
    CHECK(s4, 0)

    TEST(6)                         /* setting MIE delivers it, to BASE + 4*7 */
    li t0, 1000
    csrsi mstatus, 8
2:  bnez s4, 3f
    addi t0, t0, -1
    bnez t0, 2b
    j fail
3:  CHECK(s4, 1)
    li t0, 0x80000007
    CHECK_EQ(s11, t0)
    CHECK(s10, 0)                   /* mtval = 0 for interrupts */
    li t0, 0x1888
    and t0, s6, t0
    CHECK(t0, 0x1880)               /* MPP = M, MPIE = 1, MIE = 0 */
    la t0, 2b                       /* mepc: the instruction it interrupted */
    bltu s9, t0, fail
    la t0, 3b
    bgtu s9, t0, fail
    csrr t0, mstatus
    andi t0, t0, 8
    CHECK(t0, 8)                    /* mret restored MIE */
    CHECK_NO_TRAP

    TEST(7)                         /* wfi with MIE = 0 wakes on a pending MTIP; no trap taken */
    csrci mstatus, 8
    li s4, 0
    TIMER_IN(20)
    li t0, 1000
1:  wfi
    csrr t1, mip
    andi t1, t1, 0x80
    bnez t1, 2f
    addi t0, t0, -1
    bnez t0, 1b
    j fail
2:  CHECK(s4, 0)
    TIMER_OFF

    TEST(8)                         /* wfi with MIE = 1: the interrupt is taken */
    csrsi mstatus, 8
    TIMER_IN(20)
    li t0, 1000
1:  wfi
    bnez s4, 2f
    addi t0, t0, -1
    bnez t0, 1b
    j fail
2:  CHECK(s4, 1)
    csrci mstatus, 8

    TEST(9)                         /* U-mode: M interrupts are enabled whatever mstatus.MIE says */
    li s4, 0
    li t0, 0x88
    csrc mstatus, t0                /* MIE = MPIE = 0: U runs with MIE = 0 */
    TIMER_IN(50)
    GO_U
    li t0, 10000
1:  bnez s4, 2f
    addi t0, t0, -1
    bnez t0, 1b
    j fail
2:  GO_M
    CHECK(s4, 1)
    li t0, 0x1888
    and t0, s6, t0                  /* s6 is from the GO_M ecall now: MPP = U */
    CHECK(t0, 0)

    TEST(10)                        /* CLINT msip: MSIP pending, taken at BASE + 4*3 */
    csrw mstatus, zero
    li t0, 0x08
    csrw mie, t0
    li t5, CLINT_MSIP
    li t0, 1
    sw t0, 0(t5)
    lw t1, 0(t5)
    CHECK(t1, 1)
    csrr t0, mip
    andi t0, t0, 0x08
    CHECK(t0, 0x08)
    CHECK(s2, 0)
    li t0, 1000
    csrsi mstatus, 8
1:  bnez s2, 2f
    addi t0, t0, -1
    bnez t0, 1b
    j fail
2:  li t0, 0x80000003
    CHECK_EQ(s11, t0)
    csrr t0, mip
    andi t0, t0, 0x08
    CHECK(t0, 0)
    csrci mstatus, 8

    TEST(11)                        /* both pending: software before timer */
    li s3, 0
    li s2, 0
    li s4, 0
    li t5, CLINT_MTIMECMP
    sw zero, 0(t5)
    sw zero, 4(t5)
    li t5, CLINT_MSIP
    li t0, 1
    sw t0, 0(t5)
    li t0, 0x88
    csrw mie, t0
    li t0, 1000
    csrsi mstatus, 8
1:  bnez s4, 2f
    addi t0, t0, -1
    bnez t0, 1b
    j fail
2:  csrci mstatus, 8
    CHECK(s3, 0x37)
    CHECK(s2, 1)
    CHECK(s4, 1)
    csrw mie, zero

    TEST(12)                        /* mtime advances */
    li t4, CLINT_MTIME
    lw t1, 0(t4)
    li t0, 300
1:  addi t0, t0, -1
    bnez t0, 1b
    lw t2, 0(t4)
    bgeu t1, t2, fail

    j pass

RVTEST_END
