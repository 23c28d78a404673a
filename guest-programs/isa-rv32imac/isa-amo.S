/* A extension, atomic memory operations (unprivileged ISA, "Zaamo"): amoswap.w,
 * amoadd.w, amoxor.w, amoand.w, amoor.w, amomin.w, amomax.w, amominu.w,
 * amomaxu.w. Each loads the word at (rs1) into rd (the old value), combines it
 * with rs2 and stores the result. Every case checks the returned old value, the
 * word in memory afterwards and that the neighbouring words are untouched;
 * signed vs unsigned min/max edge cases, rd == rs2 (the operand is the old rs2,
 * rd gets the old memory value), rd == rs1 (the address is read before rd is
 * written), rd == x0 (memory still updated), and the aq, rl and aqrl forms. */
#include "test_macros.h"

/* memory word <- mem0; x14 <- amo(x2 = src, (x1)); x14 == mem0; memory == newmem */
#define AMO_SETUP(mem0)           \
    la x1, amo_word;              \
    li x2, mem0;                  \
    sw x2, 0(x1);                 \
    li x2, 0x5a5a5a5a;            \
    sw x2, -4(x1);                \
    sw x2, 4(x1)

#define AMO_MEMCHECK(newmem)      \
    la x1, amo_word;              \
    lw x15, 0(x1);                \
    CHECK(x15, newmem)            \
    lw x15, -4(x1);               \
    CHECK(x15, 0x5a5a5a5a)        \
    lw x15, 4(x1);                \
    CHECK(x15, 0x5a5a5a5a)

#define TEST_AMO(n, inst, mem0, src, newmem) \
    li TESTNUM, n;                \
    AMO_SETUP(mem0);              \
    li x2, src;                   \
    inst x14, x2, (x1);           \
    CHECK(x14, mem0)              \
    CHECK(x2, src)                \
    AMO_MEMCHECK(newmem)

#define TEST_AMO_RD_EQ_RS2(n, inst, mem0, src, newmem) \
    li TESTNUM, n;                \
    AMO_SETUP(mem0);              \
    li x2, src;                   \
    inst x2, x2, (x1);            \
    CHECK(x2, mem0)               \
    AMO_MEMCHECK(newmem)

#define TEST_AMO_RD_EQ_RS1(n, inst, mem0, src, newmem) \
    li TESTNUM, n;                \
    AMO_SETUP(mem0);              \
    li x2, src;                   \
    inst x1, x2, (x1);            \
    CHECK(x1, mem0)               \
    AMO_MEMCHECK(newmem)

#define TEST_AMO_ZERODEST(n, inst, mem0, src, newmem) \
    li TESTNUM, n;                \
    AMO_SETUP(mem0);              \
    li x2, src;                   \
    inst x0, x2, (x1);            \
    CHECK(x0, 0)                  \
    AMO_MEMCHECK(newmem)

RVTEST_BEGIN

    /* amoswap */
    TEST_AMO(1, amoswap.w, 0x11111111, 0x22222222, 0x22222222)
    TEST_AMO(2, amoswap.w, 0x00000000, 0xffffffff, 0xffffffff)
    TEST_AMO(3, amoswap.w, 0x80000000, 0x00000000, 0x00000000)
    TEST_AMO_RD_EQ_RS2(4, amoswap.w, 0x0000abcd, 0x00001234, 0x00001234)
    TEST_AMO_RD_EQ_RS1(5, amoswap.w, 0x0000abcd, 0x00001234, 0x00001234)
    TEST_AMO_ZERODEST(6, amoswap.w, 0x0000abcd, 0x00001234, 0x00001234)
    TEST_AMO(7, amoswap.w.aq, 0x80000001, 0x7ffffffe, 0x7ffffffe)
    TEST_AMO(8, amoswap.w.rl, 0x80000001, 0x7ffffffe, 0x7ffffffe)
    TEST_AMO(9, amoswap.w.aqrl, 0x80000001, 0x7ffffffe, 0x7ffffffe)

    /* amoadd */
    TEST_AMO(10, amoadd.w, 0x00000001, 0x00000002, 0x00000003)
    TEST_AMO(11, amoadd.w, 0xffffffff, 0x00000001, 0x00000000)
    TEST_AMO(12, amoadd.w, 0x7fffffff, 0x00000001, 0x80000000)
    TEST_AMO(13, amoadd.w, 0x80000000, 0x80000000, 0x00000000)
    TEST_AMO(14, amoadd.w, 0x12345678, 0xedcba988, 0x00000000)
    TEST_AMO_RD_EQ_RS2(15, amoadd.w, 0x0000abcd, 0x00001234, 0x0000be01)
    TEST_AMO_RD_EQ_RS1(16, amoadd.w, 0x0000abcd, 0x00001234, 0x0000be01)
    TEST_AMO_ZERODEST(17, amoadd.w, 0x0000abcd, 0x00001234, 0x0000be01)
    TEST_AMO(18, amoadd.w.aq, 0x80000001, 0x7ffffffe, 0xffffffff)
    TEST_AMO(19, amoadd.w.rl, 0x80000001, 0x7ffffffe, 0xffffffff)
    TEST_AMO(20, amoadd.w.aqrl, 0x80000001, 0x7ffffffe, 0xffffffff)

    /* amoxor */
    TEST_AMO(21, amoxor.w, 0xff00ff00, 0x0ff00ff0, 0xf0f0f0f0)
    TEST_AMO(22, amoxor.w, 0xffffffff, 0xffffffff, 0x00000000)
    TEST_AMO(23, amoxor.w, 0x12345678, 0x00000000, 0x12345678)
    TEST_AMO_RD_EQ_RS2(24, amoxor.w, 0x0000abcd, 0x00001234, 0x0000b9f9)
    TEST_AMO_RD_EQ_RS1(25, amoxor.w, 0x0000abcd, 0x00001234, 0x0000b9f9)
    TEST_AMO_ZERODEST(26, amoxor.w, 0x0000abcd, 0x00001234, 0x0000b9f9)
    TEST_AMO(27, amoxor.w.aq, 0x80000001, 0x7ffffffe, 0xffffffff)
    TEST_AMO(28, amoxor.w.rl, 0x80000001, 0x7ffffffe, 0xffffffff)
    TEST_AMO(29, amoxor.w.aqrl, 0x80000001, 0x7ffffffe, 0xffffffff)

    /* amoand */
    TEST_AMO(30, amoand.w, 0xff00ff00, 0x0ff00ff0, 0x0f000f00)
    TEST_AMO(31, amoand.w, 0xffffffff, 0x80000001, 0x80000001)
    TEST_AMO(32, amoand.w, 0x12345678, 0x00000000, 0x00000000)
    TEST_AMO_RD_EQ_RS2(33, amoand.w, 0x0000abcd, 0x00001234, 0x00000204)
    TEST_AMO_RD_EQ_RS1(34, amoand.w, 0x0000abcd, 0x00001234, 0x00000204)
    TEST_AMO_ZERODEST(35, amoand.w, 0x0000abcd, 0x00001234, 0x00000204)
    TEST_AMO(36, amoand.w.aq, 0x80000001, 0x7ffffffe, 0x00000000)
    TEST_AMO(37, amoand.w.rl, 0x80000001, 0x7ffffffe, 0x00000000)
    TEST_AMO(38, amoand.w.aqrl, 0x80000001, 0x7ffffffe, 0x00000000)

    /* amoor */
    TEST_AMO(39, amoor.w, 0xff00ff00, 0x0ff00ff0, 0xfff0fff0)
    TEST_AMO(40, amoor.w, 0x00000000, 0x80000001, 0x80000001)
    TEST_AMO(41, amoor.w, 0x12345678, 0x00000000, 0x12345678)
    TEST_AMO_RD_EQ_RS2(42, amoor.w, 0x0000abcd, 0x00001234, 0x0000bbfd)
    TEST_AMO_RD_EQ_RS1(43, amoor.w, 0x0000abcd, 0x00001234, 0x0000bbfd)
    TEST_AMO_ZERODEST(44, amoor.w, 0x0000abcd, 0x00001234, 0x0000bbfd)
    TEST_AMO(45, amoor.w.aq, 0x80000001, 0x7ffffffe, 0xffffffff)
    TEST_AMO(46, amoor.w.rl, 0x80000001, 0x7ffffffe, 0xffffffff)
    TEST_AMO(47, amoor.w.aqrl, 0x80000001, 0x7ffffffe, 0xffffffff)

    /* amomin */
    TEST_AMO(48, amomin.w, 0x00000005, 0x00000007, 0x00000005)
    TEST_AMO(49, amomin.w, 0x00000007, 0x00000005, 0x00000005)
    TEST_AMO(50, amomin.w, 0x80000000, 0x00000001, 0x80000000)
    TEST_AMO(51, amomin.w, 0x00000001, 0x80000000, 0x80000000)
    TEST_AMO(52, amomin.w, 0xffffffff, 0x00000000, 0xffffffff)
    TEST_AMO(53, amomin.w, 0x7fffffff, 0x80000000, 0x80000000)
    TEST_AMO(54, amomin.w, 0xfffffffe, 0xffffffff, 0xfffffffe)
    TEST_AMO(55, amomin.w, 0x00000003, 0x00000003, 0x00000003)
    TEST_AMO_RD_EQ_RS2(56, amomin.w, 0x0000abcd, 0x00001234, 0x00001234)
    TEST_AMO_RD_EQ_RS1(57, amomin.w, 0x0000abcd, 0x00001234, 0x00001234)
    TEST_AMO_ZERODEST(58, amomin.w, 0x0000abcd, 0x00001234, 0x00001234)
    TEST_AMO(59, amomin.w.aq, 0x80000001, 0x7ffffffe, 0x80000001)
    TEST_AMO(60, amomin.w.rl, 0x80000001, 0x7ffffffe, 0x80000001)
    TEST_AMO(61, amomin.w.aqrl, 0x80000001, 0x7ffffffe, 0x80000001)

    /* amomax */
    TEST_AMO(62, amomax.w, 0x00000005, 0x00000007, 0x00000007)
    TEST_AMO(63, amomax.w, 0x00000007, 0x00000005, 0x00000007)
    TEST_AMO(64, amomax.w, 0x80000000, 0x00000001, 0x00000001)
    TEST_AMO(65, amomax.w, 0x00000001, 0x80000000, 0x00000001)
    TEST_AMO(66, amomax.w, 0xffffffff, 0x00000000, 0x00000000)
    TEST_AMO(67, amomax.w, 0x7fffffff, 0x80000000, 0x7fffffff)
    TEST_AMO(68, amomax.w, 0xfffffffe, 0xffffffff, 0xffffffff)
    TEST_AMO(69, amomax.w, 0x00000003, 0x00000003, 0x00000003)
    TEST_AMO_RD_EQ_RS2(70, amomax.w, 0x0000abcd, 0x00001234, 0x0000abcd)
    TEST_AMO_RD_EQ_RS1(71, amomax.w, 0x0000abcd, 0x00001234, 0x0000abcd)
    TEST_AMO_ZERODEST(72, amomax.w, 0x0000abcd, 0x00001234, 0x0000abcd)
    TEST_AMO(73, amomax.w.aq, 0x80000001, 0x7ffffffe, 0x7ffffffe)
    TEST_AMO(74, amomax.w.rl, 0x80000001, 0x7ffffffe, 0x7ffffffe)
    TEST_AMO(75, amomax.w.aqrl, 0x80000001, 0x7ffffffe, 0x7ffffffe)

    /* amominu */
    TEST_AMO(76, amominu.w, 0x00000005, 0x00000007, 0x00000005)
    TEST_AMO(77, amominu.w, 0x00000007, 0x00000005, 0x00000005)
    TEST_AMO(78, amominu.w, 0x80000000, 0x00000001, 0x00000001)
    TEST_AMO(79, amominu.w, 0x00000001, 0x80000000, 0x00000001)
    TEST_AMO(80, amominu.w, 0xffffffff, 0x00000000, 0x00000000)
    TEST_AMO(81, amominu.w, 0x7fffffff, 0x80000000, 0x7fffffff)
    TEST_AMO(82, amominu.w, 0xfffffffe, 0xffffffff, 0xfffffffe)
    TEST_AMO(83, amominu.w, 0x00000003, 0x00000003, 0x00000003)
    TEST_AMO_RD_EQ_RS2(84, amominu.w, 0x0000abcd, 0x00001234, 0x00001234)
    TEST_AMO_RD_EQ_RS1(85, amominu.w, 0x0000abcd, 0x00001234, 0x00001234)
    TEST_AMO_ZERODEST(86, amominu.w, 0x0000abcd, 0x00001234, 0x00001234)
    TEST_AMO(87, amominu.w.aq, 0x80000001, 0x7ffffffe, 0x7ffffffe)
    TEST_AMO(88, amominu.w.rl, 0x80000001, 0x7ffffffe, 0x7ffffffe)
    TEST_AMO(89, amominu.w.aqrl, 0x80000001, 0x7ffffffe, 0x7ffffffe)

    /* amomaxu */
    TEST_AMO(90, amomaxu.w, 0x00000005, 0x00000007, 0x00000007)
    TEST_AMO(91, amomaxu.w, 0x00000007, 0x00000005, 0x00000007)
    TEST_AMO(92, amomaxu.w, 0x80000000, 0x00000001, 0x80000000)
    TEST_AMO(93, amomaxu.w, 0x00000001, 0x80000000, 0x80000000)
    TEST_AMO(94, amomaxu.w, 0xffffffff, 0x00000000, 0xffffffff)
    TEST_AMO(95, amomaxu.w, 0x7fffffff, 0x80000000, 0x80000000)
    TEST_AMO(96, amomaxu.w, 0xfffffffe, 0xffffffff, 0xffffffff)
    TEST_AMO(97, amomaxu.w, 0x00000003, 0x00000003, 0x00000003)
    TEST_AMO_RD_EQ_RS2(98, amomaxu.w, 0x0000abcd, 0x00001234, 0x0000abcd)
    TEST_AMO_RD_EQ_RS1(99, amomaxu.w, 0x0000abcd, 0x00001234, 0x0000abcd)
    TEST_AMO_ZERODEST(100, amomaxu.w, 0x0000abcd, 0x00001234, 0x0000abcd)
    TEST_AMO(101, amomaxu.w.aq, 0x80000001, 0x7ffffffe, 0x80000001)
    TEST_AMO(102, amomaxu.w.rl, 0x80000001, 0x7ffffffe, 0x80000001)
    TEST_AMO(103, amomaxu.w.aqrl, 0x80000001, 0x7ffffffe, 0x80000001)

    /* other base and destination registers; several AMOs in a row on the same word */
    li TESTNUM, 120
    la x10, amo_word
    li x11, 0
    sw x11, 0(x10)
    li x12, 3
    amoadd.w x0, x12, (x10)
    amoadd.w x0, x12, (x10)
    amoadd.w x13, x12, (x10)
    CHECK(x13, 6)
    li x12, 0xf0
    amoor.w x13, x12, (x10)
    CHECK(x13, 9)
    li x12, 0x0f
    amoand.w x13, x12, (x10)
    CHECK(x13, 0xf9)
    lw x13, 0(x10)
    CHECK(x13, 0x09)

RVTEST_END

    .data
    .balign 16
    .word 0                 /* amo_word - 4 */
amo_word:
    .word 0
    .word 0
