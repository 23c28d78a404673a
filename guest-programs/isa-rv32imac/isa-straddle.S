/* Instruction placement with the C extension (IALIGN = 16): 4-byte instructions
 * that straddle a 4 KiB page boundary (the first halfword is the last one of a
 * page; both pages are executable text), and jumps, calls and branches to targets
 * that are 2-byte but not 4-byte aligned.
 *
 * Straddling instructions, each at 4094 mod 4096 (checked at run time), each in
 * its own page pair after the main code, called with jal x28 and returning with
 * jr x28:
 *  1  an addi reached by falling through from a compressed instruction;
 *  2  the same addi entered directly (a block starting on it);
 *  3  an auipc (its value is its own address, in the page before the boundary);
 *  4  a jal (the link is its address + 4, in the next page);
 *  5  a taken and 6 a not-taken beq;
 *  7  an lw (the instruction straddles, not the data);
 *  8  a mul; 9 an amoadd.w;
 * 10  a loop whose body holds the straddling instruction, 1000 times.
 * Targets at 2 mod 4 (checked at run time):
 * 20 jal, 21 jalr, 22 jalr to target + 1 (jalr clears bit 0), 23 c.j, 24 c.jr,
 * 25 c.jalr, 26 a taken beq, 27 c.beqz and c.bnez, 28 a call from 2 mod 4 (its
 * return address is 2 mod 4, and the callee returns there). */
#include "test_macros.h"

/* x5 = (address of label) & mask must equal want */
#define CHECK_PLACE(label, mask, want) \
    la x5, label;               \
    li x6, mask;                \
    and x5, x5, x6;             \
    CHECK(x5, want)

/* start a new page and skip to its last 4 bytes (the skipped bytes are never run) */
#define TO_PAGE_END             \
    .balign 4096;               \
    .skip 4092

/* the next instruction is at 2 mod 4 (the padding is never run) */
#define TO_2_MOD_4              \
    .balign 4;                  \
    c.nop

RVTEST_BEGIN

    /* 1: c.li x7, 1 then the straddling addi x10, x10, 2047 */
    li TESTNUM, 1
    CHECK_PLACE(s_addi, 4095, 4094)
    li x7, 0
    li x10, 100
    jal x28, s_addi_entry
    CHECK(x7, 1)
    CHECK(x10, 2147)

    /* 2: the straddling addi as the first instruction run */
    li TESTNUM, 2
    li x7, 0
    li x10, 53
    jal x28, s_addi
    CHECK(x7, 0)
    CHECK(x10, 2100)

    /* 3: auipc x5, 0 straddling */
    li TESTNUM, 3
    CHECK_PLACE(s_auipc, 4095, 4094)
    jal x28, s_auipc_entry
    la x6, s_auipc
    bne x5, x6, fail

    /* 4: jal ra straddling */
    li TESTNUM, 4
    CHECK_PLACE(s_jal, 4095, 4094)
    jal x28, s_jal_entry
    la x6, s_jal + 4
    bne ra, x6, fail
    li x6, 4095
    and x6, ra, x6
    CHECK(x6, 2)

    /* 5, 6: beq x8, x9 straddling, taken (x10 = 5) and not taken (x10 = 6) */
    li TESTNUM, 5
    CHECK_PLACE(s_beq, 4095, 4094)
    li x8, 7
    li x9, 7
    li x10, 0
    jal x28, s_beq_entry
    CHECK(x10, 5)
    li TESTNUM, 6
    li x9, 8
    li x10, 0
    jal x28, s_beq_entry
    CHECK(x10, 6)

    /* 7: lw x13, 0(x12) straddling */
    li TESTNUM, 7
    CHECK_PLACE(s_lw, 4095, 4094)
    la x12, data_word
    li x13, 0
    jal x28, s_lw_entry
    CHECK(x13, 0x5eed5eed)

    /* 8: mul x14, x8, x9 straddling */
    li TESTNUM, 8
    CHECK_PLACE(s_mul, 4095, 4094)
    li x8, -7
    li x9, 6
    jal x28, s_mul_entry
    CHECK(x14, -42)

    /* 9: amoadd.w x14, x9, (x12) straddling */
    li TESTNUM, 9
    CHECK_PLACE(s_amo, 4095, 4094)
    la x12, data_word
    li x9, 1
    jal x28, s_amo_entry
    CHECK(x14, 0x5eed5eed)
    lw x15, 0(x12)
    CHECK(x15, 0x5eed5eee)

    /* 10: loop: c.addi x11, -1; addi x10, x10, 3 (straddling); bnez x11 */
    li TESTNUM, 10
    CHECK_PLACE(s_loop, 4095, 4094)
    li x10, 0
    li x11, 1000
    jal x28, s_loop_entry
    CHECK(x10, 3000)
    CHECK(x11, 0)

    /* 20: jal to a 2 mod 4 target */
    li TESTNUM, 20
    CHECK_PLACE(t_func, 3, 2)
    li x10, 0
    jal ra, t_func
    CHECK(x10, 20)

    /* 21: jalr to it; 22: jalr to it + 1 (bit 0 is cleared) */
    li TESTNUM, 21
    li x10, 0
    la x5, t_func
    jalr ra, 0(x5)
    CHECK(x10, 20)
    li TESTNUM, 22
    li x10, 0
    la x5, t_func
    jalr ra, 1(x5)
    CHECK(x10, 20)

    /* 23: c.j to a 2 mod 4 target */
    li TESTNUM, 23
    c.j 1f
    j fail
    TO_2_MOD_4
1:  CHECK_PLACE(1b, 3, 2)

    /* 24: c.jr to a 2 mod 4 target */
    li TESTNUM, 24
    la x5, 1f
    c.jr x5
    j fail
    TO_2_MOD_4
1:  CHECK_PLACE(1b, 3, 2)

    /* 25: c.jalr to a 2 mod 4 target: ra = address of c.jalr + 2 */
    li TESTNUM, 25
    li x10, 0
    la x5, t_func
    la x6, 1f
    c.jalr x5
1:  bne ra, x6, fail
    CHECK(x10, 20)

    /* 26: taken beq to a 2 mod 4 target */
    li TESTNUM, 26
    li x8, 3
    li x9, 3
    beq x8, x9, 1f
    j fail
    TO_2_MOD_4
1:  CHECK_PLACE(1b, 3, 2)

    /* 27: c.beqz and c.bnez to 2 mod 4 targets */
    li TESTNUM, 27
    li x8, 0
    c.beqz x8, 1f
    j fail
    TO_2_MOD_4
1:  CHECK_PLACE(1b, 3, 2)
    li x8, 1
    c.bnez x8, 1f
    j fail
    TO_2_MOD_4
1:  CHECK_PLACE(1b, 3, 2)

    /* 28: a call made from 2 mod 4: the return address is 2 mod 4 */
    li TESTNUM, 28
    li x10, 0
    TO_2_MOD_4
    .option push
    .option norvc
    jal ra, t_func              /* 4 bytes at 2 mod 4 */
    .option pop
1:  CHECK(x10, 20)
    la x6, 1b
    bne ra, x6, fail
    CHECK_PLACE(1b, 3, 2)

    j pass

    /* callee at 2 mod 4 */
    TO_2_MOD_4
t_func:
    li x10, 20
    ret

    /* the straddling instructions, each the last 4 bytes of a page; norvc keeps
     * them 4 bytes long where a compressed form exists */
    TO_PAGE_END
s_addi_entry:
    c.li x7, 1                  /* page offset 4092 */
s_addi:
    addi x10, x10, 2047         /* offset 4094..4097 */
    jr x28

    TO_PAGE_END
s_auipc_entry:
    c.nop
s_auipc:
    auipc x5, 0
    jr x28

    TO_PAGE_END
s_jal_entry:
    c.nop
    .option push
    .option norvc
s_jal:
    jal ra, 1f
    .option pop
1:  jr x28

    TO_PAGE_END
s_beq_entry:
    c.li x10, 6
s_beq:
    beq x8, x9, 1f
    jr x28
1:  c.li x10, 5
    jr x28

    TO_PAGE_END
s_lw_entry:
    c.nop
    .option push
    .option norvc
s_lw:
    lw x13, 0(x12)
    .option pop
    jr x28

    TO_PAGE_END
s_mul_entry:
    c.nop
s_mul:
    mul x14, x8, x9
    jr x28

    TO_PAGE_END
s_amo_entry:
    c.nop
s_amo:
    amoadd.w x14, x9, (x12)
    jr x28

    TO_PAGE_END
s_loop_entry:
    c.addi x11, -1
    .option push
    .option norvc
s_loop:
    addi x10, x10, 3
    .option pop
    bnez x11, s_loop_entry
    jr x28

RVTEST_END

    .data
    .balign 4
data_word:
    .word 0x5eed5eed
