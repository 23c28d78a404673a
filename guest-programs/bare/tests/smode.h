/* Self-checking supervisor-mode test macros for the rvjit bare machine with
 * S-mode (`--priv msu`), on top of priv.h (read that first: the same registers
 * record each trap, whichever mode takes it).
 *
 * The S-mode handler (S_HANDLER, at s_trap_handler; the test points stvec at
 * it) records scause/stval/sepc/sstatus in s11/s10/s9/s6 and counts in s7, as
 * the M-mode handler does with the M registers. It returns to s8 when nonzero
 * (clearing it), else to sepc + 4. An ecall with a7 == GO_S_MAGIC from U (when
 * medeleg delegates cause 8) makes it return in S-mode, to s1 when nonzero
 * (clearing it: S_RUN_U's way back), else after the ecall. An interrupt masks
 * every S-level interrupt (sie = 0) and returns to the interrupted pc. */

#include "priv.h"

#define GO_S_MAGIC 0x5d0d

/* From M: enter S at the next instruction (MPP = S). */
#define GO_S                        \
    li t0, 3 << 11;                 \
    csrc mstatus, t0;               \
    li t0, 1 << 11;                 \
    csrs mstatus, t0;               \
    la t0, 9f;                      \
    csrw mepc, t0;                  \
    mret;                           \
9:

/* From S: enter U at the next instruction (SPP = U). */
#define S_GO_U                      \
    li t0, 1 << 8;                  \
    csrc sstatus, t0;               \
    la t0, 9f;                      \
    csrw sepc, t0;                  \
    sret;                           \
9:

/* From U: back to S at the next instruction (one trap, cause 8, delegated). */
#define U_GO_S                      \
    li a7, GO_S_MAGIC;              \
    ecall

/* From S: run U-mode code at the virtual address in reg (not t6); it ends with U_GO_S,
 * and S goes on at the next instruction. */
#define S_RUN_U(reg)                \
    la s1, 9f;                      \
    li t6, 1 << 8;                  \
    csrc sstatus, t6;               \
    csrw sepc, reg;                 \
    sret;                           \
9:

#define S_HANDLER                   \
    .balign 4;                      \
s_trap_handler:                     \
    csrr s11, scause;               \
    csrr s10, stval;                \
    csrr s9, sepc;                  \
    csrr s6, sstatus;               \
    addi s7, s7, 1;                 \
    bgez s11, 1f;                   \
    csrw sie, zero;                 \
    sret;                           \
1:  li s5, GO_S_MAGIC;              \
    bne a7, s5, 2f;                 \
    li s5, 1 << 8;                  \
    csrs sstatus, s5;               \
    li a7, 0;                       \
    beqz s1, 2f;                    \
    csrw sepc, s1;                  \
    li s1, 0;                       \
    sret;                           \
2:  beqz s8, 3f;                    \
    csrw sepc, s8;                  \
    li s8, 0;                       \
    sret;                           \
3:  addi s5, s9, 4;                 \
    csrw sepc, s5;                  \
    sret

/* The S handler took exactly one trap since TEST, with this cause at label lab
 * (sepc) and this stval; the trap came from the mode whose SPP is spp. */
#define CHECK_S_TRAP_AT(lab, cause, expected_tval) CHECK_TRAP_AT(lab, cause, expected_tval)
