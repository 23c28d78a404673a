/* priv-misaligned: misaligned load/store traps. Needs `--trap-misaligned`
 * (by default the rvjit bare machine carries misaligned accesses out).
 * Loads: cause 4, stores: cause 6, mtval = the misaligned address, mepc = the
 * access, the destination register / memory unchanged; aligned halfword and
 * byte accesses do not trap. */
#include "priv.h"

RVTEST_BEGIN
    la s1, buffer

    TEST(1)
    li t0, 0x5555
1:  lw t0, 1(s1)
    la t1, buffer + 1
    CHECK(s7, 1)
    CHECK(s11, 4)
    la t2, 1b
    bne s9, t2, fail
    CHECK_EQ(s10, t1)
    CHECK(t0, 0x5555)

    TEST(2)
1:  lw t0, 2(s1)
    la t1, buffer + 2
    CHECK(s11, 4)
    CHECK_EQ(s10, t1)

    TEST(3)
1:  lh t0, 3(s1)
    la t1, buffer + 3
    CHECK(s7, 1)
    CHECK(s11, 4)
    CHECK_EQ(s10, t1)

    TEST(4)
1:  lhu t0, 1(s1)
    la t1, buffer + 1
    CHECK(s7, 1)
    CHECK(s11, 4)
    CHECK_EQ(s10, t1)

    TEST(5)                         /* aligned halfwords and any byte are fine */
    lh t0, 2(s1)
    lhu t0, 6(s1)
    lb t0, 3(s1)
    lbu t0, 1(s1)
    CHECK_NO_TRAP

    TEST(6)
    li t1, 0x11223344
1:  sw t1, 2(s1)
    la t2, buffer + 2
    CHECK(s7, 1)
    CHECK(s11, 6)
    la t3, 1b
    bne s9, t3, fail
    CHECK_EQ(s10, t2)
    lw t0, 0(s1)                    /* memory unchanged */
    CHECK(t0, 0x03020100)
    lw t0, 4(s1)
    CHECK(t0, 0x07060504)

    TEST(7)
1:  sh t1, 1(s1)
    la t2, buffer + 1
    CHECK(s7, 1)
    CHECK(s11, 6)
    CHECK_EQ(s10, t2)
    lw t0, 0(s1)
    CHECK(t0, 0x03020100)

    TEST(8)
    sh t1, 2(s1)
    sb t1, 5(s1)
    CHECK_NO_TRAP
    lw t0, 0(s1)
    CHECK(t0, 0x33440100)

    j pass

RVTEST_END

    .data
    .balign 8
buffer:
    .byte 0, 1, 2, 3, 4, 5, 6, 7
