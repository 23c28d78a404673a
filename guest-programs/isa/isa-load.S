/* RV32I loads: lb lh lw lbu lhu of known data, sign/zero extension, positive and
 * negative offsets, rd == base, x0 destination, misaligned halfword/word loads
 * (allowed in Linux user mode). */
#include "test_macros.h"
RVTEST_BEGIN

    /* lb: sign-extends */
    TEST_LD(1, lb, 0xffffff80, 0, bytes)
    TEST_LD(2, lb, 0xffffffff, 1, bytes)
    TEST_LD(3, lb, 0x0000007f, 2, bytes)
    TEST_LD(4, lb, 0x00000001, 3, bytes)
    TEST_LD(5, lb, 0x00000000, 4, bytes)
    TEST_LD(6, lb, 0xffffff80, -8, bytes_end)
    TEST_LD(7, lb, 0x00000001, -5, bytes_end)

    /* lbu: zero-extends */
    TEST_LD(10, lbu, 0x00000080, 0, bytes)
    TEST_LD(11, lbu, 0x000000ff, 1, bytes)
    TEST_LD(12, lbu, 0x0000007f, 2, bytes)
    TEST_LD(13, lbu, 0x00000001, 3, bytes)
    TEST_LD(14, lbu, 0x000000ff, -7, bytes_end)

    /* lh: sign-extends */
    TEST_LD(20, lh, 0xffff8000, 0, halves)
    TEST_LD(21, lh, 0xffffffff, 2, halves)
    TEST_LD(22, lh, 0x00007fff, 4, halves)
    TEST_LD(23, lh, 0x00000001, 6, halves)
    TEST_LD(24, lh, 0xffff8080, 8, halves)
    TEST_LD(25, lh, 0x00007fff, -8, halves_end)

    /* lhu: zero-extends */
    TEST_LD(30, lhu, 0x00008000, 0, halves)
    TEST_LD(31, lhu, 0x0000ffff, 2, halves)
    TEST_LD(32, lhu, 0x00007fff, 4, halves)
    TEST_LD(33, lhu, 0x00000001, 6, halves)
    TEST_LD(34, lhu, 0x00008080, 8, halves)
    TEST_LD(35, lhu, 0x0000ffff, -10, halves_end)

    /* lw */
    TEST_LD(40, lw, 0x80000000, 0, words)
    TEST_LD(41, lw, 0xffffffff, 4, words)
    TEST_LD(42, lw, 0x7fffffff, 8, words)
    TEST_LD(43, lw, 0x00000001, 12, words)
    TEST_LD(44, lw, 0x12345678, 16, words)
    TEST_LD(45, lw, 0x12345678, -4, words_end)
    TEST_LD(46, lw, 0x80000000, -20, words_end)

    /* little-endian byte order inside a word */
    TEST_LD(50, lbu, 0x78, 16, words)
    TEST_LD(51, lbu, 0x56, 17, words)
    TEST_LD(52, lbu, 0x34, 18, words)
    TEST_LD(53, lbu, 0x12, 19, words)
    TEST_LD(54, lhu, 0x5678, 16, words)
    TEST_LD(55, lhu, 0x1234, 18, words)
    TEST_LD(56, lw, 0x017fff80, 0, bytes)

    /* rd == base register */
    TEST_LD_DEST_EQ_BASE(60, lw, 0x7fffffff, 8, words)
    TEST_LD_DEST_EQ_BASE(61, lb, 0xffffffff, 1, bytes)
    TEST_LD_DEST_EQ_BASE(62, lhu, 0x00008000, 0, halves)

    /* x0 destination stays zero */
    TEST_CASE(70, x0, 0, la x1, words; lw x0, 4(x1))
    TEST_CASE(71, x0, 0, la x1, bytes; lb x0, 1(x1))
    TEST_CASE(72, x0, 0, la x1, halves; lhu x0, 2(x1))

    /* load-use chains: pointer chasing */
    li TESTNUM, 80
    la x5, chain
    lw x5, 0(x5)
    lw x5, 0(x5)
    lw x5, 4(x5)
    CHECK(x5, 0xcafef00d)

    /* large offsets: +2047 and -2048 */
    TEST_LD(81, lbu, 0xa5, 2047, big)
    TEST_LD(82, lbu, 0x5a, -2048, big_end)

    /* misaligned (Linux user mode allows them) */
    TEST_LD(90, lw, 0x7fffff80, 1, misal)
    TEST_LD(91, lh, 0xffff8000, 1, misal_h)
    TEST_LD(92, lhu, 0x0000ff7f, 3, misal_h)

    j pass
RVTEST_END

    .data
    .balign 4
bytes:
    .byte 0x80, 0xff, 0x7f, 0x01
    .byte 0x00, 0x00, 0x00, 0x00
bytes_end:
halves:
    .half 0x8000, 0xffff, 0x7fff, 0x0001, 0x8080
    .half 0x0000
halves_end:
words:
    .word 0x80000000, 0xffffffff, 0x7fffffff, 0x00000001, 0x12345678
words_end:
chain:
    .word chain + 4
    .word chain + 8
    .word 0
    .word 0xcafef00d
misal:
    .byte 0x11, 0x80, 0xff, 0xff, 0x7f, 0x22, 0x33, 0x44
misal_h:
    .byte 0x00, 0x00, 0x80, 0x7f, 0xff, 0x00, 0x00, 0x00
    .balign 4
big:
    .fill 2047, 1, 0
    .byte 0xa5
    .byte 0x5a
    .fill 2047, 1, 0
big_end:
