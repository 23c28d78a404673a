/* Self-checking machine-mode test macros for the rvjit bare machine
 * (riscv-tests style, written for rvjit).
 *
 * TESTNUM (gp) holds the number of the test being run. On failure the program
 * writes (TESTNUM << 1) | 1 to tohost (exit status TESTNUM); on success it
 * writes 1 (exit status 0). Nothing is printed.
 *
 * Register conventions (the common trap handler keeps to them):
 *   s7  (x23) trap count: the handler adds 1 per trap
 *   s9  (x25) mepc    at the last trap
 *   s10 (x26) mtval   at the last trap
 *   s11 (x27) mcause  at the last trap
 *   s6  (x22) mstatus at the last trap (as the handler found it)
 *   s8  (x24) resume address: when nonzero the handler returns there (and
 *             clears it), otherwise to mepc + 4
 *   s5  (x21) handler scratch
 *   t6  (x31) expected value in CHECK
 * An `ecall` with a7 == GO_M_MAGIC (from either mode) makes the handler return
 * in M-mode to the instruction after the ecall: the way back from U-mode. */

#define TESTNUM gp
#define GO_M_MAGIC 0x4d0d

#define RVTEST_BEGIN                \
    .file __FILE__;                 \
    .option norelax;                \
    .section .text.init, "ax";      \
    .globl _start;                  \
    .type _start, @function;        \
_start:                             \
    la t0, trap_handler;            \
    csrw mtvec, t0;                 \
    li TESTNUM, 0;                  \
    li s7, 0;                       \
    li s8, 0;

#define RVTEST_END                  \
pass:                               \
    la t0, tohost;                  \
    li t1, 1;                       \
    sw zero, 4(t0);                 \
    sw t1, 0(t0);                   \
    sw zero, 4(t0);                 \
1:  j 1b;                           \
fail:                               \
    la t0, tohost;                  \
    slli t1, TESTNUM, 1;            \
    ori t1, t1, 1;                  \
    sw zero, 4(t0);                 \
    sw t1, 0(t0);                   \
    sw zero, 4(t0);                 \
1:  j 1b;                           \
    .balign 4;                      \
trap_handler:                       \
    csrr s11, mcause;               \
    csrr s10, mtval;                \
    csrr s9, mepc;                  \
    csrr s6, mstatus;               \
    addi s7, s7, 1;                 \
    li s5, GO_M_MAGIC;              \
    bne a7, s5, 2f;                 \
    li s5, 3 << 11;                 \
    csrs mstatus, s5;               \
    li a7, 0;                       \
2:  beqz s8, 3f;                    \
    csrw mepc, s8;                  \
    li s8, 0;                       \
    mret;                           \
3:  addi s5, s9, 4;                 \
    csrw mepc, s5;                  \
    mret;                           \
    .section .tohost, "aw", @progbits; \
    .balign 8;                      \
    .globl tohost;                  \
tohost: .dword 0;                   \
    .size tohost, 8;                \
    .globl fromhost;                \
fromhost: .dword 0;                 \
    .size fromhost, 8;              \
    .section .text.init, "ax"

#define CHECK(reg, expected)        \
    li t6, expected;                \
    bne reg, t6, fail

#define CHECK_EQ(reg, reg2)         \
    bne reg, reg2, fail

#define TEST(n)                     \
    li TESTNUM, n;                  \
    li s7, 0

/* The instruction at label lab trapped exactly once (since TEST) with this
 * cause, mepc == lab, and mtval == expected_tval. */
#define CHECK_TRAP_AT(lab, cause, expected_tval) \
    CHECK(s7, 1);                   \
    CHECK(s11, cause);              \
    la t6, lab;                     \
    bne s9, t6, fail;               \
    li t6, expected_tval;           \
    bne s10, t6, fail

/* ...and mtval holds the instruction word found at label lab (illegal instruction). */
#define CHECK_ILLEGAL_AT(lab)       \
    CHECK(s7, 1);                   \
    CHECK(s11, 2);                  \
    la t6, lab;                     \
    bne s9, t6, fail;               \
    lw t6, 0(t6);                   \
    bne s10, t6, fail

#define CHECK_NO_TRAP               \
    CHECK(s7, 0)

/* Enter U-mode at the next instruction (mstatus.MPP = U, MPIE unchanged). */
#define GO_U                        \
    li t0, 3 << 11;                 \
    csrc mstatus, t0;               \
    la t0, 9f;                      \
    csrw mepc, t0;                  \
    mret;                           \
9:

/* Back to M-mode at the next instruction (counts as one trap, cause 8 or 11). */
#define GO_M                        \
    li a7, GO_M_MAGIC;              \
    ecall
