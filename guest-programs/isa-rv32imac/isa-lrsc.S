/* A extension, load-reserved / store-conditional (unprivileged ISA, "Zalrsc"):
 * lr.w and sc.w. lr.w loads a word and registers a reservation set holding it;
 * sc.w writes rs2 only if the reservation is still valid and its address lies in
 * the reservation set of the most recent lr.w, and writes 0 (success) or a
 * nonzero code (failure) to rd. A failed sc.w writes no memory. Every sc.w,
 * successful or not, invalidates this hart's reservation.
 *
 * Only what the specification guarantees is tested here, so that qemu-riscv32
 * passes it: success of a constrained lr/sc loop (which the spec guarantees to
 * succeed eventually, so success is retried a bounded number of times),
 * failure without a reservation, failure after a first sc, failure of an sc
 * whose address is in another 4 KiB page than the most recent lr (reservation
 * sets are implementation-defined in size; no implementation makes them span
 * pages), and failed sc.w writing nothing.
 *
 * Not tested, for rvjit only (the lead's design; qemu-riscv32 7.2 differs or the
 * spec leaves it open), to be checked by rvjit's own tests:
 *  - the reservation set is exactly the reserved word: an sc.w to the next word
 *    (amo_word + 4) after lr.w of amo_word fails (qemu: also fails, it compares
 *    the exact address, but the spec allows a larger set);
 *  - a store by this hart (sw/sh/sb, or an AMO) to the reserved word between
 *    lr.w and sc.w breaks the reservation, so the sc.w fails (qemu compares
 *    values, cmpxchg style: after `sw` of a different value it fails, after a
 *    store of the same value it succeeds; the spec permits either);
 *  - a trap (and so an ecall) between lr.w and sc.w breaks the reservation
 *    (qemu-user: an ecall leaves it in place);
 *  - a misaligned lr.w/sc.w raises the exception the spec names (not in this
 *    test: it ends the program; qemu-riscv32 kills it with SIGBUS, status 135).
 * The qemu-riscv32 7.2 behaviour above was checked with a separate program:
 * lr; sw other value; sc fails. lr; sw same value; sc succeeds. lr; ecall
 * (getpid); sc succeeds. lr w; sc w + 4 fails. */
#include "test_macros.h"

/* x1 = &word, memory = mem0; a constrained loop of at most 100 tries:
 * lr.w x14; sc.w rd, x2 = src. Fails the test if every try fails. */
#define LRSC_RETRY(lr, sc, rdsc)  \
    li x13, 100;                  \
1:  addi x13, x13, -1;            \
    bltz x13, fail;               \
    lr x14, (x1);                 \
    li x2, 0x600dbeef;            \
    sc rdsc, x2, (x1);            \
    bnez rdsc, 1b

#define SET_WORD(label, v)        \
    la x1, label;                 \
    li x2, v;                     \
    sw x2, 0(x1)

RVTEST_BEGIN

    /* 1: sc.w with no reservation at all (none has been made yet): fails, memory unchanged */
    li TESTNUM, 1
    SET_WORD(word_a, 0x11111111)
    li x2, 0x22222222
    sc.w x14, x2, (x1)
    beqz x14, fail
    lw x15, 0(x1)
    CHECK(x15, 0x11111111)

    /* 2: lr.w returns the word; sc.w succeeds (0) and writes memory */
    li TESTNUM, 2
    SET_WORD(word_a, 0x12345678)
    LRSC_RETRY(lr.w, sc.w, x15)
    CHECK(x14, 0x12345678)
    CHECK(x15, 0)
    lw x15, 0(x1)
    CHECK(x15, 0x600dbeef)

    /* 3: a second sc.w after a successful one fails: every sc invalidates the reservation */
    li TESTNUM, 3
    li x2, 0x33333333
    sc.w x14, x2, (x1)
    beqz x14, fail
    lw x15, 0(x1)
    CHECK(x15, 0x600dbeef)

    /* 4: sc.w to another page than the lr.w fails and writes nothing there */
    li TESTNUM, 4
    SET_WORD(word_b, 0x44444444)
    SET_WORD(word_a, 0x12121212)
    lr.w x14, (x1)
    CHECK(x14, 0x12121212)
    la x5, word_b
    li x2, 0x55555555
    sc.w x14, x2, (x5)
    beqz x14, fail
    la x5, word_b
    lw x15, 0(x5)
    CHECK(x15, 0x44444444)

    /* 5: ... and that failed sc.w invalidated the reservation on word_a too */
    li TESTNUM, 5
    la x1, word_a
    li x2, 0x66666666
    sc.w x14, x2, (x1)
    beqz x14, fail
    lw x15, 0(x1)
    CHECK(x15, 0x12121212)

    /* 6: an sc.w pairs only with the most recent lr.w: lr a, lr b, sc a fails */
    li TESTNUM, 6
    SET_WORD(word_b, 0x0b0b0b0b)
    SET_WORD(word_a, 0x0a0a0a0a)
    la x5, word_b
    lr.w x14, (x1)
    lr.w x15, (x5)
    li x2, 0x77777777
    sc.w x14, x2, (x1)
    beqz x14, fail
    lw x15, 0(x1)
    CHECK(x15, 0x0a0a0a0a)

    /* 7: ... while lr a, lr b, sc b succeeds (retried: constrained loop) */
    li TESTNUM, 7
    SET_WORD(word_b, 0x0b0b0b0b)
    la x1, word_a
    la x5, word_b
    li x13, 100
1:  addi x13, x13, -1
    bltz x13, fail
    lr.w x14, (x1)
    lr.w x15, (x5)
    li x2, 0x0bbbbbbb
    sc.w x14, x2, (x5)
    bnez x14, 1b
    lw x15, 0(x5)
    CHECK(x15, 0x0bbbbbbb)

    /* 8: sc.w with rd == rs2: the old rs2 is stored, rd gets the result code */
    li TESTNUM, 8
    SET_WORD(word_a, 0)
    li x13, 100
1:  addi x13, x13, -1
    bltz x13, fail
    lr.w x14, (x1)
    li x2, 0x28282828
    sc.w x2, x2, (x1)
    bnez x2, 1b
    lw x15, 0(x1)
    CHECK(x15, 0x28282828)

    /* 9: lr.w with rd == rs1 */
    li TESTNUM, 9
    SET_WORD(word_a, 0x09090909)
    lr.w x1, (x1)
    CHECK(x1, 0x09090909)
    la x1, word_a
    li x2, 1
    sc.w x0, x2, (x1)          /* end the reservation; result discarded */

    /* 10: sc.w with rd == x0 still writes memory on success: retry with a checking lr */
    li TESTNUM, 10
    SET_WORD(word_a, 0x10101010)
    li x13, 100
1:  addi x13, x13, -1
    bltz x13, fail
    lr.w x14, (x1)
    li x2, 0x0f0f0f0f
    sc.w x0, x2, (x1)
    lw x15, 0(x1)
    bne x15, x2, 1b
    CHECK(x0, 0)

    /* 11-13: the aq, rl and aqrl forms */
    li TESTNUM, 11
    SET_WORD(word_a, 0x0000000b)
    LRSC_RETRY(lr.w.aq, sc.w.rl, x15)
    CHECK(x14, 0x0000000b)
    lw x15, 0(x1)
    CHECK(x15, 0x600dbeef)
    li TESTNUM, 12
    SET_WORD(word_a, 0x0000000c)
    LRSC_RETRY(lr.w.aqrl, sc.w.aqrl, x15)
    CHECK(x14, 0x0000000c)
    lw x15, 0(x1)
    CHECK(x15, 0x600dbeef)
    li TESTNUM, 13
    SET_WORD(word_a, 0x0000000d)
    LRSC_RETRY(lr.w.aq, sc.w.aq, x15)
    CHECK(x14, 0x0000000d)
    li x2, 1
    sc.w.rl x14, x2, (x1)      /* no reservation left */
    beqz x14, fail
    lw x15, 0(x1)
    CHECK(x15, 0x600dbeef)

    /* 14: an atomic increment loop, 1000 times, on a word near the end of its page */
    li TESTNUM, 14
    SET_WORD(word_b, 0)
    li x10, 1000
    li x11, 0                  /* failed sc count (allowed, but bounded) */
2:  lr.w x14, (x1)
    addi x14, x14, 1
    sc.w x15, x14, (x1)
    beqz x15, 3f
    addi x11, x11, 1
    li x12, 10000
    bgeu x11, x12, fail
    j 2b
3:  addi x10, x10, -1
    bnez x10, 2b
    lw x15, 0(x1)
    CHECK(x15, 1000)

RVTEST_END

    .data
    .balign 4096
word_a:
    .word 0
    .word 0
    .balign 4096
    .space 4096 - 8
word_b:
    .word 0
    .word 0
