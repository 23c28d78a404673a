/* RV32I conditional branches: beq bne blt bge bltu bgeu, taken and not taken,
 * forward and backward, signed/unsigned boundaries, x0 operands, rs1 == rs2. */
#include "test_macros.h"
RVTEST_BEGIN

    /* beq */
    TEST_BR2_TAKEN(1, beq, 0, 0)
    TEST_BR2_TAKEN(2, beq, 1, 1)
    TEST_BR2_TAKEN(3, beq, -1, -1)
    TEST_BR2_TAKEN(4, beq, 0x80000000, 0x80000000)
    TEST_BR2_NOTTAKEN(5, beq, 0, 1)
    TEST_BR2_NOTTAKEN(6, beq, 1, 0)
    TEST_BR2_NOTTAKEN(7, beq, -1, 1)
    TEST_BR2_NOTTAKEN(8, beq, 0x80000000, 0)

    /* bne */
    TEST_BR2_TAKEN(10, bne, 0, 1)
    TEST_BR2_TAKEN(11, bne, 1, 0)
    TEST_BR2_TAKEN(12, bne, -1, 1)
    TEST_BR2_TAKEN(13, bne, 0x80000000, 0x7fffffff)
    TEST_BR2_NOTTAKEN(14, bne, 0, 0)
    TEST_BR2_NOTTAKEN(15, bne, -1, -1)

    /* blt (signed) */
    TEST_BR2_TAKEN(20, blt, 0, 1)
    TEST_BR2_TAKEN(21, blt, -1, 1)
    TEST_BR2_TAKEN(22, blt, -2, -1)
    TEST_BR2_TAKEN(23, blt, 0x80000000, 0x7fffffff)
    TEST_BR2_TAKEN(24, blt, 0x80000000, 0xffffffff)
    TEST_BR2_NOTTAKEN(25, blt, 1, 0)
    TEST_BR2_NOTTAKEN(26, blt, 1, -1)
    TEST_BR2_NOTTAKEN(27, blt, -1, -2)
    TEST_BR2_NOTTAKEN(28, blt, 0x7fffffff, 0x80000000)
    TEST_BR2_NOTTAKEN(29, blt, 5, 5)

    /* bge (signed) */
    TEST_BR2_TAKEN(30, bge, 0, 0)
    TEST_BR2_TAKEN(31, bge, 1, 1)
    TEST_BR2_TAKEN(32, bge, -1, -1)
    TEST_BR2_TAKEN(33, bge, 1, 0)
    TEST_BR2_TAKEN(34, bge, 1, -1)
    TEST_BR2_TAKEN(35, bge, 0x7fffffff, 0x80000000)
    TEST_BR2_NOTTAKEN(36, bge, 0, 1)
    TEST_BR2_NOTTAKEN(37, bge, -1, 1)
    TEST_BR2_NOTTAKEN(38, bge, 0x80000000, 0x7fffffff)
    TEST_BR2_NOTTAKEN(39, bge, -2, -1)

    /* bltu (unsigned) */
    TEST_BR2_TAKEN(40, bltu, 0, 1)
    TEST_BR2_TAKEN(41, bltu, 0xfffffffe, 0xffffffff)
    TEST_BR2_TAKEN(42, bltu, 0, 0xffffffff)
    TEST_BR2_TAKEN(43, bltu, 0x7fffffff, 0x80000000)
    TEST_BR2_NOTTAKEN(44, bltu, 1, 0)
    TEST_BR2_NOTTAKEN(45, bltu, 0xffffffff, 0xfffffffe)
    TEST_BR2_NOTTAKEN(46, bltu, 0xffffffff, 0)
    TEST_BR2_NOTTAKEN(47, bltu, 0x80000000, 0x7fffffff)
    TEST_BR2_NOTTAKEN(48, bltu, 7, 7)

    /* bgeu (unsigned) */
    TEST_BR2_TAKEN(50, bgeu, 0, 0)
    TEST_BR2_TAKEN(51, bgeu, 0xffffffff, 0xffffffff)
    TEST_BR2_TAKEN(52, bgeu, 1, 0)
    TEST_BR2_TAKEN(53, bgeu, 0xffffffff, 0)
    TEST_BR2_TAKEN(54, bgeu, 0x80000000, 0x7fffffff)
    TEST_BR2_NOTTAKEN(55, bgeu, 0, 1)
    TEST_BR2_NOTTAKEN(56, bgeu, 0xfffffffe, 0xffffffff)
    TEST_BR2_NOTTAKEN(57, bgeu, 0, 0xffffffff)
    TEST_BR2_NOTTAKEN(58, bgeu, 0x7fffffff, 0x80000000)

    /* x0 operands and rs1 == rs2 */
    li TESTNUM, 60
    beq x0, x0, 1f
    j fail
1:  li TESTNUM, 61
    bne x0, x0, fail
    li x5, -5
    li TESTNUM, 62
    blt x0, x5, fail
    bge x5, x0, fail
    bltu x5, x0, fail
    li TESTNUM, 63
    bgeu x0, x5, fail
    blt x5, x5, fail
    bltu x5, x5, fail
    li TESTNUM, 64
    bge x5, x5, 1f
    j fail
1:  bgeu x5, x5, 1f
    j fail
1:

    /* a backward-branch loop: sum 1..100 = 5050, counting down with bne and up with blt */
    li TESTNUM, 70
    li x5, 100
    li x6, 0
1:  add x6, x6, x5
    addi x5, x5, -1
    bne x5, x0, 1b
    CHECK(x6, 5050)
    li TESTNUM, 71
    li x5, -50
    li x6, 0
    li x7, 50
1:  add x6, x6, x5
    addi x5, x5, 1
    blt x5, x7, 1b
    CHECK(x6, -50)
    li TESTNUM, 72            /* unsigned loop across the sign boundary */
    li x5, 0x7ffffffd
    li x7, 0x80000003
    li x6, 0
1:  addi x6, x6, 1
    addi x5, x5, 1
    bltu x5, x7, 1b
    CHECK(x6, 6)

    /* the instructions after a not-taken branch and at a taken target both execute exactly once */
    li TESTNUM, 73
    li x6, 0
    li x5, 1
    beq x5, x0, 1f
    addi x6, x6, 1
1:  addi x6, x6, 2
    bne x5, x0, 2f
    addi x6, x6, 100
2:  addi x6, x6, 4
    CHECK(x6, 7)

    /* long-distance branches (forward and backward over > 2 KiB) */
    li TESTNUM, 74
    li x6, 0
    beq x0, x0, far_fwd
    j fail
far_back:
    addi x6, x6, 2
    j far_done
    .rept 750
    nop
    .endr
far_fwd:
    addi x6, x6, 1
    bge x0, x0, far_back
    j fail
far_done:
    CHECK(x6, 3)

    j pass
RVTEST_END
