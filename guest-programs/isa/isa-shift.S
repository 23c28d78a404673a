/* RV32I shifts: slli srli srai (shamt 0..31) and sll srl sra with register amounts
 * (only the low 5 bits of rs2 count). */
#include "test_macros.h"
RVTEST_BEGIN

    /* slli */
    TEST_IMM_OP(1, slli, 0x00000001, 0x00000001, 0)
    TEST_IMM_OP(2, slli, 0x00000002, 0x00000001, 1)
    TEST_IMM_OP(3, slli, 0x00004000, 0x00000001, 14)
    TEST_IMM_OP(4, slli, 0x80000000, 0x00000001, 31)
    TEST_IMM_OP(5, slli, 0xffffffff, 0xffffffff, 0)
    TEST_IMM_OP(6, slli, 0x80000000, 0xffffffff, 31)
    TEST_IMM_OP(7, slli, 0x42424242, 0x21212121, 1)
    TEST_IMM_OP(8, slli, 0x90909080, 0x21212121, 7)
    TEST_IMM_OP(9, slli, 0x48484000, 0x21212121, 14)
    TEST_IMM_SRC1_EQ_DEST(10, slli, 0x00000080, 0x00000001, 7)
    TEST_IMM_ZEROSRC1(11, slli, 0, 31)
    TEST_IMM_ZERODEST(12, slli, 0x21, 5)

    /* srli */
    TEST_IMM_OP(20, srli, 0x80000000, 0x80000000, 0)
    TEST_IMM_OP(21, srli, 0x40000000, 0x80000000, 1)
    TEST_IMM_OP(22, srli, 0x01000000, 0x80000000, 7)
    TEST_IMM_OP(23, srli, 0x00020000, 0x80000000, 14)
    TEST_IMM_OP(24, srli, 0x00000001, 0x80000001, 31)
    TEST_IMM_OP(25, srli, 0xffffffff, 0xffffffff, 0)
    TEST_IMM_OP(26, srli, 0x7fffffff, 0xffffffff, 1)
    TEST_IMM_OP(27, srli, 0x00000001, 0xffffffff, 31)
    TEST_IMM_OP(28, srli, 0x00008484, 0x21212121, 14)
    TEST_IMM_SRC1_EQ_DEST(29, srli, 0x01000000, 0x80000000, 7)
    TEST_IMM_ZERODEST(30, srli, 0x21, 5)

    /* srai */
    TEST_IMM_OP(40, srai, 0x00000000, 0x00000000, 0)
    TEST_IMM_OP(41, srai, 0xc0000000, 0x80000000, 1)
    TEST_IMM_OP(42, srai, 0xff000000, 0x80000000, 7)
    TEST_IMM_OP(43, srai, 0xfffe0000, 0x80000000, 14)
    TEST_IMM_OP(44, srai, 0xffffffff, 0x80000001, 31)
    TEST_IMM_OP(45, srai, 0x7fffffff, 0x7fffffff, 0)
    TEST_IMM_OP(46, srai, 0x3fffffff, 0x7fffffff, 1)
    TEST_IMM_OP(47, srai, 0x00000000, 0x7fffffff, 31)
    TEST_IMM_OP(48, srai, 0x80000000, 0x80000000, 0)
    TEST_IMM_OP(49, srai, 0xffffffff, 0xffffffff, 31)
    TEST_IMM_OP(50, srai, 0xfffe0606, 0x81818181, 14)
    TEST_IMM_SRC1_EQ_DEST(51, srai, 0xff000000, 0x80000000, 7)
    TEST_IMM_ZERODEST(52, srai, 0x80000000, 5)

    /* register shift amounts: only rs2[4:0] is used */
    TEST_RR_OP(60, sll, 0x00000002, 0x00000001, 33)
    TEST_RR_OP(61, sll, 0x00000001, 0x00000001, 64)
    TEST_RR_OP(62, sll, 0x80000000, 0x00000001, 63)
    TEST_RR_OP(63, sll, 0x00000004, 0x00000001, 0x80000002)
    TEST_RR_OP(64, sll, 0x00000010, 0x00000001, 0xffffffe4)
    TEST_RR_OP(65, srl, 0x40000000, 0x80000000, 33)
    TEST_RR_OP(66, srl, 0x80000000, 0x80000000, 0x00000020)
    TEST_RR_OP(67, srl, 0x00000001, 0x80000000, 0xffffffff)
    TEST_RR_OP(68, srl, 0x00008000, 0x80000000, 0x12345670 | 0x10)
    TEST_RR_OP(69, sra, 0xc0000000, 0x80000000, 33)
    TEST_RR_OP(70, sra, 0x80000000, 0x80000000, 0x00000040)
    TEST_RR_OP(71, sra, 0xffffffff, 0x80000000, 0xffffffff)
    TEST_RR_OP(72, sra, 0x1fffffff, 0x7fffffff, 0x80000002)
    TEST_RR_SRC2_EQ_DEST(73, sll, 0x00000100, 0x00000001, 0x108)
    TEST_RR_SRC2_EQ_DEST(74, srl, 0x00800000, 0x80000000, 0x108)
    TEST_RR_SRC2_EQ_DEST(75, sra, 0xff800000, 0x80000000, 0x108)
    TEST_RR_SRC12_EQ_DEST(76, sll, 0x80000000, 0x0000001f)   /* 31 << 31 */
    TEST_RR_SRC12_EQ_DEST(77, srl, 0x00000000, 0x0000001f)   /* 31 >> 31 */
    TEST_RR_SRC12_EQ_DEST(78, sra, 0xffffffff, 0xffffffff)   /* -1 >> 31 */
    TEST_RR_ZEROSRC1(79, sll, 0, 5)
    TEST_RR_ZEROSRC2(80, sra, 0x80000000, 0x80000000)
    TEST_RR_ZERODEST(81, srl, 0x80000000, 3)

    j pass
RVTEST_END
