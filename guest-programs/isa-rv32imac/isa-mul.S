/* M extension, multiplication: mul, mulh, mulhsu, mulhu (unprivileged ISA, chapter
 * "M" Extension for Integer Multiplication and Division). mul gives the low 32 bits
 * of the product; mulh, mulhsu and mulhu the high 32 bits of the 64-bit product of
 * signed x signed, signed rs1 x unsigned rs2 and unsigned x unsigned operands.
 * Every sign combination and the extremes (0, 1, -1, INT_MIN, INT_MAX,
 * 0x80000000 * 0x80000000), rd == rs1, rd == rs2, rs1 == rs2, x0 as source and as
 * destination; then the spec's recommended mulh[s][u]/mul pair and a pair whose
 * first result feeds the second. Values as 32-bit patterns. */
#include "test_macros.h"
RVTEST_BEGIN

    /* mul */
    TEST_RR_OP(1, mul, 0x00000000, 0x00000000, 0x00000000)
    TEST_RR_OP(2, mul, 0x00000000, 0x00000000, 0xffffffff)
    TEST_RR_OP(3, mul, 0x00000000, 0xffffffff, 0x00000000)
    TEST_RR_OP(4, mul, 0x00000001, 0x00000001, 0x00000001)
    TEST_RR_OP(5, mul, 0xffffffff, 0x00000001, 0xffffffff)
    TEST_RR_OP(6, mul, 0xffffffff, 0xffffffff, 0x00000001)
    TEST_RR_OP(7, mul, 0x00000001, 0xffffffff, 0xffffffff)
    TEST_RR_OP(8, mul, 0x00000015, 0x00000003, 0x00000007)  /* + + */
    TEST_RR_OP(9, mul, 0xffffffeb, 0xfffffffd, 0x00000007)  /* - + */
    TEST_RR_OP(10, mul, 0xffffffeb, 0x00000003, 0xfffffff9)  /* + - */
    TEST_RR_OP(11, mul, 0x00000015, 0xfffffffd, 0xfffffff9)  /* - - */
    TEST_RR_OP(12, mul, 0x00000000, 0x80000000, 0x80000000)  /* 0x80000000 * 0x80000000 */
    TEST_RR_OP(13, mul, 0x80000000, 0x80000000, 0xffffffff)  /* INT_MIN * -1 */
    TEST_RR_OP(14, mul, 0x80000000, 0xffffffff, 0x80000000)
    TEST_RR_OP(15, mul, 0x80000000, 0x80000000, 0x00000001)
    TEST_RR_OP(16, mul, 0x00000001, 0x7fffffff, 0x7fffffff)  /* INT_MAX * INT_MAX */
    TEST_RR_OP(17, mul, 0x80000000, 0x7fffffff, 0x80000000)
    TEST_RR_OP(18, mul, 0x80000000, 0x80000000, 0x7fffffff)
    TEST_RR_OP(19, mul, 0x80000001, 0x7fffffff, 0xffffffff)
    TEST_RR_OP(20, mul, 0xfffe0001, 0x0000ffff, 0x0000ffff)
    TEST_RR_OP(21, mul, 0x00000000, 0x00010000, 0x00010000)  /* 2^16 * 2^16: low word 0 */
    TEST_RR_OP(22, mul, 0x5621ca08, 0x12345678, 0xdeadbeef)
    TEST_RR_OP(23, mul, 0x5621ca08, 0xdeadbeef, 0x12345678)
    TEST_RR_OP(24, mul, 0xfffffffc, 0xfffffffe, 0x00000002)
    TEST_RR_OP(25, mul, 0xfffffffc, 0x00000002, 0xfffffffe)
    TEST_RR_SRC1_EQ_DEST(26, mul, 0xffffff71, 0xfffffff3, 0x0000000b)
    TEST_RR_SRC2_EQ_DEST(27, mul, 0xffffff66, 0x0000000e, 0xfffffff5)
    TEST_RR_SRC12_EQ_DEST(28, mul, 0x000000a9, 0xfffffff3)
    TEST_RR_ZEROSRC1(29, mul, 0x00000000, 0xfffffff9)
    TEST_RR_ZEROSRC2(30, mul, 0x00000000, 0xfffffff9)
    TEST_RR_ZERODEST(31, mul, 0xfffffff0, 0x0000001e)

    /* mulh */
    TEST_RR_OP(32, mulh, 0x00000000, 0x00000000, 0x00000000)
    TEST_RR_OP(33, mulh, 0x00000000, 0x00000000, 0xffffffff)
    TEST_RR_OP(34, mulh, 0x00000000, 0xffffffff, 0x00000000)
    TEST_RR_OP(35, mulh, 0x00000000, 0x00000001, 0x00000001)
    TEST_RR_OP(36, mulh, 0xffffffff, 0x00000001, 0xffffffff)
    TEST_RR_OP(37, mulh, 0xffffffff, 0xffffffff, 0x00000001)
    TEST_RR_OP(38, mulh, 0x00000000, 0xffffffff, 0xffffffff)
    TEST_RR_OP(39, mulh, 0x00000000, 0x00000003, 0x00000007)  /* + + */
    TEST_RR_OP(40, mulh, 0xffffffff, 0xfffffffd, 0x00000007)  /* - + */
    TEST_RR_OP(41, mulh, 0xffffffff, 0x00000003, 0xfffffff9)  /* + - */
    TEST_RR_OP(42, mulh, 0x00000000, 0xfffffffd, 0xfffffff9)  /* - - */
    TEST_RR_OP(43, mulh, 0x40000000, 0x80000000, 0x80000000)  /* 0x80000000 * 0x80000000 */
    TEST_RR_OP(44, mulh, 0x00000000, 0x80000000, 0xffffffff)  /* INT_MIN * -1 */
    TEST_RR_OP(45, mulh, 0x00000000, 0xffffffff, 0x80000000)
    TEST_RR_OP(46, mulh, 0xffffffff, 0x80000000, 0x00000001)
    TEST_RR_OP(47, mulh, 0x3fffffff, 0x7fffffff, 0x7fffffff)  /* INT_MAX * INT_MAX */
    TEST_RR_OP(48, mulh, 0xc0000000, 0x7fffffff, 0x80000000)
    TEST_RR_OP(49, mulh, 0xc0000000, 0x80000000, 0x7fffffff)
    TEST_RR_OP(50, mulh, 0xffffffff, 0x7fffffff, 0xffffffff)
    TEST_RR_OP(51, mulh, 0x00000000, 0x0000ffff, 0x0000ffff)
    TEST_RR_OP(52, mulh, 0x00000001, 0x00010000, 0x00010000)  /* 2^16 * 2^16: low word 0 */
    TEST_RR_OP(53, mulh, 0xfda16776, 0x12345678, 0xdeadbeef)
    TEST_RR_OP(54, mulh, 0xfda16776, 0xdeadbeef, 0x12345678)
    TEST_RR_OP(55, mulh, 0xffffffff, 0xfffffffe, 0x00000002)
    TEST_RR_OP(56, mulh, 0xffffffff, 0x00000002, 0xfffffffe)
    TEST_RR_SRC1_EQ_DEST(57, mulh, 0xffffffff, 0xfffffff3, 0x0000000b)
    TEST_RR_SRC2_EQ_DEST(58, mulh, 0xffffffff, 0x0000000e, 0xfffffff5)
    TEST_RR_SRC12_EQ_DEST(59, mulh, 0x00000000, 0xfffffff3)
    TEST_RR_ZEROSRC1(60, mulh, 0x00000000, 0xfffffff9)
    TEST_RR_ZEROSRC2(61, mulh, 0x00000000, 0xfffffff9)
    TEST_RR_ZERODEST(62, mulh, 0xfffffff0, 0x0000001e)

    /* mulhsu */
    TEST_RR_OP(63, mulhsu, 0x00000000, 0x00000000, 0x00000000)
    TEST_RR_OP(64, mulhsu, 0x00000000, 0x00000000, 0xffffffff)
    TEST_RR_OP(65, mulhsu, 0x00000000, 0xffffffff, 0x00000000)
    TEST_RR_OP(66, mulhsu, 0x00000000, 0x00000001, 0x00000001)
    TEST_RR_OP(67, mulhsu, 0x00000000, 0x00000001, 0xffffffff)
    TEST_RR_OP(68, mulhsu, 0xffffffff, 0xffffffff, 0x00000001)
    TEST_RR_OP(69, mulhsu, 0xffffffff, 0xffffffff, 0xffffffff)
    TEST_RR_OP(70, mulhsu, 0x00000000, 0x00000003, 0x00000007)  /* + + */
    TEST_RR_OP(71, mulhsu, 0xffffffff, 0xfffffffd, 0x00000007)  /* - + */
    TEST_RR_OP(72, mulhsu, 0x00000002, 0x00000003, 0xfffffff9)  /* + - */
    TEST_RR_OP(73, mulhsu, 0xfffffffd, 0xfffffffd, 0xfffffff9)  /* - - */
    TEST_RR_OP(74, mulhsu, 0xc0000000, 0x80000000, 0x80000000)  /* 0x80000000 * 0x80000000 */
    TEST_RR_OP(75, mulhsu, 0x80000000, 0x80000000, 0xffffffff)  /* INT_MIN * -1 */
    TEST_RR_OP(76, mulhsu, 0xffffffff, 0xffffffff, 0x80000000)
    TEST_RR_OP(77, mulhsu, 0xffffffff, 0x80000000, 0x00000001)
    TEST_RR_OP(78, mulhsu, 0x3fffffff, 0x7fffffff, 0x7fffffff)  /* INT_MAX * INT_MAX */
    TEST_RR_OP(79, mulhsu, 0x3fffffff, 0x7fffffff, 0x80000000)
    TEST_RR_OP(80, mulhsu, 0xc0000000, 0x80000000, 0x7fffffff)
    TEST_RR_OP(81, mulhsu, 0x7ffffffe, 0x7fffffff, 0xffffffff)
    TEST_RR_OP(82, mulhsu, 0x00000000, 0x0000ffff, 0x0000ffff)
    TEST_RR_OP(83, mulhsu, 0x00000001, 0x00010000, 0x00010000)  /* 2^16 * 2^16: low word 0 */
    TEST_RR_OP(84, mulhsu, 0x0fd5bdee, 0x12345678, 0xdeadbeef)
    TEST_RR_OP(85, mulhsu, 0xfda16776, 0xdeadbeef, 0x12345678)
    TEST_RR_OP(86, mulhsu, 0xffffffff, 0xfffffffe, 0x00000002)
    TEST_RR_OP(87, mulhsu, 0x00000001, 0x00000002, 0xfffffffe)
    TEST_RR_SRC1_EQ_DEST(88, mulhsu, 0xffffffff, 0xfffffff3, 0x0000000b)
    TEST_RR_SRC2_EQ_DEST(89, mulhsu, 0x0000000d, 0x0000000e, 0xfffffff5)
    TEST_RR_SRC12_EQ_DEST(90, mulhsu, 0xfffffff3, 0xfffffff3)
    TEST_RR_ZEROSRC1(91, mulhsu, 0x00000000, 0xfffffff9)
    TEST_RR_ZEROSRC2(92, mulhsu, 0x00000000, 0xfffffff9)
    TEST_RR_ZERODEST(93, mulhsu, 0xfffffff0, 0x0000001e)

    /* mulhu */
    TEST_RR_OP(94, mulhu, 0x00000000, 0x00000000, 0x00000000)
    TEST_RR_OP(95, mulhu, 0x00000000, 0x00000000, 0xffffffff)
    TEST_RR_OP(96, mulhu, 0x00000000, 0xffffffff, 0x00000000)
    TEST_RR_OP(97, mulhu, 0x00000000, 0x00000001, 0x00000001)
    TEST_RR_OP(98, mulhu, 0x00000000, 0x00000001, 0xffffffff)
    TEST_RR_OP(99, mulhu, 0x00000000, 0xffffffff, 0x00000001)
    TEST_RR_OP(100, mulhu, 0xfffffffe, 0xffffffff, 0xffffffff)
    TEST_RR_OP(101, mulhu, 0x00000000, 0x00000003, 0x00000007)  /* + + */
    TEST_RR_OP(102, mulhu, 0x00000006, 0xfffffffd, 0x00000007)  /* - + */
    TEST_RR_OP(103, mulhu, 0x00000002, 0x00000003, 0xfffffff9)  /* + - */
    TEST_RR_OP(104, mulhu, 0xfffffff6, 0xfffffffd, 0xfffffff9)  /* - - */
    TEST_RR_OP(105, mulhu, 0x40000000, 0x80000000, 0x80000000)  /* 0x80000000 * 0x80000000 */
    TEST_RR_OP(106, mulhu, 0x7fffffff, 0x80000000, 0xffffffff)  /* INT_MIN * -1 */
    TEST_RR_OP(107, mulhu, 0x7fffffff, 0xffffffff, 0x80000000)
    TEST_RR_OP(108, mulhu, 0x00000000, 0x80000000, 0x00000001)
    TEST_RR_OP(109, mulhu, 0x3fffffff, 0x7fffffff, 0x7fffffff)  /* INT_MAX * INT_MAX */
    TEST_RR_OP(110, mulhu, 0x3fffffff, 0x7fffffff, 0x80000000)
    TEST_RR_OP(111, mulhu, 0x3fffffff, 0x80000000, 0x7fffffff)
    TEST_RR_OP(112, mulhu, 0x7ffffffe, 0x7fffffff, 0xffffffff)
    TEST_RR_OP(113, mulhu, 0x00000000, 0x0000ffff, 0x0000ffff)
    TEST_RR_OP(114, mulhu, 0x00000001, 0x00010000, 0x00010000)  /* 2^16 * 2^16: low word 0 */
    TEST_RR_OP(115, mulhu, 0x0fd5bdee, 0x12345678, 0xdeadbeef)
    TEST_RR_OP(116, mulhu, 0x0fd5bdee, 0xdeadbeef, 0x12345678)
    TEST_RR_OP(117, mulhu, 0x00000001, 0xfffffffe, 0x00000002)
    TEST_RR_OP(118, mulhu, 0x00000001, 0x00000002, 0xfffffffe)
    TEST_RR_SRC1_EQ_DEST(119, mulhu, 0x0000000a, 0xfffffff3, 0x0000000b)
    TEST_RR_SRC2_EQ_DEST(120, mulhu, 0x0000000d, 0x0000000e, 0xfffffff5)
    TEST_RR_SRC12_EQ_DEST(121, mulhu, 0xffffffe6, 0xfffffff3)
    TEST_RR_ZEROSRC1(122, mulhu, 0x00000000, 0xfffffff9)
    TEST_RR_ZEROSRC2(123, mulhu, 0x00000000, 0xfffffff9)
    TEST_RR_ZERODEST(124, mulhu, 0xfffffff0, 0x0000001e)

    /* the recommended sequence for a full product: mulh[s][u] rdh, rs1, rs2; mul rdl, rs1, rs2
     * (rdh not rs1 or rs2); a translator may fuse it, so check both halves */
    li TESTNUM, 150
    li x1, 0x89abcdef
    li x2, 0xfedcba98
    mulhu x13, x1, x2
    mul x14, x1, x2
    CHECK(x13, 0x890f2a50)
    CHECK(x14, 0xad05ebe8)
    li TESTNUM, 151
    mulh x13, x1, x2
    mul x14, x1, x2
    CHECK(x13, 0x0086a1c9)
    CHECK(x14, 0xad05ebe8)
    li TESTNUM, 152
    mulhsu x13, x1, x2
    mul x14, x1, x2
    CHECK(x13, 0x8a326fb8)
    CHECK(x14, 0xad05ebe8)

    /* not that sequence: the high half overwrites rs1, and mul must see the new value */
    li TESTNUM, 153
    li x1, 0x89abcdef
    li x2, 0xfedcba98
    mulhu x1, x1, x2
    mul x14, x1, x2
    CHECK(x1, 0x890f2a50)
    CHECK(x14, 0x227f3f80)

    /* the same registers reused as rd, rs1 and rs2 across two products */
    li TESTNUM, 154
    li x8, -3
    li x9, 5
    mul x8, x8, x9
    mul x8, x8, x8
    CHECK(x8, 225)

    /* x0 stays zero */
    CHECK(x0, 0)

RVTEST_END
