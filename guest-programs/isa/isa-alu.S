/* RV32I register-register ALU ops: add sub sll slt sltu xor srl sra or and. */
#include "test_macros.h"
RVTEST_BEGIN

    /* add */
    TEST_RR_OP(1, add, 0x00000000, 0x00000000, 0x00000000)
    TEST_RR_OP(2, add, 0x00000002, 0x00000001, 0x00000001)
    TEST_RR_OP(3, add, 0x0000000a, 0x00000003, 0x00000007)
    TEST_RR_OP(4, add, 0x80000000, 0x7fffffff, 0x00000001)
    TEST_RR_OP(5, add, 0x7fffffff, 0x80000000, 0xffffffff)
    TEST_RR_OP(6, add, 0x00000000, 0xffffffff, 0x00000001)
    TEST_RR_OP(7, add, 0xfffffffe, 0xffffffff, 0xffffffff)
    TEST_RR_OP(8, add, 0x00000000, 0x80000000, 0x80000000)
    TEST_RR_SRC1_EQ_DEST(9, add, 24, 13, 11)
    TEST_RR_SRC2_EQ_DEST(10, add, 25, 14, 11)
    TEST_RR_SRC12_EQ_DEST(11, add, 26, 13)
    TEST_RR_ZEROSRC1(12, add, 15, 15)
    TEST_RR_ZEROSRC2(13, add, 32, 32)
    TEST_RR_ZERODEST(14, add, 16, 30)

    /* sub */
    TEST_RR_OP(20, sub, 0x00000000, 0x00000000, 0x00000000)
    TEST_RR_OP(21, sub, 0xfffffffe, 0x00000001, 0x00000003)
    TEST_RR_OP(22, sub, 0x7fffffff, 0x80000000, 0x00000001)
    TEST_RR_OP(23, sub, 0x80000000, 0x00000000, 0x80000000)
    TEST_RR_OP(24, sub, 0x80000001, 0x00000000, 0x7fffffff)
    TEST_RR_OP(25, sub, 0x00000000, 0xffffffff, 0xffffffff)
    TEST_RR_OP(26, sub, 0x80000000, 0x7fffffff, 0xffffffff)
    TEST_RR_SRC1_EQ_DEST(27, sub, 2, 13, 11)
    TEST_RR_SRC2_EQ_DEST(28, sub, 3, 14, 11)
    TEST_RR_SRC12_EQ_DEST(29, sub, 0, 13)
    TEST_RR_ZEROSRC1(30, sub, -15, 15)
    TEST_RR_ZERODEST(31, sub, 16, 30)

    /* sll: register shifts use only the low 5 bits of rs2 */
    TEST_RR_OP(40, sll, 0x00000001, 0x00000001, 0)
    TEST_RR_OP(41, sll, 0x00000080, 0x00000001, 7)
    TEST_RR_OP(42, sll, 0x80000000, 0x00000001, 31)
    TEST_RR_OP(43, sll, 0x80000000, 0xffffffff, 31)
    TEST_RR_OP(44, sll, 0x21212121, 0x21212121, 32)
    TEST_RR_OP(45, sll, 0x42424242, 0x21212121, 33)
    TEST_RR_OP(46, sll, 0x90909080, 0x21212121, 7 + 32 * 5)
    TEST_RR_OP(47, sll, 0x80000000, 0x21212121, 0xffffffff)
    TEST_RR_SRC1_EQ_DEST(48, sll, 0x00000080, 0x00000001, 7)
    TEST_RR_SRC2_EQ_DEST(49, sll, 0x00004000, 0x00000001, 14)
    TEST_RR_SRC12_EQ_DEST(50, sll, 24, 3)
    TEST_RR_ZERODEST(51, sll, 1, 3)

    /* srl */
    TEST_RR_OP(60, srl, 0x80000000, 0x80000000, 0)
    TEST_RR_OP(61, srl, 0x01000000, 0x80000000, 7)
    TEST_RR_OP(62, srl, 0x00000001, 0x80000000, 31)
    TEST_RR_OP(63, srl, 0x00000001, 0xffffffff, 31)
    TEST_RR_OP(64, srl, 0xffffffff, 0xffffffff, 32)
    TEST_RR_OP(65, srl, 0x7fffffff, 0xffffffff, 33)
    TEST_RR_OP(66, srl, 0x00000001, 0x80000000, 0xffffffff)
    TEST_RR_SRC12_EQ_DEST(67, srl, 0, 7)
    TEST_RR_ZERODEST(68, srl, 0x80, 1)

    /* sra */
    TEST_RR_OP(70, sra, 0x80000000, 0x80000000, 0)
    TEST_RR_OP(71, sra, 0xff000000, 0x80000000, 7)
    TEST_RR_OP(72, sra, 0xffffffff, 0x80000000, 31)
    TEST_RR_OP(73, sra, 0x00000000, 0x7fffffff, 31)
    TEST_RR_OP(74, sra, 0x3fffffff, 0x7fffffff, 1)
    TEST_RR_OP(75, sra, 0x81818181, 0x81818181, 32)
    TEST_RR_OP(76, sra, 0xc0c0c0c0, 0x81818181, 33)
    TEST_RR_OP(77, sra, 0xffffffff, 0x81818181, 0xffffffff)
    TEST_RR_SRC1_EQ_DEST(78, sra, 0xff000000, 0x80000000, 7)
    TEST_RR_ZERODEST(79, sra, 0x80000000, 1)

    /* slt */
    TEST_RR_OP(90, slt, 0, 0x00000000, 0x00000000)
    TEST_RR_OP(91, slt, 0, 0x00000001, 0x00000001)
    TEST_RR_OP(92, slt, 1, 0x00000003, 0x00000007)
    TEST_RR_OP(93, slt, 0, 0x00000007, 0x00000003)
    TEST_RR_OP(94, slt, 1, 0x80000000, 0x00000000)
    TEST_RR_OP(95, slt, 0, 0x7fffffff, 0x80000000)
    TEST_RR_OP(96, slt, 1, 0x80000000, 0x7fffffff)
    TEST_RR_OP(97, slt, 1, 0xffffffff, 0x00000001)
    TEST_RR_OP(98, slt, 0, 0x00000001, 0xffffffff)
    TEST_RR_SRC12_EQ_DEST(99, slt, 0, 13)
    TEST_RR_ZEROSRC1(100, slt, 1, 1)
    TEST_RR_ZEROSRC2(101, slt, 1, -1)
    TEST_RR_ZERODEST(102, slt, 1, 2)

    /* sltu */
    TEST_RR_OP(110, sltu, 0, 0x00000000, 0x00000000)
    TEST_RR_OP(111, sltu, 1, 0x00000003, 0x00000007)
    TEST_RR_OP(112, sltu, 0, 0x80000000, 0x00000000)
    TEST_RR_OP(113, sltu, 0, 0x80000000, 0x7fffffff)
    TEST_RR_OP(114, sltu, 1, 0x7fffffff, 0x80000000)
    TEST_RR_OP(115, sltu, 0, 0xffffffff, 0x00000001)
    TEST_RR_OP(116, sltu, 1, 0x00000001, 0xffffffff)
    TEST_RR_OP(117, sltu, 0, 0xffffffff, 0xffffffff)
    TEST_RR_ZEROSRC1(118, sltu, 1, 5)      /* snez */
    TEST_RR_ZEROSRC1(119, sltu, 0, 0)
    TEST_RR_ZERODEST(120, sltu, 1, 2)

    /* xor / or / and */
    TEST_RR_OP(130, xor, 0xf00ff00f, 0xff00ff00, 0x0f0f0f0f)
    TEST_RR_OP(131, xor, 0xff00ff00, 0x0ff00ff0, 0xf0f0f0f0)
    TEST_RR_OP(132, xor, 0x00000000, 0xffffffff, 0xffffffff)
    TEST_RR_SRC12_EQ_DEST(133, xor, 0, 0x12345678)
    TEST_RR_ZERODEST(134, xor, 1, 2)
    TEST_RR_OP(140, or, 0xff0fff0f, 0xff00ff00, 0x0f0f0f0f)
    TEST_RR_OP(141, or, 0xfff0fff0, 0x0ff00ff0, 0xf0f0f0f0)
    TEST_RR_OP(142, or, 0x80000001, 0x80000000, 0x00000001)
    TEST_RR_SRC12_EQ_DEST(143, or, 0xff00ff00, 0xff00ff00)
    TEST_RR_ZERODEST(144, or, 1, 2)
    TEST_RR_OP(150, and, 0x0f000f00, 0xff00ff00, 0x0f0f0f0f)
    TEST_RR_OP(151, and, 0x00f000f0, 0x0ff00ff0, 0xf0f0f0f0)
    TEST_RR_OP(152, and, 0x00000000, 0x80000000, 0x7fffffff)
    TEST_RR_SRC12_EQ_DEST(153, and, 0xff00ff00, 0xff00ff00)
    TEST_RR_ZEROSRC2(154, and, 0, 0xffffffff)
    TEST_RR_ZERODEST(155, and, 3, 7)

    /* dependent chain through the same registers */
    li TESTNUM, 160
    li x5, 1
    add x5, x5, x5
    add x5, x5, x5
    sub x6, x0, x5
    sra x6, x6, x5
    xor x6, x6, x5
    CHECK(x6, 0xfffffffb)

    j pass
RVTEST_END
