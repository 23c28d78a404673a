/* RV32I stores: sb sh sw, read back with every load width; neighbouring bytes
 * must be untouched; positive/negative offsets; x0 as the source stores zero;
 * misaligned halfword/word stores (allowed in Linux user mode). */
#include "test_macros.h"
RVTEST_BEGIN

    /* store then load back */
    TEST_ST(1, lw, sw, 0x00aa00aa, 0, buf)
    TEST_ST(2, lw, sw, 0xaa00aa00, 4, buf)
    TEST_ST(3, lw, sw, 0x80000000, 8, buf)
    TEST_ST(4, lw, sw, 0xffffffff, -4, buf_end)
    TEST_ST(5, lh, sh, 0x000000aa, 0, buf)
    TEST_ST(6, lh, sh, 0xffffaa00, 2, buf)
    TEST_ST(7, lh, sh, 0xffff8000, 6, buf)
    TEST_ST(8, lhu, sh, 0x00008000, -2, buf_end)
    TEST_ST(9, lb, sb, 0xffffffaa, 0, buf)
    TEST_ST(10, lb, sb, 0x00000000, 1, buf)
    TEST_ST(11, lb, sb, 0xffffff80, 2, buf)
    TEST_ST(12, lbu, sb, 0x000000ff, -1, buf_end)

    /* only the low bits of the source register are stored */
    TEST_CASE(20, x14, 0xffffff88, la x1, buf; li x2, 0x12345688; sb x2, 12(x1); lb x14, 12(x1))
    TEST_CASE(21, x14, 0x00005678, la x1, buf; li x2, 0x12345678; sh x2, 14(x1); lhu x14, 14(x1))

    /* a byte store into a word leaves the other three bytes unchanged */
    li TESTNUM, 30
    la x1, buf
    li x2, 0x11223344
    sw x2, 16(x1)
    li x2, 0xee
    sb x2, 17(x1)
    lw x14, 16(x1)
    CHECK(x14, 0x1122ee44)
    li TESTNUM, 31
    li x2, 0x9988
    sh x2, 18(x1)
    lw x14, 16(x1)
    CHECK(x14, 0x9988ee44)
    li TESTNUM, 32
    li x2, 0x77
    sb x2, 16(x1)
    sb x2, 19(x1)
    lw x14, 16(x1)
    CHECK(x14, 0x7788ee77)
    li TESTNUM, 33
    lw x14, 12(x1)          /* the word before is unchanged from tests 20/21 */
    CHECK(x14, 0x56780088)
    li TESTNUM, 34
    lw x14, 20(x1)          /* the word after was never written */
    CHECK(x14, 0xdeadbeef)

    /* x0 as the store source writes zero */
    li TESTNUM, 40
    la x1, buf
    li x2, -1
    sw x2, 24(x1)
    sb x0, 24(x1)
    sh x0, 26(x1)
    lw x14, 24(x1)
    CHECK(x14, 0x0000ff00)
    li TESTNUM, 41
    sw x0, 24(x1)
    lw x14, 24(x1)
    CHECK(x14, 0)

    /* base register == source register */
    li TESTNUM, 50
    la x1, buf
    sw x1, 28(x1)
    lw x14, 28(x1)
    bne x14, x1, fail

    /* store-to-load forwarding across overlapping widths */
    li TESTNUM, 51
    la x1, buf
    li x2, 0x01020304
    sw x2, 32(x1)
    lb x14, 33(x1)
    CHECK(x14, 0x03)
    li TESTNUM, 52
    lh x14, 34(x1)
    CHECK(x14, 0x0102)

    /* large offsets */
    li TESTNUM, 60
    la x1, big
    li x2, 0x5a
    sb x2, 2047(x1)
    la x5, big + 2047
    lbu x14, 0(x5)
    CHECK(x14, 0x5a)
    li TESTNUM, 61
    la x1, big_end
    li x2, 0x1234
    sh x2, -2048(x1)
    la x5, big_end - 2048
    lhu x14, 0(x5)
    CHECK(x14, 0x1234)

    /* misaligned stores */
    li TESTNUM, 70
    la x1, mis
    li x2, 0xa1b2c3d4
    sw x2, 1(x1)
    lw x14, 0(x1)
    CHECK(x14, 0xb2c3d400)
    li TESTNUM, 71
    lw x14, 4(x1)
    CHECK(x14, 0x000000a1)
    li TESTNUM, 72
    li x2, 0xbeef
    sh x2, 3(x1)
    lw x14, 0(x1)
    CHECK(x14, 0xefc3d400)
    li TESTNUM, 73
    lw x14, 4(x1)
    CHECK(x14, 0x000000be)

    j pass
RVTEST_END

    .data
    .balign 4
buf:
    .word 0, 0, 0, 0, 0, 0xdeadbeef, 0, 0, 0, 0
buf_end:
    .word 0
mis:
    .word 0, 0
big:
    .fill 4096, 1, 0
big_end:
