/* RV32I register-immediate ops: addi slti sltiu xori ori andi (12-bit sign-extended immediates). */
#include "test_macros.h"
RVTEST_BEGIN

    /* addi */
    TEST_IMM_OP(1, addi, 0x00000000, 0x00000000, 0)
    TEST_IMM_OP(2, addi, 0x00000002, 0x00000001, 1)
    TEST_IMM_OP(3, addi, 0x0000000a, 0x00000003, 7)
    TEST_IMM_OP(4, addi, 0xfffff800, 0x00000000, -2048)
    TEST_IMM_OP(5, addi, 0x000007ff, 0x00000000, 2047)
    TEST_IMM_OP(6, addi, 0x7ffff800, 0x80000000, -2048)
    TEST_IMM_OP(7, addi, 0x800007fe, 0x7fffffff, 2047)
    TEST_IMM_OP(8, addi, 0x80000000, 0x7fffffff, 1)
    TEST_IMM_OP(9, addi, 0x7fffffff, 0x80000000, -1)
    TEST_IMM_OP(10, addi, 0x00000000, 0xffffffff, 1)
    TEST_IMM_OP(11, addi, 0xfffffffe, 0xffffffff, -1)
    TEST_IMM_SRC1_EQ_DEST(12, addi, 24, 13, 11)
    TEST_IMM_ZEROSRC1(13, addi, 32, 32)
    TEST_IMM_ZEROSRC1(14, addi, -2048, -2048)
    TEST_IMM_ZERODEST(15, addi, 33, 50)
    /* mv / nop forms */
    TEST_CASE(16, x5, 0x12345678, li x4, 0x12345678; addi x5, x4, 0)
    TEST_CASE(17, x0, 0, addi x0, x0, 0)
    TEST_CASE(18, x0, 0, addi x0, x0, 1)

    /* slti */
    TEST_IMM_OP(20, slti, 0, 0x00000000, 0)
    TEST_IMM_OP(21, slti, 1, 0x00000003, 7)
    TEST_IMM_OP(22, slti, 0, 0x00000007, 3)
    TEST_IMM_OP(23, slti, 1, 0x80000000, 0)
    TEST_IMM_OP(24, slti, 1, 0x80000000, -2048)
    TEST_IMM_OP(25, slti, 0, 0x7fffffff, 2047)
    TEST_IMM_OP(26, slti, 0, 0x7fffffff, -2048)
    TEST_IMM_OP(27, slti, 1, 0xffffffff, 0)
    TEST_IMM_OP(28, slti, 0, 0x00000000, -1)
    TEST_IMM_OP(29, slti, 0, 0xffffffff, -1)
    TEST_IMM_OP(30, slti, 1, 0xfffff7ff, -2048)
    TEST_IMM_SRC1_EQ_DEST(31, slti, 1, 11, 13)
    TEST_IMM_ZEROSRC1(32, slti, 0, -1)
    TEST_IMM_ZEROSRC1(33, slti, 1, 1)
    TEST_IMM_ZERODEST(34, slti, 0, 5)

    /* sltiu: immediate is sign-extended, then compared unsigned */
    TEST_IMM_OP(40, sltiu, 0, 0x00000000, 0)
    TEST_IMM_OP(41, sltiu, 1, 0x00000003, 7)
    TEST_IMM_OP(42, sltiu, 0, 0x00000007, 3)
    TEST_IMM_OP(43, sltiu, 1, 0x00000000, -1)      /* 0 < 0xffffffff */
    TEST_IMM_OP(44, sltiu, 1, 0x80000000, -2048)   /* < 0xfffff800 */
    TEST_IMM_OP(45, sltiu, 0, 0xffffffff, -1)
    TEST_IMM_OP(46, sltiu, 1, 0xfffffffe, -1)
    TEST_IMM_OP(47, sltiu, 0, 0x80000000, 2047)
    TEST_IMM_OP(48, sltiu, 1, 0x00000000, 1)       /* seqz */
    TEST_IMM_OP(49, sltiu, 0, 0x00000005, 1)
    TEST_IMM_SRC1_EQ_DEST(50, sltiu, 0, 11, 11)
    TEST_IMM_ZERODEST(51, sltiu, 1, 7)

    /* xori */
    TEST_IMM_OP(60, xori, 0xff00f00f, 0x00ff0f00, -0x0f1)  /* imm 0xf0f sign-extends to 0xffffff0f */
    TEST_IMM_OP(61, xori, 0x0ff00f00, 0x0ff00ff0, 0x0f0)
    TEST_IMM_OP(62, xori, 0x00ff0ff0, 0x00ff08ff, 0x70f)
    TEST_IMM_OP(63, xori, 0xf00ff0ff, 0xf00ff00f, 0x0f0)
    TEST_IMM_OP(64, xori, 0xedcba987, 0x12345678, -1)     /* not */
    TEST_IMM_SRC1_EQ_DEST(65, xori, 0xff00f00f, 0xff00f700, 0x70f)
    TEST_IMM_ZEROSRC1(66, xori, 0xfffff800, -2048)
    TEST_IMM_ZERODEST(67, xori, 1, 2)

    /* ori */
    TEST_IMM_OP(70, ori, 0xffffff0f, 0xff00ff00, -0x0f1)
    TEST_IMM_OP(71, ori, 0x0ff00ff0, 0x0ff00ff0, 0x0f0)
    TEST_IMM_OP(72, ori, 0x00ff07ff, 0x00ff00ff, 0x70f)
    TEST_IMM_OP(73, ori, 0xf00ff0ff, 0xf00ff00f, 0x0f0)
    TEST_IMM_OP(74, ori, 0xffffffff, 0x00000000, -1)
    TEST_IMM_SRC1_EQ_DEST(75, ori, 0xff00fff0, 0xff00ff00, 0x0f0)
    TEST_IMM_ZEROSRC1(76, ori, 0x7ff, 2047)
    TEST_IMM_ZERODEST(77, ori, 1, 2)

    /* andi */
    TEST_IMM_OP(80, andi, 0xff00ff00, 0xff00ff00, -0x0f1)
    TEST_IMM_OP(81, andi, 0x000000f0, 0x0ff00ff0, 0x0f0)
    TEST_IMM_OP(82, andi, 0x0000000f, 0x00ff00ff, 0x70f)
    TEST_IMM_OP(83, andi, 0x00000000, 0xf00ff00f, 0x0f0)
    TEST_IMM_OP(84, andi, 0x80000000, 0x80000000, -2048)
    TEST_IMM_OP(85, andi, 0x12345678, 0x12345678, -1)
    TEST_IMM_SRC1_EQ_DEST(86, andi, 0x00000000, 0xff00ff00, 0x0f0)
    TEST_IMM_ZEROSRC1(87, andi, 0, -1)
    TEST_IMM_ZERODEST(88, andi, 0xff, 0xff)

    j pass
RVTEST_END
