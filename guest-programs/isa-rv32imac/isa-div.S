/* M extension, division: div, divu, rem, remu (unprivileged ISA, chapter "M"
 * Extension, division operations). Quotients round towards zero; the remainder
 * has the sign of the dividend. Division by zero does not trap: the quotient is
 * all ones (divu: 2^32-1, div: -1) and the remainder is the dividend. Signed
 * overflow INT_MIN / -1 gives quotient INT_MIN and remainder 0. Also rd == rs1,
 * rd == rs2, rs1 == rs2, x0 as source and destination, and the recommended
 * div/rem pair. Values as 32-bit patterns. */
#include "test_macros.h"
RVTEST_BEGIN

    /* div */
    TEST_RR_OP(1, div, 0x00000003, 0x00000014, 0x00000006)  /* + + */
    TEST_RR_OP(2, div, 0xfffffffd, 0xffffffec, 0x00000006)  /* - +: remainder takes the dividend's sign */
    TEST_RR_OP(3, div, 0xfffffffd, 0x00000014, 0xfffffffa)  /* + - */
    TEST_RR_OP(4, div, 0x00000003, 0xffffffec, 0xfffffffa)  /* - - */
    TEST_RR_OP(5, div, 0x00000000, 0x00000006, 0x00000014)  /* |a| < |b| */
    TEST_RR_OP(6, div, 0x00000000, 0xfffffffa, 0x00000014)
    TEST_RR_OP(7, div, 0x00000000, 0x00000000, 0x00000005)
    TEST_RR_OP(8, div, 0x00000000, 0x00000000, 0xfffffffb)
    TEST_RR_OP(9, div, 0x00000001, 0x00000001, 0x00000001)
    TEST_RR_OP(10, div, 0x00000001, 0x00000007, 0x00000007)
    TEST_RR_OP(11, div, 0xffffffff, 0xfffffff9, 0x00000007)
    TEST_RR_OP(12, div, 0x80000000, 0x80000000, 0xffffffff)  /* INT_MIN / -1 overflows: quotient INT_MIN, remainder 0 */
    TEST_RR_OP(13, div, 0x80000000, 0x80000000, 0x00000001)
    TEST_RR_OP(14, div, 0xc0000000, 0x80000000, 0x00000002)
    TEST_RR_OP(15, div, 0x00000001, 0x80000000, 0x80000000)
    TEST_RR_OP(16, div, 0x00000000, 0x7fffffff, 0x80000000)
    TEST_RR_OP(17, div, 0xffffffff, 0x80000000, 0x7fffffff)
    TEST_RR_OP(18, div, 0x80000001, 0x7fffffff, 0xffffffff)
    TEST_RR_OP(19, div, 0x00000000, 0xffffffff, 0x80000000)
    TEST_RR_OP(20, div, 0x00000001, 0xffffffff, 0xffffffff)
    TEST_RR_OP(21, div, 0x00000000, 0xffffffff, 0x00000002)
    TEST_RR_OP(22, div, 0x00010004, 0x12345678, 0x00001234)
    TEST_RR_OP(23, div, 0xfdeadbef, 0xdeadbeef, 0x00000010)
    TEST_RR_OP(24, div, 0xffffffff, 0x00000014, 0x00000000)  /* by zero: quotient all ones, remainder the dividend */
    TEST_RR_OP(25, div, 0xffffffff, 0xffffffec, 0x00000000)  /* by zero */
    TEST_RR_OP(26, div, 0xffffffff, 0x00000000, 0x00000000)  /* 0 / 0 */
    TEST_RR_OP(27, div, 0xffffffff, 0x80000000, 0x00000000)  /* by zero */
    TEST_RR_OP(28, div, 0xffffffff, 0x7fffffff, 0x00000000)  /* by zero */
    TEST_RR_OP(29, div, 0xffffffff, 0x00000001, 0x00000000)  /* by zero */
    TEST_RR_OP(30, div, 0xffffffff, 0xffffffff, 0x00000000)  /* by zero */
    TEST_RR_SRC1_EQ_DEST(31, div, 0xfffffffd, 0xfffffff3, 0x00000004)
    TEST_RR_SRC2_EQ_DEST(32, div, 0xfffffffd, 0x0000000e, 0xfffffffc)
    TEST_RR_SRC12_EQ_DEST(33, div, 0x00000001, 0xfffffff3)
    TEST_RR_ZEROSRC1(34, div, 0x00000000, 0xfffffff9)
    TEST_RR_ZEROSRC2(35, div, 0xffffffff, 0xfffffff9)
    TEST_RR_ZERODEST(36, div, 0xfffffff0, 0x00000003)

    /* divu */
    TEST_RR_OP(37, divu, 0x00000003, 0x00000014, 0x00000006)  /* + + */
    TEST_RR_OP(38, divu, 0x2aaaaaa7, 0xffffffec, 0x00000006)  /* - +: remainder takes the dividend's sign */
    TEST_RR_OP(39, divu, 0x00000000, 0x00000014, 0xfffffffa)  /* + - */
    TEST_RR_OP(40, divu, 0x00000000, 0xffffffec, 0xfffffffa)  /* - - */
    TEST_RR_OP(41, divu, 0x00000000, 0x00000006, 0x00000014)  /* |a| < |b| */
    TEST_RR_OP(42, divu, 0x0ccccccc, 0xfffffffa, 0x00000014)
    TEST_RR_OP(43, divu, 0x00000000, 0x00000000, 0x00000005)
    TEST_RR_OP(44, divu, 0x00000000, 0x00000000, 0xfffffffb)
    TEST_RR_OP(45, divu, 0x00000001, 0x00000001, 0x00000001)
    TEST_RR_OP(46, divu, 0x00000001, 0x00000007, 0x00000007)
    TEST_RR_OP(47, divu, 0x24924923, 0xfffffff9, 0x00000007)
    TEST_RR_OP(48, divu, 0x00000000, 0x80000000, 0xffffffff)  /* INT_MIN / -1 overflows: quotient INT_MIN, remainder 0 */
    TEST_RR_OP(49, divu, 0x80000000, 0x80000000, 0x00000001)
    TEST_RR_OP(50, divu, 0x40000000, 0x80000000, 0x00000002)
    TEST_RR_OP(51, divu, 0x00000001, 0x80000000, 0x80000000)
    TEST_RR_OP(52, divu, 0x00000000, 0x7fffffff, 0x80000000)
    TEST_RR_OP(53, divu, 0x00000001, 0x80000000, 0x7fffffff)
    TEST_RR_OP(54, divu, 0x00000000, 0x7fffffff, 0xffffffff)
    TEST_RR_OP(55, divu, 0x00000001, 0xffffffff, 0x80000000)
    TEST_RR_OP(56, divu, 0x00000001, 0xffffffff, 0xffffffff)
    TEST_RR_OP(57, divu, 0x7fffffff, 0xffffffff, 0x00000002)
    TEST_RR_OP(58, divu, 0x00010004, 0x12345678, 0x00001234)
    TEST_RR_OP(59, divu, 0x0deadbee, 0xdeadbeef, 0x00000010)
    TEST_RR_OP(60, divu, 0xffffffff, 0x00000014, 0x00000000)  /* by zero: quotient all ones, remainder the dividend */
    TEST_RR_OP(61, divu, 0xffffffff, 0xffffffec, 0x00000000)  /* by zero */
    TEST_RR_OP(62, divu, 0xffffffff, 0x00000000, 0x00000000)  /* 0 / 0 */
    TEST_RR_OP(63, divu, 0xffffffff, 0x80000000, 0x00000000)  /* by zero */
    TEST_RR_OP(64, divu, 0xffffffff, 0x7fffffff, 0x00000000)  /* by zero */
    TEST_RR_OP(65, divu, 0xffffffff, 0x00000001, 0x00000000)  /* by zero */
    TEST_RR_OP(66, divu, 0xffffffff, 0xffffffff, 0x00000000)  /* by zero */
    TEST_RR_SRC1_EQ_DEST(67, divu, 0x3ffffffc, 0xfffffff3, 0x00000004)
    TEST_RR_SRC2_EQ_DEST(68, divu, 0x00000000, 0x0000000e, 0xfffffffc)
    TEST_RR_SRC12_EQ_DEST(69, divu, 0x00000001, 0xfffffff3)
    TEST_RR_ZEROSRC1(70, divu, 0x00000000, 0xfffffff9)
    TEST_RR_ZEROSRC2(71, divu, 0xffffffff, 0xfffffff9)
    TEST_RR_ZERODEST(72, divu, 0xfffffff0, 0x00000003)

    /* rem */
    TEST_RR_OP(73, rem, 0x00000002, 0x00000014, 0x00000006)  /* + + */
    TEST_RR_OP(74, rem, 0xfffffffe, 0xffffffec, 0x00000006)  /* - +: remainder takes the dividend's sign */
    TEST_RR_OP(75, rem, 0x00000002, 0x00000014, 0xfffffffa)  /* + - */
    TEST_RR_OP(76, rem, 0xfffffffe, 0xffffffec, 0xfffffffa)  /* - - */
    TEST_RR_OP(77, rem, 0x00000006, 0x00000006, 0x00000014)  /* |a| < |b| */
    TEST_RR_OP(78, rem, 0xfffffffa, 0xfffffffa, 0x00000014)
    TEST_RR_OP(79, rem, 0x00000000, 0x00000000, 0x00000005)
    TEST_RR_OP(80, rem, 0x00000000, 0x00000000, 0xfffffffb)
    TEST_RR_OP(81, rem, 0x00000000, 0x00000001, 0x00000001)
    TEST_RR_OP(82, rem, 0x00000000, 0x00000007, 0x00000007)
    TEST_RR_OP(83, rem, 0x00000000, 0xfffffff9, 0x00000007)
    TEST_RR_OP(84, rem, 0x00000000, 0x80000000, 0xffffffff)  /* INT_MIN / -1 overflows: quotient INT_MIN, remainder 0 */
    TEST_RR_OP(85, rem, 0x00000000, 0x80000000, 0x00000001)
    TEST_RR_OP(86, rem, 0x00000000, 0x80000000, 0x00000002)
    TEST_RR_OP(87, rem, 0x00000000, 0x80000000, 0x80000000)
    TEST_RR_OP(88, rem, 0x7fffffff, 0x7fffffff, 0x80000000)
    TEST_RR_OP(89, rem, 0xffffffff, 0x80000000, 0x7fffffff)
    TEST_RR_OP(90, rem, 0x00000000, 0x7fffffff, 0xffffffff)
    TEST_RR_OP(91, rem, 0xffffffff, 0xffffffff, 0x80000000)
    TEST_RR_OP(92, rem, 0x00000000, 0xffffffff, 0xffffffff)
    TEST_RR_OP(93, rem, 0xffffffff, 0xffffffff, 0x00000002)
    TEST_RR_OP(94, rem, 0x00000da8, 0x12345678, 0x00001234)
    TEST_RR_OP(95, rem, 0xffffffff, 0xdeadbeef, 0x00000010)
    TEST_RR_OP(96, rem, 0x00000014, 0x00000014, 0x00000000)  /* by zero: quotient all ones, remainder the dividend */
    TEST_RR_OP(97, rem, 0xffffffec, 0xffffffec, 0x00000000)  /* by zero */
    TEST_RR_OP(98, rem, 0x00000000, 0x00000000, 0x00000000)  /* 0 / 0 */
    TEST_RR_OP(99, rem, 0x80000000, 0x80000000, 0x00000000)  /* by zero */
    TEST_RR_OP(100, rem, 0x7fffffff, 0x7fffffff, 0x00000000)  /* by zero */
    TEST_RR_OP(101, rem, 0x00000001, 0x00000001, 0x00000000)  /* by zero */
    TEST_RR_OP(102, rem, 0xffffffff, 0xffffffff, 0x00000000)  /* by zero */
    TEST_RR_SRC1_EQ_DEST(103, rem, 0xffffffff, 0xfffffff3, 0x00000004)
    TEST_RR_SRC2_EQ_DEST(104, rem, 0x00000002, 0x0000000e, 0xfffffffc)
    TEST_RR_SRC12_EQ_DEST(105, rem, 0x00000000, 0xfffffff3)
    TEST_RR_ZEROSRC1(106, rem, 0x00000000, 0xfffffff9)
    TEST_RR_ZEROSRC2(107, rem, 0xfffffff9, 0xfffffff9)
    TEST_RR_ZERODEST(108, rem, 0xfffffff0, 0x00000003)

    /* remu */
    TEST_RR_OP(109, remu, 0x00000002, 0x00000014, 0x00000006)  /* + + */
    TEST_RR_OP(110, remu, 0x00000002, 0xffffffec, 0x00000006)  /* - +: remainder takes the dividend's sign */
    TEST_RR_OP(111, remu, 0x00000014, 0x00000014, 0xfffffffa)  /* + - */
    TEST_RR_OP(112, remu, 0xffffffec, 0xffffffec, 0xfffffffa)  /* - - */
    TEST_RR_OP(113, remu, 0x00000006, 0x00000006, 0x00000014)  /* |a| < |b| */
    TEST_RR_OP(114, remu, 0x0000000a, 0xfffffffa, 0x00000014)
    TEST_RR_OP(115, remu, 0x00000000, 0x00000000, 0x00000005)
    TEST_RR_OP(116, remu, 0x00000000, 0x00000000, 0xfffffffb)
    TEST_RR_OP(117, remu, 0x00000000, 0x00000001, 0x00000001)
    TEST_RR_OP(118, remu, 0x00000000, 0x00000007, 0x00000007)
    TEST_RR_OP(119, remu, 0x00000004, 0xfffffff9, 0x00000007)
    TEST_RR_OP(120, remu, 0x80000000, 0x80000000, 0xffffffff)  /* INT_MIN / -1 overflows: quotient INT_MIN, remainder 0 */
    TEST_RR_OP(121, remu, 0x00000000, 0x80000000, 0x00000001)
    TEST_RR_OP(122, remu, 0x00000000, 0x80000000, 0x00000002)
    TEST_RR_OP(123, remu, 0x00000000, 0x80000000, 0x80000000)
    TEST_RR_OP(124, remu, 0x7fffffff, 0x7fffffff, 0x80000000)
    TEST_RR_OP(125, remu, 0x00000001, 0x80000000, 0x7fffffff)
    TEST_RR_OP(126, remu, 0x7fffffff, 0x7fffffff, 0xffffffff)
    TEST_RR_OP(127, remu, 0x7fffffff, 0xffffffff, 0x80000000)
    TEST_RR_OP(128, remu, 0x00000000, 0xffffffff, 0xffffffff)
    TEST_RR_OP(129, remu, 0x00000001, 0xffffffff, 0x00000002)
    TEST_RR_OP(130, remu, 0x00000da8, 0x12345678, 0x00001234)
    TEST_RR_OP(131, remu, 0x0000000f, 0xdeadbeef, 0x00000010)
    TEST_RR_OP(132, remu, 0x00000014, 0x00000014, 0x00000000)  /* by zero: quotient all ones, remainder the dividend */
    TEST_RR_OP(133, remu, 0xffffffec, 0xffffffec, 0x00000000)  /* by zero */
    TEST_RR_OP(134, remu, 0x00000000, 0x00000000, 0x00000000)  /* 0 / 0 */
    TEST_RR_OP(135, remu, 0x80000000, 0x80000000, 0x00000000)  /* by zero */
    TEST_RR_OP(136, remu, 0x7fffffff, 0x7fffffff, 0x00000000)  /* by zero */
    TEST_RR_OP(137, remu, 0x00000001, 0x00000001, 0x00000000)  /* by zero */
    TEST_RR_OP(138, remu, 0xffffffff, 0xffffffff, 0x00000000)  /* by zero */
    TEST_RR_SRC1_EQ_DEST(139, remu, 0x00000003, 0xfffffff3, 0x00000004)
    TEST_RR_SRC2_EQ_DEST(140, remu, 0x0000000e, 0x0000000e, 0xfffffffc)
    TEST_RR_SRC12_EQ_DEST(141, remu, 0x00000000, 0xfffffff3)
    TEST_RR_ZEROSRC1(142, remu, 0x00000000, 0xfffffff9)
    TEST_RR_ZEROSRC2(143, remu, 0xfffffff9, 0xfffffff9)
    TEST_RR_ZERODEST(144, remu, 0xfffffff0, 0x00000003)

    /* the recommended sequence: div[u] rdq, rs1, rs2; rem[u] rdr, rs1, rs2 (rdq not rs1 or
     * rs2); a translator may fuse it, so check both results */
    li TESTNUM, 160
    li x1, -1000003
    li x2, 97
    div x13, x1, x2
    rem x14, x1, x2
    CHECK(x13, -10309)
    CHECK(x14, -30)
    li TESTNUM, 161
    divu x13, x1, x2
    remu x14, x1, x2
    CHECK(x13, 44267704)
    CHECK(x14, 5)

    /* not that sequence: the quotient overwrites rs1 and rem must see the new value */
    li TESTNUM, 162
    li x1, 1000
    li x2, 7
    div x1, x1, x2
    rem x14, x1, x2
    CHECK(x1, 142)
    CHECK(x14, 2)

    /* by zero with rd == rs1: the remainder is the old dividend */
    li TESTNUM, 163
    li x8, -5
    rem x8, x8, x0
    CHECK(x8, -5)
    li TESTNUM, 164
    li x9, 5
    divu x9, x9, x0
    CHECK(x9, 0xffffffff)

    CHECK(x0, 0)

RVTEST_END
