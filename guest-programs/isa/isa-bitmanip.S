/* Bit manipulation: every RV32 instruction of Zba, Zbb, Zbc, Zbs, Zbkb and Zbkx (the
 * bit-manipulation specification 1.0.0 and the scalar cryptography specification 1.0.1).
 * Expected values worked out by hand from the specifications' pseudo-code: edge values
 * (0, all ones, INT_MIN, shift amounts 0, 1 and 31, bit indices of 32 and more, which use
 * their low five bits), rd == rs1, rd == rs2, x0 as source and destination, zip/unzip round
 * trips, xperm4/xperm8 with indices past the end. Built with
 * -march=rv32i_zba_zbb_zbc_zbs_zbkb_zbkx (no C); qemu-riscv32 runs it with
 * -cpu any,zbkb=true,zbkx=true. */
#include "test_macros.h"

/* one-operand ops: inst rd, rs1 */
#define TEST_R_OP(n, inst, result, v) \
    TEST_CASE(n, x14, result, li x1, v; inst x14, x1)
#define TEST_R_SRC1_EQ_DEST(n, inst, result, v) \
    TEST_CASE(n, x1, result, li x1, v; inst x1, x1)
#define TEST_R_ZEROSRC1(n, inst, result) \
    TEST_CASE(n, x1, result, li x1, 0x5a5a5a5a; inst x1, x0)
#define TEST_R_ZERODEST(n, inst, v) \
    TEST_CASE(n, x0, 0, li x1, v; inst x0, x1)

RVTEST_BEGIN

    /* Zba: rd = (rs1 << n) + rs2, wrapping */
    TEST_RR_OP(1, sh1add, 0x00000003, 0x80000001, 0x00000001)
    TEST_RR_OP(2, sh1add, 0xffffffff, 0x00000000, 0xffffffff)
    TEST_RR_OP(3, sh2add, 0x00000000, 0x40000001, 0xfffffffc)
    TEST_RR_OP(4, sh2add, 0x00000005, 0x00000001, 0x00000001)
    TEST_RR_OP(5, sh3add, 0x00000005, 0x20000000, 0x00000005)
    TEST_RR_OP(6, sh3add, 0x00000000, 0x00000001, 0xfffffff8)
    TEST_RR_SRC1_EQ_DEST(7, sh1add, 0x00000007, 0x00000002, 0x00000003)
    TEST_RR_SRC2_EQ_DEST(8, sh3add, 0x0000001b, 0x00000003, 0x00000003)
    TEST_RR_SRC12_EQ_DEST(9, sh2add, 0x0000000f, 0x00000003)
    TEST_RR_ZEROSRC1(10, sh1add, 0x12345678, 0x12345678)
    TEST_RR_ZEROSRC2(11, sh3add, 0x91a2b3c0, 0x12345678)
    TEST_RR_ZERODEST(12, sh2add, 0x00000001, 0x00000002)

    /* Zbb / Zbkb: logic with negate */
    TEST_RR_OP(13, andn, 0xf000f000, 0xff00ff00, 0x0ff00ff0)
    TEST_RR_OP(14, andn, 0x00000000, 0xffffffff, 0xffffffff)
    TEST_RR_ZEROSRC2(15, andn, 0x12345678, 0x12345678)
    TEST_RR_OP(16, orn, 0x0000ffff, 0x00000000, 0xffff0000)
    TEST_RR_OP(17, orn, 0x12345678, 0x12345678, 0xffffffff)
    TEST_RR_ZEROSRC2(18, orn, 0xffffffff, 0x12345678)
    TEST_RR_OP(19, xnor, 0xffffffff, 0x12345678, 0x12345678)
    TEST_RR_OP(20, xnor, 0x00000000, 0x00000000, 0xffffffff)
    TEST_RR_SRC12_EQ_DEST(21, xnor, 0xffffffff, 0x87654321)
    TEST_RR_ZERODEST(22, andn, 0xffffffff, 0x00000000)

    /* Zbb: counting */
    TEST_R_OP(23, clz, 32, 0x00000000)
    TEST_R_OP(24, clz, 31, 0x00000001)
    TEST_R_OP(25, clz, 0, 0x80000000)
    TEST_R_OP(26, clz, 15, 0x00010000)
    TEST_R_OP(27, clz, 0, 0xffffffff)
    TEST_R_OP(28, ctz, 32, 0x00000000)
    TEST_R_OP(29, ctz, 0, 0x00000001)
    TEST_R_OP(30, ctz, 31, 0x80000000)
    TEST_R_OP(31, ctz, 16, 0x00010000)
    TEST_R_OP(32, cpop, 0, 0x00000000)
    TEST_R_OP(33, cpop, 32, 0xffffffff)
    TEST_R_OP(34, cpop, 2, 0x80000001)
    TEST_R_OP(35, cpop, 13, 0x12345678)
    TEST_R_SRC1_EQ_DEST(36, clz, 3, 0x10000000)
    TEST_R_ZEROSRC1(37, ctz, 32)
    TEST_R_ZEROSRC1(38, cpop, 0)
    TEST_R_ZERODEST(39, clz, 0x00000001)

    /* Zbb: minimum and maximum, signed and unsigned */
    TEST_RR_OP(40, max, 0x7fffffff, 0x80000000, 0x7fffffff)
    TEST_RR_OP(41, max, 0x00000000, 0xffffffff, 0x00000000)
    TEST_RR_OP(42, maxu, 0xffffffff, 0xffffffff, 0x00000000)
    TEST_RR_OP(43, maxu, 0x80000000, 0x7fffffff, 0x80000000)
    TEST_RR_OP(44, min, 0x80000000, 0x80000000, 0x7fffffff)
    TEST_RR_OP(45, min, 0xffffffff, 0xffffffff, 0x00000000)
    TEST_RR_OP(46, minu, 0x00000000, 0xffffffff, 0x00000000)
    TEST_RR_OP(47, minu, 0x7fffffff, 0x7fffffff, 0x80000000)
    TEST_RR_SRC12_EQ_DEST(48, max, 0xfffffff3, 0xfffffff3)
    TEST_RR_ZEROSRC1(49, min, 0xfffffff9, 0xfffffff9)
    TEST_RR_ZEROSRC2(50, maxu, 0xfffffff9, 0xfffffff9)
    TEST_RR_SRC2_EQ_DEST(51, minu, 0x00000003, 0x00000003, 0xfffffffd)

    /* Zbb: sign and zero extension */
    TEST_R_OP(52, sext.b, 0xffffff80, 0x00000080)
    TEST_R_OP(53, sext.b, 0x0000007f, 0x1234567f)
    TEST_R_OP(54, sext.b, 0x00000000, 0xffffff00)
    TEST_R_OP(55, sext.h, 0xffff8000, 0x00008000)
    TEST_R_OP(56, sext.h, 0x00007fff, 0xffff7fff)
    TEST_R_OP(57, zext.h, 0x00008000, 0xffff8000)
    TEST_R_OP(58, zext.h, 0x0000ffff, 0xffffffff)
    TEST_R_SRC1_EQ_DEST(59, sext.h, 0xffffffff, 0x0000ffff)
    TEST_R_ZEROSRC1(60, zext.h, 0)

    /* Zbb / Zbkb: rotations by 0, 1, 31 and 32 or more */
    TEST_RR_OP(61, rol, 0x80000001, 0x80000001, 0)
    TEST_RR_OP(62, rol, 0x00000003, 0x80000001, 1)
    TEST_RR_OP(63, rol, 0xc0000000, 0x80000001, 31)
    TEST_RR_OP(64, rol, 0x00000003, 0x80000001, 33)
    TEST_RR_OP(65, rol, 0x23456781, 0x12345678, 4)
    TEST_RR_OP(66, ror, 0x80000001, 0x80000001, 0)
    TEST_RR_OP(67, ror, 0xc0000000, 0x80000001, 1)
    TEST_RR_OP(68, ror, 0x00000003, 0x80000001, 31)
    TEST_RR_OP(69, ror, 0x81234567, 0x12345678, 36)
    TEST_RR_OP(70, ror, 0x12345678, 0x12345678, 0xffffffe0)
    TEST_IMM_OP(71, rori, 0x80000001, 0x80000001, 0)
    TEST_IMM_OP(72, rori, 0xc0000000, 0x80000001, 1)
    TEST_IMM_OP(73, rori, 0x00000003, 0x80000001, 31)
    TEST_IMM_OP(74, rori, 0x81234567, 0x12345678, 4)
    TEST_IMM_SRC1_EQ_DEST(75, rori, 0x56781234, 0x12345678, 16)
    TEST_IMM_ZEROSRC1(76, rori, 0, 7)
    TEST_IMM_ZERODEST(77, rori, 0x12345678, 3)
    TEST_RR_SRC1_EQ_DEST(78, rol, 0x00000020, 0x00000001, 0x00000005)
    TEST_RR_ZEROSRC1(79, ror, 0x00000000, 0x00000005)

    /* Zbb / Zbkb: bytes */
    TEST_R_OP(80, orc.b, 0x00ff00ff, 0x00010080)
    TEST_R_OP(81, orc.b, 0x00000000, 0x00000000)
    TEST_R_OP(82, orc.b, 0xff000000, 0x01000000)
    TEST_R_OP(83, orc.b, 0xffffffff, 0x01010101)
    TEST_R_OP(84, rev8, 0x78563412, 0x12345678)
    TEST_R_OP(85, rev8, 0x000000ff, 0xff000000)
    TEST_R_SRC1_EQ_DEST(86, rev8, 0x04030201, 0x01020304)
    TEST_R_ZERODEST(87, orc.b, 0x00000001)

    /* Zbc: carry-less products (all ones squared: every even power of x) */
    TEST_RR_OP(88, clmul, 0x55555555, 0xffffffff, 0xffffffff)
    TEST_RR_OP(89, clmulh, 0x55555555, 0xffffffff, 0xffffffff)
    TEST_RR_OP(90, clmulr, 0xaaaaaaaa, 0xffffffff, 0xffffffff)
    TEST_RR_OP(91, clmul, 0x00000005, 0x00000003, 0x00000003)
    TEST_RR_OP(92, clmul, 0x12345678, 0x12345678, 0x00000001)
    TEST_RR_OP(93, clmulh, 0x00000000, 0x12345678, 0x00000001)
    TEST_RR_OP(94, clmul, 0x00000000, 0x80000000, 0x00000002)
    TEST_RR_OP(95, clmulh, 0x00000001, 0x80000000, 0x00000002)
    TEST_RR_OP(96, clmulr, 0x00000002, 0x80000000, 0x00000002)
    TEST_RR_OP(97, clmulr, 0x00000001, 0x80000000, 0x00000001)
    TEST_RR_OP(98, clmul, 0x0000000f, 0x00000005, 0x00000003)
    TEST_RR_OP(99, clmulh, 0x7fffffff, 0xffffffff, 0x80000001)
    TEST_RR_OP(100, clmulr, 0xfffffffe, 0xffffffff, 0x80000001)
    TEST_RR_ZEROSRC1(101, clmul, 0x00000000, 0xffffffff)
    TEST_RR_SRC12_EQ_DEST(102, clmul, 0x00000011, 0x00000005)
    TEST_RR_ZERODEST(103, clmulh, 0xffffffff, 0xffffffff)

    /* Zbs: single bits (indices modulo 32) */
    TEST_RR_OP(104, bclr, 0x7fffffff, 0xffffffff, 31)
    TEST_RR_OP(105, bclr, 0x7fffffff, 0xffffffff, 63)
    TEST_RR_OP(106, bclr, 0x00000000, 0x00000001, 0)
    TEST_IMM_OP(107, bclri, 0x7fffffff, 0xffffffff, 31)
    TEST_IMM_OP(108, bclri, 0xfffffffe, 0xffffffff, 0)
    TEST_RR_OP(109, bext, 0x00000001, 0x80000000, 31)
    TEST_RR_OP(110, bext, 0x00000000, 0x80000000, 30)
    TEST_RR_OP(111, bext, 0x00000001, 0x00000001, 32)
    TEST_IMM_OP(112, bexti, 0x00000001, 0x80000000, 31)
    TEST_IMM_OP(113, bexti, 0x00000000, 0xfffffffe, 0)
    TEST_RR_OP(114, binv, 0x80000000, 0x00000000, 31)
    TEST_RR_OP(115, binv, 0x00000000, 0x80000000, 31)
    TEST_IMM_OP(116, binvi, 0x00000001, 0x00000000, 0)
    TEST_IMM_OP(117, binvi, 0x7fffffff, 0xffffffff, 31)
    TEST_RR_OP(118, bset, 0x00000001, 0x00000000, 0)
    TEST_RR_OP(119, bset, 0x00000020, 0x00000000, 37)
    TEST_IMM_OP(120, bseti, 0x80000000, 0x00000000, 31)
    TEST_IMM_OP(121, bseti, 0xffffffff, 0xffffffff, 5)
    TEST_IMM_ZEROSRC1(122, bseti, 0x00020000, 17)
    TEST_IMM_ZEROSRC1(123, bexti, 0, 17)
    TEST_IMM_ZERODEST(124, binvi, 0x12345678, 3)
    TEST_RR_ZEROSRC1(125, bset, 0x00000001, 0x00000020)
    TEST_RR_SRC12_EQ_DEST(126, bext, 0x00000000, 0x00000003)

    /* Zbkb: packing, bit reversal in bytes, zip and unzip */
    TEST_RR_OP(127, pack, 0xef01abcd, 0x1234abcd, 0x5678ef01)
    TEST_RR_OP(128, pack, 0xffff0000, 0xffff0000, 0x0000ffff)
    TEST_RR_ZEROSRC2(129, pack, 0x0000abcd, 0x1234abcd)
    TEST_RR_ZEROSRC1(130, pack, 0xabcd0000, 0x1234abcd)
    TEST_RR_OP(131, packh, 0x000001cd, 0x1234abcd, 0x5678ef01)
    TEST_RR_OP(132, packh, 0x0000ff00, 0xffffff00, 0xffffffff)
    TEST_RR_ZEROSRC2(133, packh, 0x000000ff, 0xffffffff)
    TEST_RR_SRC12_EQ_DEST(134, pack, 0x56785678, 0x12345678)
    TEST_R_OP(135, brev8, 0x8040c001, 0x01020380)
    TEST_R_OP(136, brev8, 0x000000f0, 0x0000000f)
    TEST_R_OP(137, brev8, 0xffffffff, 0xffffffff)
    TEST_R_OP(138, zip, 0x55555555, 0x0000ffff)
    TEST_R_OP(139, zip, 0xaaaaaaaa, 0xffff0000)
    TEST_R_OP(140, zip, 0x00000003, 0x00010001)
    TEST_R_OP(141, unzip, 0x0000ffff, 0x55555555)
    TEST_R_OP(142, unzip, 0xffff0000, 0xaaaaaaaa)
    TEST_R_OP(143, unzip, 0x00010001, 0x00000003)
    /* round trips */
    TEST_CASE(144, x14, 0x12345678, li x1, 0x12345678; zip x2, x1; unzip x14, x2)
    TEST_CASE(145, x14, 0xdeadbeef, li x1, 0xdeadbeef; unzip x2, x1; zip x14, x2)
    TEST_CASE(146, x14, 0xdeadbeef, li x1, 0xdeadbeef; brev8 x2, x1; brev8 x14, x2)
    TEST_R_SRC1_EQ_DEST(147, zip, 0x0000000f, 0x00030003)
    TEST_R_ZERODEST(148, brev8, 0x00000001)

    /* Zbkx: crossbar permutations; indices past the end select 0 */
    TEST_RR_OP(149, xperm8, 0x11223344, 0x44332211, 0x00010203)
    TEST_RR_OP(150, xperm8, 0x00000011, 0x44332211, 0x04ff0500)
    TEST_RR_OP(151, xperm8, 0x11111111, 0x44332211, 0x00000000)
    TEST_RR_OP(152, xperm4, 0x01234567, 0x76543210, 0x01234567)
    TEST_RR_OP(153, xperm4, 0x00000000, 0x76543210, 0x89abcdef)
    TEST_RR_OP(154, xperm4, 0x88888880, 0xfedcba98, 0x00000008)
    TEST_RR_ZEROSRC2(155, xperm8, 0x78787878, 0x12345678)
    TEST_RR_ZEROSRC1(156, xperm4, 0x00000000, 0x01234567)
    TEST_RR_SRC12_EQ_DEST(157, xperm4, 0x11111111, 0x11111111)

    j pass
RVTEST_END
