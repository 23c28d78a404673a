/* smode-vm: Sv32 virtual memory on the rvjit bare machine (`--priv msu`).
 * Page tables built in M-mode; S-mode turns translation on and checks: loads
 * and stores through 4 KiB pages and 4 MiB superpages; the walker setting A
 * (and D for a store) in the PTE; load, store and instruction page faults
 * (delegated to S) with stval = the faulting address; R/W/X, U (U-mode on a
 * supervisor page, S on a user page with and without SUM, S never executing a
 * user page), MXR; a misaligned superpage and a reserved W-only PTE fault;
 * sfence.vma by address after a PTE changes; an ASID switch without a fence;
 * a store to code through a second mapping followed by fence.i; MPRV in M. */
#include "smode.h"

#define V 0x01
#define R 0x02
#define W 0x04
#define X 0x08
#define U 0x10
#define G 0x20
#define A 0x40
#define D 0x80
#define SATP_SV32 0x80000000

/* dst = the PTE for the page (or superpage) at the address in reg, with flags. */
#define PTE(dst, reg, flags)        \
    srli dst, reg, 12;              \
    slli dst, dst, 10;              \
    ori dst, dst, flags

/* table[index] = PTE(address of label, flags). */
#define MAP(table, index, label, flags) \
    la t1, label;                   \
    PTE(t2, t1, flags);             \
    la t1, table;                   \
    li t3, (index) * 4;             \
    add t1, t1, t3;                 \
    sw t2, 0(t1)

/* the same for a raw physical address held in t1 */
#define MAP_AT(table, index, flags) \
    PTE(t2, t1, flags);             \
    la t1, table;                   \
    li t3, (index) * 4;             \
    add t1, t1, t3;                 \
    sw t2, 0(t1)

RVTEST_BEGIN
    la t0, s_trap_handler
    csrw stvec, t0

/* ---- set-up in M-mode: contents, tables, delegation ---- */
    TEST(1)
    li t0, 0x11111111
    la t1, page0
    sw t0, 0(t1)
    li t0, 0x22222222
    la t1, page1
    sw t0, 0(t1)
    li t0, 0x33333333
    la t1, page2
    sw t0, 0(t1)
    li t0, 0x44444444
    la t1, page3
    sw t0, 0(t1)
    /* the first 4 MiB of RAM, identity-mapped, global: the kernel (code, data, tables, tohost) */
    li t1, 0x80000000
    MAP_AT(root1, 0x200, V | R | W | X | G | A | D)
    li t1, 0x80000000
    MAP_AT(root2, 0x200, V | R | W | X | G | A | D)
    /* 0x40000000: a 4 KiB-page table */
    MAP(root1, 0x100, l0_1, V)
    MAP(l0_1, 0, page0, V | R | W)              /* A and D clear: the walker sets them */
    MAP(l0_1, 1, page1, V | R | A)
    MAP(l0_1, 2, page2, V | X | A)
    MAP(l0_1, 3, page3, V | R | W | U | A | D)
    /* l0_1[4] stays invalid */
    MAP(l0_1, 5, user_page, V | R | X | U | A)
    MAP(l0_1, 6, page0, V | R | W | A | D)      /* a second mapping of page0 */
    MAP(l0_1, 7, patchable, V | R | W | A | D)  /* a writable mapping of code */
    MAP(l0_1, 8, page1, V | W | A | D)          /* W without R: reserved */
    /* 0xc0000000: the kernel's superpage again, read-only; 0xc0400000: a misaligned superpage */
    li t1, 0x80000000
    MAP_AT(root1, 0x300, V | R)
    li t1, 0x80001000
    MAP_AT(root1, 0x301, V | R | A)
    /* the second address space: 0x40000000 is page3, a supervisor page there */
    MAP(root2, 0x100, l0_2, V)
    MAP(l0_2, 0, page3, V | R | W | A | D)
    li t0, (1 << 8) | (1 << 12) | (1 << 13) | (1 << 15)
    csrw medeleg, t0
    /* run the code that will be rewritten, so that it is translated */
    li s4, 10
1:  call patchable
    addi s4, s4, -1
    bnez s4, 1b
    CHECK(a0, 1)

/* ---- S-mode turns translation on ---- */
    TEST(2)
    GO_S
    la t0, root1
    srli t0, t0, 12
    li t1, SATP_SV32 | (1 << 22)                /* ASID 1 */
    or s3, t0, t1                               /* s3: satp of address space 1 */
    la t0, root2
    srli t0, t0, 12
    li t1, SATP_SV32 | (2 << 22)
    or s2, t0, t1                               /* s2: satp of address space 2 */
    csrw satp, s3
    sfence.vma
    csrr t0, satp
    CHECK_EQ(t0, s3)
    CHECK_NO_TRAP

    TEST(3)                                     /* a load sets A, not D */
    li t0, 0x40000000
    lw t1, 0(t0)
    CHECK(t1, 0x11111111)
    la t0, l0_1
    lw t1, 0(t0)
    andi t1, t1, A | D
    CHECK(t1, A)

    TEST(4)                                     /* a store sets D */
    li t0, 0x40000000
    li t1, 0x55
    sw t1, 4(t0)
    la t0, l0_1
    lw t1, 0(t0)
    andi t1, t1, A | D
    CHECK(t1, A | D)
    la t0, page0
    lw t1, 4(t0)
    CHECK(t1, 0x55)
    li t0, 0x40006000                           /* the same page through the other mapping */
    lw t1, 4(t0)
    CHECK(t1, 0x55)
    CHECK_NO_TRAP

    TEST(5)                                     /* store to a read-only page */
    li t0, 0x40001000
1:  sw zero, 8(t0)
    CHECK_TRAP_AT(1b, 15, 0x40001008)

    TEST(6)                                     /* load from an invalid PTE */
    li t0, 0x40004000
1:  lw t1, 12(t0)
    CHECK_TRAP_AT(1b, 13, 0x4000400c)

    TEST(7)                                     /* fetch from an invalid PTE: sepc = stval = the target */
    li t0, 0x40004000
    la s8, 1f
    jalr t0
1:  CHECK(s7, 1)
    CHECK(s11, 12)
    CHECK(s9, 0x40004000)
    CHECK(s10, 0x40004000)

    TEST(8)                                     /* W without R is reserved: a page fault */
    li t0, 0x40008000
1:  lw t1, 0(t0)
    CHECK_TRAP_AT(1b, 13, 0x40008000)

    TEST(9)                                     /* an execute-only page: readable only with MXR */
    li t0, 0x40002000
1:  lw t1, 0(t0)
    CHECK_TRAP_AT(1b, 13, 0x40002000)
    TEST(10)
    li t1, 1 << 19
    csrs sstatus, t1
    lw t1, 0(t0)
    CHECK(t1, 0x33333333)
    li t1, 1 << 19
    csrc sstatus, t1
    CHECK_NO_TRAP

    TEST(11)                                    /* a user page: S may read it only with SUM */
    li t0, 0x40003000
1:  lw t1, 0(t0)
    CHECK_TRAP_AT(1b, 13, 0x40003000)
    TEST(12)
    li t1, 1 << 18
    csrs sstatus, t1
    lw t1, 0(t0)
    CHECK(t1, 0x44444444)
    CHECK_NO_TRAP
    TEST(13)                                    /* ...and never execute it, SUM or not */
    li t0, 0x40005000
    la s8, 1f
    jalr t0
1:  CHECK(s7, 1)
    CHECK(s11, 12)
    CHECK(s9, 0x40005000)
    li t1, 1 << 18
    csrc sstatus, t1

    TEST(14)                                    /* U-mode: its own pages yes, supervisor pages no */
    li t0, 0x40005000
    S_RUN_U(t0)
    CHECK(a0, 0x44444444)
    CHECK(a2, 13)
    CHECK(a3, 0x40000000)
    la t0, u_fault
    la t1, user_page
    sub t0, t0, t1
    li t1, 0x40005000
    add t0, t0, t1
    CHECK_EQ(a4, t0)
    CHECK(a5, 0)                                /* SPP = U at the fault */

    TEST(15)                                    /* a superpage at 0xc0000000 */
    la t0, magic
    li t1, 0x80000000
    sub t0, t0, t1
    li t1, 0xc0000000
    add s4, t0, t1
    lw t1, 0(s4)
    CHECK(t1, 0xfeedface)
    la t0, root1
    li t1, 0x300 * 4
    add t0, t0, t1
    lw t1, 0(t0)
    andi t1, t1, A | D
    CHECK(t1, A)
    TEST(16)
1:  sw zero, 0(s4)                              /* read-only */
    CHECK(s7, 1)
    CHECK(s11, 15)
    CHECK_EQ(s10, s4)

    TEST(17)                                    /* a superpage PTE whose low page number is not 0 */
    li t0, 0xc0400000
1:  lw t1, 0(t0)
    CHECK_TRAP_AT(1b, 13, 0xc0400000)

    TEST(18)                                    /* sfence.vma by address after a PTE changes */
    MAP(l0_1, 0, page1, V | R | W | A | D)
    li a0, 0x40000000
    sfence.vma a0, zero
    lw t1, 0(a0)
    CHECK(t1, 0x22222222)
    MAP(l0_1, 0, page0, V | R | W | A | D)
    li a1, 1
    sfence.vma a0, a1                           /* by address and ASID */
    lw t1, 4(a0)
    CHECK(t1, 0x55)
    CHECK_NO_TRAP

    TEST(19)                                    /* ASID switch: no fence needed, none given */
    csrw satp, s2
    li a0, 0x40000000
    lw t1, 0(a0)
    CHECK(t1, 0x44444444)
    csrw satp, s3
    lw t1, 4(a0)
    CHECK(t1, 0x55)
    csrw satp, s2
    lw t1, 0(a0)
    CHECK(t1, 0x44444444)
    li a1, 2
    sfence.vma zero, a1                         /* by ASID */
    csrw satp, s3
    CHECK_NO_TRAP

    TEST(20)                                    /* rewrite code through its second mapping */
    call patchable
    CHECK(a0, 1)
    la t0, patchable
    li t1, 0xfff
    and t0, t0, t1
    li t1, 0x40007000
    add t0, t0, t1
    li t1, 0x00200513                           /* li a0, 2 */
    sw t1, 0(t0)
    fence.i
    call patchable
    CHECK(a0, 2)

    TEST(21)                                    /* MPRV in M: data accesses as S, through the MMU */
    GO_M
    call patchable                              /* M sees the new code too */
    CHECK(a0, 2)
    li t0, (1 << 17) | (1 << 11)                /* MPRV, MPP = S */
    csrs mstatus, t0
    li t0, 0x40000000
    lw t1, 4(t0)
    li t0, 1 << 17
    csrc mstatus, t0
    CHECK(t1, 0x55)
    li t0, 0x40000000
    li s7, 0
1:  lw t1, 0(t0)                                /* no MPRV: M-mode addresses are physical */
    CHECK_TRAP_AT(1b, 5, 0x40000000)

    j pass

    S_HANDLER
RVTEST_END

/* U-mode code, reached at 0x40005000 */
    .section .text.user, "ax"
    .balign 4096
user_page:
    li t1, 0x40003000
    lw a0, 0(t1)
    li t1, 0x40000000
u_fault:
    lw a1, 0(t1)
    mv a2, s11
    mv a3, s10
    mv a4, s9
    li a5, 1 << 8
    and a5, s6, a5
    U_GO_S
    .balign 4096

/* code that the test rewrites, alone on its page */
    .section .text.patch, "ax"
    .balign 4096
patchable:
    li a0, 1
    ret
    .balign 4096

    .section .rodata
    .balign 4
magic: .word 0xfeedface

    .bss
    .balign 4096
root1: .skip 4096
l0_1:  .skip 4096
root2: .skip 4096
l0_2:  .skip 4096
page0: .skip 4096
page1: .skip 4096
page2: .skip 4096
page3: .skip 4096
