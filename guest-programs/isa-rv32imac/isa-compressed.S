/* C extension: every RV32C instruction of the integer ISA (unprivileged ISA, chapter
 * "C" Extension for Compressed Instructions), written with explicit c. mnemonics so
 * the assembler emits exactly these 16-bit encodings (objdump shows them). c.ebreak
 * is left out: it cannot be tested in user mode without a signal handler.
 * Register extremes: x8 and x15 for the 3-bit register fields (rd', rs1', rs2'),
 * x1 and x31 for the 5-bit ones. Immediate extremes: the largest and smallest
 * value of each form (c.addi4spn 4..1020, c.lw/c.sw 0..124, c.lwsp/c.swsp 0..252,
 * c.addi/c.li/c.andi -32..31, c.addi16sp -512..496, c.lui 1..31 and the negative
 * 0xfffe0..0xfffff, shifts 1..31, c.j/c.jal -2048..+2046, c.beqz/c.bnez
 * -256..+254; the extreme jumps and branches are written as raw .insn encodings, see there).
 * sp points at a buffer of our own during the test.
 * CHECK uses x31 (t6) for the expected value, so results in x31 are checked with
 * CHECK30 (x30) instead. */
#include "test_macros.h"

#define CHECK30(reg, expected)  \
    li x30, expected;           \
    bne reg, x30, fail;

/* a buffer 4-byte filled with 0xAAAA0000 + index, so loads can tell offsets apart */
#define FILL_BUF(reg)           \
    la reg, buf;                \
    li x20, 0;                  \
    li x21, 0xaaaa0000;         \
0:  add x22, reg, x20;          \
    or x23, x21, x20;           \
    sw x23, 0(x22);             \
    addi x20, x20, 4;           \
    li x23, 512;                \
    blt x20, x23, 0b

/* a plain jump that stays 4 bytes long, so that distances across it are exact */
#define JAL4(target)            \
    .option push;               \
    .option norvc;              \
    jal x0, target;             \
    .option pop

RVTEST_BEGIN
    mv x27, sp                  /* restored before the end */
    la sp, buf

    /* c.addi4spn rd', sp, nzuimm: rd' = sp + nzuimm (4..1020, multiple of 4) */
    li TESTNUM, 1
    c.addi4spn x8, sp, 4
    sub x10, x8, sp
    CHECK(x10, 4)
    li TESTNUM, 2
    c.addi4spn x15, sp, 1020
    sub x10, x15, sp
    CHECK(x10, 1020)
    li TESTNUM, 3
    c.addi4spn x12, sp, 516
    sub x10, x12, sp
    CHECK(x10, 516)

    /* c.lw / c.sw: offsets 0 and 124, base and data in x8..x15 */
    FILL_BUF(x8)
    li TESTNUM, 10
    la x8, buf
    c.lw x15, 0(x8)
    CHECK(x15, 0xaaaa0000)
    li TESTNUM, 11
    c.lw x15, 124(x8)
    CHECK(x15, 0xaaaa007c)
    li TESTNUM, 12
    la x15, buf + 8
    c.lw x8, 124(x15)
    CHECK(x8, 0xaaaa0084)
    li TESTNUM, 13
    la x9, buf + 4
    c.lw x9, 0(x9)              /* rd' == rs1' */
    CHECK(x9, 0xaaaa0004)
    li TESTNUM, 14
    la x8, buf
    li x15, 0x13579bdf
    c.sw x15, 124(x8)
    lw x10, 124(x8)
    CHECK(x10, 0x13579bdf)
    lw x10, 120(x8)
    CHECK(x10, 0xaaaa0078)
    lw x10, 128(x8)
    CHECK(x10, 0xaaaa0080)
    li TESTNUM, 15
    la x15, buf + 16
    li x8, 0x2468ace0
    c.sw x8, 0(x15)
    lw x10, 0(x15)
    CHECK(x10, 0x2468ace0)
    li TESTNUM, 16
    la x12, buf + 32
    c.sw x12, 4(x12)            /* rs2' == rs1': stores the address */
    lw x10, 4(x12)
    bne x10, x12, fail

    /* c.nop changes nothing */
    li TESTNUM, 20
    li x10, 20
    c.nop
    c.nop
    CHECK(x10, 20)

    /* c.addi rd, nzimm: -32..31, x1 and x31 */
    li TESTNUM, 21
    li x1, 100
    c.addi x1, 31
    CHECK(x1, 131)
    li TESTNUM, 22
    li x1, 100
    c.addi x1, -32
    CHECK(x1, 68)
    li TESTNUM, 23
    li x31, 0x7fffffff
    c.addi x31, 1
    CHECK30(x31, 0x80000000)
    li TESTNUM, 24
    li x31, 5
    c.addi x31, -32
    CHECK30(x31, -27)
    li TESTNUM, 25
    li x8, -1
    c.addi x8, 1
    CHECK(x8, 0)

    /* c.li rd, imm: -32..31 sign-extended, x1 and x31 */
    li TESTNUM, 30
    li x1, 0x12345678
    c.li x1, 31
    CHECK(x1, 31)
    li TESTNUM, 31
    c.li x1, -32
    CHECK(x1, -32)
    li TESTNUM, 32
    c.li x31, -1
    CHECK30(x31, 0xffffffff)
    li TESTNUM, 33
    li x15, 7
    c.li x15, 0
    CHECK(x15, 0)

    /* c.addi16sp sp, nzimm: -512..496, multiple of 16 */
    li TESTNUM, 40
    la x10, buf + 1024
    mv sp, x10
    c.addi16sp sp, -512
    sub x11, x10, sp
    CHECK(x11, 512)
    li TESTNUM, 41
    c.addi16sp sp, 496
    sub x11, sp, x10
    CHECK(x11, -16)
    li TESTNUM, 42
    c.addi16sp sp, 16
    bne sp, x10, fail
    li TESTNUM, 43
    c.addi16sp sp, -16
    sub x11, x10, sp
    CHECK(x11, 16)
    la sp, buf

    /* c.lui rd, nzimm: rd = sign-extended nzimm[17:12] << 12 */
    li TESTNUM, 50
    li x1, -1
    c.lui x1, 1
    CHECK(x1, 0x00001000)
    li TESTNUM, 51
    c.lui x31, 31
    CHECK30(x31, 0x0001f000)
    li TESTNUM, 52
    c.lui x1, 0xfffe0           /* -32: the most negative */
    CHECK(x1, 0xfffe0000)
    li TESTNUM, 53
    c.lui x31, 0xfffff          /* -1 */
    CHECK30(x31, 0xfffff000)
    li TESTNUM, 54
    c.lui x3, 0x10              /* 16 << 12 into gp (TESTNUM), then restore it */
    li x10, 0x10000
    bne x3, x10, 1f
    li TESTNUM, 55
    j 2f
1:  li TESTNUM, 54
    j fail
2:

    /* c.srli / c.srai rd', shamt 1..31 */
    li TESTNUM, 60
    li x8, 0x80000001
    c.srli x8, 1
    CHECK(x8, 0x40000000)
    li TESTNUM, 61
    li x15, 0x80000000
    c.srli x15, 31
    CHECK(x15, 1)
    li TESTNUM, 62
    li x8, 0x80000001
    c.srai x8, 1
    CHECK(x8, 0xc0000000)
    li TESTNUM, 63
    li x15, 0x80000000
    c.srai x15, 31
    CHECK(x15, 0xffffffff)
    li TESTNUM, 64
    li x15, 0x7fffffff
    c.srai x15, 31
    CHECK(x15, 0)

    /* c.andi rd', imm: -32..31 sign-extended */
    li TESTNUM, 65
    li x8, 0x12345678
    c.andi x8, -32
    CHECK(x8, 0x12345660)
    li TESTNUM, 66
    li x15, 0xffffffff
    c.andi x15, 31
    CHECK(x15, 31)
    li TESTNUM, 67
    li x15, 0xabcdef01
    c.andi x15, 0
    CHECK(x15, 0)
    li TESTNUM, 68
    li x9, 0xabcdef01
    c.andi x9, -1
    CHECK(x9, 0xabcdef01)

    /* c.sub c.xor c.or c.and rd', rs2' (x8 and x15 both ways, rd' == rs2') */
    li TESTNUM, 70
    li x8, 10
    li x15, 3
    c.sub x8, x15
    CHECK(x8, 7)
    li TESTNUM, 71
    li x8, 0x80000000
    li x15, 1
    c.sub x15, x8
    CHECK(x15, 0x80000001)
    li TESTNUM, 72
    li x12, 77
    c.sub x12, x12
    CHECK(x12, 0)
    li TESTNUM, 73
    li x8, 0xff00ff00
    li x15, 0x0ff00ff0
    c.xor x8, x15
    CHECK(x8, 0xf0f0f0f0)
    li TESTNUM, 74
    c.xor x15, x15
    CHECK(x15, 0)
    li TESTNUM, 75
    li x8, 0xff00ff00
    li x15, 0x0ff00ff0
    c.or x15, x8
    CHECK(x15, 0xfff0fff0)
    li TESTNUM, 76
    li x8, 0xff00ff00
    li x15, 0x0ff00ff0
    c.and x8, x15
    CHECK(x8, 0x0f000f00)
    li TESTNUM, 77
    li x13, 0x1234
    c.and x13, x13
    CHECK(x13, 0x1234)
    li TESTNUM, 78
    li x14, 0x1234
    c.or x14, x14
    CHECK(x14, 0x1234)

    /* c.slli rd, shamt 1..31 (x1 and x31) */
    li TESTNUM, 80
    li x1, 0x40000001
    c.slli x1, 1
    CHECK(x1, 0x80000002)
    li TESTNUM, 81
    li x31, 3
    c.slli x31, 31
    CHECK30(x31, 0x80000000)
    li TESTNUM, 82
    li x8, 0x00010001
    c.slli x8, 16
    CHECK(x8, 0x00010000)

    /* c.lwsp rd, uimm(sp): 0..252; c.swsp rs2, uimm(sp) */
    FILL_BUF(x10)
    la sp, buf
    li TESTNUM, 90
    c.lwsp x1, 0(sp)
    CHECK(x1, 0xaaaa0000)
    li TESTNUM, 91
    c.lwsp x31, 252(sp)
    CHECK30(x31, 0xaaaa00fc)
    li TESTNUM, 92
    la sp, buf + 4
    c.lwsp x8, 252(sp)
    CHECK(x8, 0xaaaa0100)
    li TESTNUM, 93
    la sp, buf
    li x1, 0x0badcafe
    c.swsp x1, 252(sp)
    lw x10, 252(sp)
    CHECK(x10, 0x0badcafe)
    lw x10, 248(sp)
    CHECK(x10, 0xaaaa00f8)
    lw x10, 256(sp)
    CHECK(x10, 0xaaaa0100)
    li TESTNUM, 94
    li x31, 0xfeedf00d
    c.swsp x31, 0(sp)
    lw x10, 0(sp)
    CHECK(x10, 0xfeedf00d)
    li TESTNUM, 95
    c.swsp sp, 8(sp)            /* stores sp itself */
    lw x10, 8(sp)
    bne x10, sp, fail
    li TESTNUM, 96
    c.lwsp sp, 8(sp)            /* rd == sp: loads the same address back */
    la x10, buf
    bne sp, x10, fail

    /* c.mv rd, rs2 and c.add rd, rs2 (x1 and x31, rd == rs2) */
    li TESTNUM, 100
    li x31, 0x31313131
    li x1, 0
    c.mv x1, x31
    CHECK(x1, 0x31313131)
    li TESTNUM, 101
    li x1, 0x01010101
    c.mv x31, x1
    CHECK30(x31, 0x01010101)
    li TESTNUM, 102
    li x8, 0x80000000
    c.mv x15, x8
    CHECK(x15, 0x80000000)
    li TESTNUM, 103
    li x1, 0x7fffffff
    li x31, 1
    c.add x1, x31
    CHECK(x1, 0x80000000)
    li TESTNUM, 104
    li x1, -3
    li x31, 10
    c.add x31, x1
    CHECK30(x31, 7)
    li TESTNUM, 105
    li x5, 0x40000001
    c.add x5, x5
    CHECK(x5, 0x80000002)

    /* c.jal: ra = pc + 2; near forward, far forward (+2046), far backward (-2048).
     * The assembler turns an explicit c.jal/c.j/c.beqz/c.bnez (and even an .insn cj/cb)
     * into a 4-byte form when an early relaxation pass finds the target out of reach,
     * which happens at the extreme offsets in a file this size. The extreme cases are
     * therefore written as their encodings (.insn 2, ENCODING: position-independent since the
     * offsets are pc-relative) with the mnemonic in a comment. The code around them
     * has fixed sizes (JAL4, .fill), so the targets lie exactly that far away
     * (checked with objdump, which shows c.jal, c.j, c.beqz, c.bnez and the target);
     * a target off by any amount lands in the illegal .fill halfwords. */
    li TESTNUM, 110
    la x5, 1f
    c.jal 2f
1:  j fail
2:  bne ra, x5, fail

    li TESTNUM, 111
    la x5, 1f
0:  .insn 2, 0x2ffd          /* c.jal +2046, the largest */
1:  .fill 1022, 2, 0            /* illegal halfwords: landing here kills the test */
2:    bne ra, x5, fail

    li TESTNUM, 112
    la x5, 2f
    JAL4(3f)
1:  JAL4(5f)                    /* target of the backward c.jal */
    .fill 1022, 2, 0
3:  .insn 2, 0x3001          /* c.jal -2048, the smallest */
2:  j fail
5:  bne ra, x5, fail

    /* c.j: near, far forward (+2046), far backward (-2048) */
    li TESTNUM, 115
    li x5, 0
    c.j 1f
    li x5, 1
1:  CHECK(x5, 0)

    li TESTNUM, 116
0:  .insn 2, 0xaffd          /* c.j +2046 */
    .fill 1022, 2, 0
1:  

    li TESTNUM, 117
    JAL4(3f)
1:  JAL4(4f)                    /* target of the backward c.j */
    .fill 1022, 2, 0
3:  .insn 2, 0xb001          /* c.j -2048 */
    j fail
4:

    /* c.beqz / c.bnez rs1': taken and not taken, near and at +254 and -256 */
    li TESTNUM, 120
    li x8, 0
    c.beqz x8, 1f
    j fail
1:  li TESTNUM, 121
    li x15, 1
    c.beqz x15, 1f
    c.j 2f
1:  j fail
2:  li TESTNUM, 122
    li x15, 0x80000000          /* only bit 31 set: still nonzero */
    c.bnez x15, 1f
    j fail
1:  li TESTNUM, 123
    li x8, 0
    c.bnez x8, 1f
    c.j 2f
1:  j fail
2:

    li TESTNUM, 124
    li x8, 0
0:  .insn 2, 0xcc7d          /* c.beqz x8, +254, the largest */
    .fill 126, 2, 0
1:  
    li TESTNUM, 125
    li x15, -1
0:  .insn 2, 0xeffd          /* c.bnez x15, +254 */
    .fill 126, 2, 0
1:  
    li TESTNUM, 126
    li x8, 0
    JAL4(3f)
1:  JAL4(4f)                    /* target of the backward branches */
    .fill 126, 2, 0
3:  .insn 2, 0xd001          /* c.beqz x8, -256, the smallest */
    j fail
4:
    li TESTNUM, 127
    li x15, 5
    JAL4(3f)
1:  JAL4(4f)
    .fill 126, 2, 0
3:  .insn 2, 0xf381          /* c.bnez x15, -256 */
    j fail
4:

    /* c.jr rs1 and c.jalr rs1 (ra = pc + 2); c.jalr ra uses the old ra as target */
    li TESTNUM, 130
    la x5, 1f
    c.jr x5
    j fail
1:
    li TESTNUM, 131
    la x31, 1f
    c.jr x31
    j fail
1:
    li TESTNUM, 132
    la x1, 1f
    la x6, 2f
    c.jalr x1                   /* rs1 == ra: jump to the old ra, then ra = pc + 2 */
2:  j fail
1:  bne ra, x6, fail
    li TESTNUM, 133
    la x15, 1f
    la x6, 2f
    c.jalr x15
2:  j fail
1:  bne ra, x6, fail
    li TESTNUM, 134
    la x5, func_add7
    li a0, 3
    c.jalr x5                   /* call; returns with c.jr ra */
    CHECK(a0, 10)

    li TESTNUM, 140
    mv sp, x27
    la x10, buf                 /* the buffer was really written: spot checks */
    lw x11, 0(x10)
    CHECK(x11, 0xfeedf00d)
    j pass

func_add7:
    c.addi a0, 7
    c.jr ra

RVTEST_END

    .data
    .balign 16
buf:
    .space 1024
    .space 512
