/* RV32I upper-immediate ops: lui and auipc, including wrap-around and x0 destination. */
#include "test_macros.h"
RVTEST_BEGIN

    TEST_CASE(1, x5, 0x00000000, lui x5, 0)
    TEST_CASE(2, x5, 0x00001000, lui x5, 1)
    TEST_CASE(3, x5, 0x7ffff000, lui x5, 0x7ffff)
    TEST_CASE(4, x5, 0x80000000, lui x5, 0x80000)
    TEST_CASE(5, x5, 0xfffff000, lui x5, 0xfffff)
    TEST_CASE(6, x5, 0x12345000, lui x5, 0x12345)
    TEST_CASE(7, x0, 0, lui x0, 0x80000)
    /* lui overwrites all 32 bits (low 12 become zero) */
    TEST_CASE(8, x5, 0xabcde000, li x5, -1; lui x5, 0xabcde)
    /* lui + addi with a negative low part */
    TEST_CASE(9, x5, 0x12344fff, lui x5, 0x12345; addi x5, x5, -1)
    TEST_CASE(10, x5, 0xfffff800, lui x5, 0; addi x5, x5, -2048)
    TEST_CASE(11, x5, 0xffffffff, lui x5, 0x80000; srai x5, x5, 31)

    /* auipc 0 yields its own address */
    li TESTNUM, 20
1:  auipc x5, 0
    la x6, 1b
    bne x5, x6, fail

    /* auipc 1 adds 0x1000 */
    li TESTNUM, 21
1:  auipc x5, 1
    la x6, 1b
    li x7, 0x1000
    add x6, x6, x7
    bne x5, x6, fail

    /* auipc 0xfffff subtracts 0x1000 */
    li TESTNUM, 22
1:  auipc x5, 0xfffff
    la x6, 1b
    li x7, -0x1000
    add x6, x6, x7
    bne x5, x6, fail

    /* auipc 0x80000 adds 0x80000000 (wraps around) */
    li TESTNUM, 23
1:  auipc x5, 0x80000
    la x6, 1b
    li x7, 0x80000000
    add x6, x6, x7
    bne x5, x6, fail

    /* auipc + jalr pair reaches a label (what call/tail expand to) */
    li TESTNUM, 24
    li a0, 0
2:  auipc x5, %pcrel_hi(target)
    jalr ra, %pcrel_lo(2b)(x5)
    CHECK(a0, 0x55)

    /* auipc + lw pair loads data */
    li TESTNUM, 25
3:  auipc x5, %pcrel_hi(value)
    lw x6, %pcrel_lo(3b)(x5)
    CHECK(x6, 0x600dcafe)

    /* auipc into x0 */
    TEST_CASE(26, x0, 0, auipc x0, 0x12345)

    /* two consecutive auipc differ by 4 */
    li TESTNUM, 27
    auipc x5, 0
    auipc x6, 0
    sub x7, x6, x5
    CHECK(x7, 4)

    j pass

target:
    li a0, 0x55
    ret

RVTEST_END

    .data
    .balign 4
value:
    .word 0x600dcafe
