/* smode-straddle: a 4-byte instruction whose halves lie on two virtual pages
 * with different mappings (needs C for the halfword alignment: run with
 * --isa rv32ic). The low half is the last halfword of the page at 0x40010000,
 * the high half the first of the page at 0x40011000; remapping the second page
 * (and sfence.vma) changes the instruction; with the second page unmapped the
 * fetch faults with sepc = the instruction and stval = the second page. */
#include "smode.h"

#define V 0x01
#define R 0x02
#define W 0x04
#define X 0x08
#define G 0x20
#define A 0x40
#define D 0x80

#define MAP(table, index, label, flags) \
    la t1, label;                   \
    srli t2, t1, 12;                \
    slli t2, t2, 10;                \
    ori t2, t2, flags;              \
    la t1, table;                   \
    li t3, (index) * 4;             \
    add t1, t1, t3;                 \
    sw t2, 0(t1)

RVTEST_BEGIN
    la t0, s_trap_handler
    csrw stvec, t0
    li t0, 1 << 12
    csrw medeleg, t0

    TEST(1)
    /* pages: code_a ends with the low half of addi a0, a0, N; code_b and code_c
     * start with its high half (N = 1 and 2) and go on with ret */
    li t0, 0x0513                   /* addi a0, a0, N: low half */
    la t1, code_a
    li t2, 0xffe
    add t1, t1, t2
    sh t0, 0(t1)
    li t0, 0x0015                   /* high half, N = 1 */
    la t1, code_b
    sh t0, 0(t1)
    li t0, 0x8082                   /* c.jr ra */
    sh t0, 2(t1)
    li t0, 0x0025                   /* high half, N = 2 */
    la t1, code_c
    sh t0, 0(t1)
    li t0, 0x8082
    sh t0, 2(t1)
    fence.i
    li t1, 0x80000000
    srli t2, t1, 12
    slli t2, t2, 10
    ori t2, t2, V | R | W | X | G | A | D
    la t1, root
    li t3, 0x200 * 4
    add t1, t1, t3
    sw t2, 0(t1)
    MAP(root, 0x100, l0, V)
    MAP(l0, 0x10, code_a, V | R | X | A)
    MAP(l0, 0x11, code_b, V | R | X | A)
    GO_S
    la t0, root
    srli t0, t0, 12
    li t1, 0x80000000
    or t0, t0, t1
    csrw satp, t0
    sfence.vma
    li s4, 0x40010ffe

    TEST(2)                         /* the instruction made of code_a and code_b */
    li a0, 10
    jalr s4
    CHECK(a0, 11)

    TEST(3)                         /* the second page remapped to code_c */
    MAP(l0, 0x11, code_c, V | R | X | A)
    li t0, 0x40011000
    sfence.vma t0
    li a0, 10
    jalr s4
    CHECK(a0, 12)

    TEST(4)                         /* the second page unmapped: a fetch page fault for its address */
    la t1, l0
    sw zero, 0x11 * 4(t1)
    li t0, 0x40011000
    sfence.vma t0
    la s8, 1f
    li a0, 10
    jalr s4
1:  CHECK(s7, 1)
    CHECK(s11, 12)
    CHECK(s9, 0x40010ffe)
    CHECK(s10, 0x40011000)
    CHECK(a0, 10)

    TEST(5)
    GO_M
    j pass

    S_HANDLER
RVTEST_END

    .bss
    .balign 4096
root:   .skip 4096
l0:     .skip 4096
code_a: .skip 4096
code_b: .skip 4096
code_c: .skip 4096
