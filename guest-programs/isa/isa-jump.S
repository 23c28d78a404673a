/* RV32I jumps: jal and jalr, link values, rd == x0, rd == rs1, bit 0 cleared,
 * negative/positive offsets, indirect calls through a table. */
#include "test_macros.h"
RVTEST_BEGIN

    /* jal: link register holds the address of the next instruction */
    li TESTNUM, 1
    la x5, 1f
    jal x1, 2f
1:  j fail
2:  bne x1, x5, fail

    /* jal x0 (plain jump) leaves x0 zero and skips code */
    li TESTNUM, 2
    li x6, 0
    jal x0, 1f
    addi x6, x6, 1
1:  CHECK(x6, 0)
    CHECK(x0, 0)

    /* jal with a different rd, backward offset */
    li TESTNUM, 3
    j 3f
1:  la x7, 4f
    bne x5, x7, fail
    j 5f
3:  jal x5, 1b
4:  j fail
5:

    /* jalr: call and return */
    li TESTNUM, 4
    la x5, func_add3
    li a0, 10
    jalr x1, 0(x5)
    CHECK(a0, 13)

    /* jalr with a positive and a negative offset */
    li TESTNUM, 5
    la x5, func_add3 - 8
    li a0, 1
    jalr x1, 8(x5)
    CHECK(a0, 4)
    li TESTNUM, 6
    la x5, func_add3 + 16
    li a0, 2
    jalr ra, -16(x5)
    CHECK(a0, 5)

    /* jalr clears bit 0 of the target */
    li TESTNUM, 7
    la x5, func_add3 + 1
    li a0, 3
    jalr x1, 0(x5)
    CHECK(a0, 6)
    li TESTNUM, 8
    la x5, func_add3
    li a0, 4
    jalr x1, 1(x5)
    CHECK(a0, 7)

    /* jalr with rd == rs1: the target uses the old value, then rd gets the link */
    li TESTNUM, 9
    la x5, 2f
    la x6, 1f
    jalr x5, 0(x5)
1:  j fail
2:  bne x5, x6, fail

    /* jalr x0 (indirect jump, no link) */
    li TESTNUM, 10
    la x5, 1f
    li x6, 0
    jalr x0, 0(x5)
    addi x6, x6, 1
1:  CHECK(x6, 0)
    CHECK(x0, 0)

    /* jalr with rd == x0 and rs1 == ra is a plain return; link into a non-ra register */
    li TESTNUM, 11
    la x7, func_ret_t0
    li a0, 0
    jalr t0, 0(x7)
    CHECK(a0, 99)

    /* indirect calls through a table of function pointers */
    li TESTNUM, 12
    la x8, table
    li a0, 0
    lw x9, 0(x8)
    jalr ra, 0(x9)      /* +3 */
    lw x9, 4(x8)
    jalr ra, 0(x9)      /* *2 */
    lw x9, 0(x8)
    jalr ra, 0(x9)      /* +3 */
    CHECK(a0, 9)

    /* nested calls with a stack-free link chain: outer calls inner via jal */
    li TESTNUM, 13
    li a0, 1
    jal ra, func_outer
    CHECK(a0, 8)

    /* jal link of x0 stays zero even when used as the base afterwards */
    li TESTNUM, 14
    jal x0, 1f
1:  addi x5, x0, 0
    CHECK(x5, 0)

    j pass

func_add3:
    addi a0, a0, 3
    jalr x0, 0(ra)
func_double:
    add a0, a0, a0
    jalr x0, 0(ra)
func_ret_t0:
    li a0, 99
    jalr x0, 0(t0)
func_outer:
    mv s1, ra
    jal ra, func_add3        /* 1 + 3 = 4 */
    jal ra, func_double      /* 8 */
    jalr x0, 0(s1)

    .section .data
    .balign 4
table:
    .word func_add3
    .word func_double
    .text

RVTEST_END
