/* RV32I misc: fence variants, fence.i (Zifencei, raw word), ecall (result in a0,
 * all other registers preserved, unknown number gives -ENOSYS), nop, x0 hardwired. */
#include "test_macros.h"
#define FENCE_I .word 0x0000100f
RVTEST_BEGIN

    /* fences execute as no-ops for a single thread */
    li TESTNUM, 1
    li x5, 7
    fence
    fence rw, rw
    fence r, r
    fence w, w
    fence iorw, iorw
    fence i, o
    fence.tso
    FENCE_I
    nop
    CHECK(x5, 7)

    /* fence between a store and a load of the same address */
    li TESTNUM, 2
    la x6, scratch
    li x7, 0x5eed
    sw x7, 0(x6)
    fence w, r
    lw x8, 0(x6)
    CHECK(x8, 0x5eed)

    /* ecall getpid (172): positive */
    li TESTNUM, 3
    li a7, 172
    ecall
    blez a0, fail

    /* ecall preserves every register except a0 */
    li TESTNUM, 4
    li ra, 0x01010101
    li tp, 0x04040404
    li t0, 0x05050505
    li t1, 0x06060606
    li t2, 0x07070707
    li s0, 0x08080808
    li s1, 0x09090909
    li a1, 0       /* write(1, NULL, 0) = 0 */
    li a2, 0
    li a3, 0x0d0d0d0d
    li a4, 0x0e0e0e0e
    li a5, 0x0f0f0f0f
    li a6, 0x10101010
    li s2, 0x12121212
    li s3, 0x13131313
    li s4, 0x14141414
    li s5, 0x15151515
    li s6, 0x16161616
    li s7, 0x17171717
    li s8, 0x18181818
    li s9, 0x19191919
    li s10, 0x1a1a1a1a
    li s11, 0x1b1b1b1b
    li t3, 0x1c1c1c1c
    li t4, 0x1d1d1d1d
    li t5, 0x1e1e1e1e
    mv s11, sp
    li a0, 1
    li a7, 64
    ecall
    CHECK(a0, 0)
    li TESTNUM, 5
    CHECK(ra, 0x01010101)
    CHECK(tp, 0x04040404)
    CHECK(t0, 0x05050505)
    CHECK(t1, 0x06060606)
    CHECK(t2, 0x07070707)
    CHECK(s0, 0x08080808)
    CHECK(s1, 0x09090909)
    CHECK(a1, 0)
    CHECK(a2, 0)
    CHECK(a3, 0x0d0d0d0d)
    CHECK(a4, 0x0e0e0e0e)
    CHECK(a5, 0x0f0f0f0f)
    CHECK(a6, 0x10101010)
    CHECK(a7, 64)
    li TESTNUM, 6
    CHECK(s2, 0x12121212)
    CHECK(s3, 0x13131313)
    CHECK(s4, 0x14141414)
    CHECK(s5, 0x15151515)
    CHECK(s6, 0x16161616)
    CHECK(s7, 0x17171717)
    CHECK(s8, 0x18181818)
    CHECK(s9, 0x19191919)
    CHECK(s10, 0x1a1a1a1a)
    CHECK(t3, 0x1c1c1c1c)
    CHECK(t4, 0x1d1d1d1d)
    CHECK(t5, 0x1e1e1e1e)
    bne sp, s11, fail

    /* unknown syscall number: -ENOSYS (-38) */
    li TESTNUM, 7
    li a7, 4000
    li a0, 0
    ecall
    CHECK(a0, -38)

    /* write(1, msg, 4) returns the byte count (prints "isa ") */
    li TESTNUM, 8
    li a0, 1
    la a1, msg
    li a2, 4
    li a7, 64
    ecall
    CHECK(a0, 4)

    /* x0 is hardwired to zero whatever writes to it */
    li TESTNUM, 9
    addi x0, x0, 123
    lui x0, 0x12345
    auipc x0, 1
    la x5, scratch
    lw x0, 0(x5)
    jal x0, 1f
1:  add x0, x5, x5
    CHECK(x0, 0)
    add x6, x0, x0
    CHECK(x6, 0)

    /* ecall result into a0 can be used immediately by the next instruction */
    li TESTNUM, 10
    li a7, 172
    ecall
    addi a0, a0, 1
    blez a0, fail

    j pass
RVTEST_END

    .data
    .balign 4
scratch:
    .word 0
msg:
    .ascii "isa "
