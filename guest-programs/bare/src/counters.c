/* counters: where pure trapping fails.
 *
 * M-mode sets mcounteren so that U-mode may read cycle, time and instret, then
 * drops to U-mode. The U-mode code reads the counters (both halves) around a
 * loop whose length is known exactly and hands the raw values back with an
 * ecall; M-mode prints them.
 *
 * These reads are legal in U-mode, so they never trap: a pure trap-and-emulate
 * monitor cannot see them, and the guest gets the host's counters. rvjit's
 * translator lowers them to reads of the virtual machine's counters, so the
 * instret delta is exactly the loop's instruction count and, with
 * --deterministic, cycle and time are exact too (cycle = instret, mtime =
 * instret / 10). */
#include "bare.h"

#define LOOPS 1000
/* the measured window: csrr(first read) + li + LOOPS * (addi + bnez) */
#define EXPECTED_INSTRET (2 + 2 * LOOPS)

struct sample {
    uint32_t c0, c1, t0, t1, i0, i1;    /* low halves before and after */
    uint32_t ch, th, ih;                /* high halves (after) */
};

struct sample sample;

extern void user_measure(void);

/* U-mode: one measurement, then ecall. Written in assembly so that the window
 * between the two reads of each counter is known instruction by instruction. */
__asm__(
    ".text\n"
    ".balign 4\n"
    "user_measure:\n"
    "    la a5, sample\n"
    /* instret window */
    "    rdinstret a0\n"
    "    li t0, 1000\n"
    "1:  addi t0, t0, -1\n"
    "    bnez t0, 1b\n"
    "    rdinstret a1\n"
    "    sw a0, 16(a5)\n"
    "    sw a1, 20(a5)\n"
    /* cycle window */
    "    rdcycle a0\n"
    "    li t0, 1000\n"
    "2:  addi t0, t0, -1\n"
    "    bnez t0, 2b\n"
    "    rdcycle a1\n"
    "    sw a0, 0(a5)\n"
    "    sw a1, 4(a5)\n"
    /* time window */
    "    rdtime a0\n"
    "    li t0, 1000\n"
    "3:  addi t0, t0, -1\n"
    "    bnez t0, 3b\n"
    "    rdtime a1\n"
    "    sw a0, 8(a5)\n"
    "    sw a1, 12(a5)\n"
    "    rdcycleh a0\n"
    "    rdtimeh a1\n"
    "    rdinstreth a2\n"
    "    sw a0, 24(a5)\n"
    "    sw a1, 28(a5)\n"
    "    sw a2, 32(a5)\n"
    "    ecall\n"
    "4:  j 4b\n");

uint32_t m_resume[2];
uint32_t user_trap_cause;
extern void counters_trap(void);

/* The ecall from U (or any trap there): back to M, returning from run_in_user. */
__asm__(
    ".text\n"
    ".balign 4\n"
    "counters_trap:\n"
    "    csrr t0, mcause\n"
    "    la t1, user_trap_cause\n"
    "    sw t0, 0(t1)\n"
    "    la t0, m_resume\n"
    "    lw sp, 0(t0)\n"
    "    lw ra, 4(t0)\n"
    "    li t0, 0x1800\n"
    "    csrs mstatus, t0\n"            /* mret stays in M */
    "    la t0, 5f\n"
    "    csrw mepc, t0\n"
    "    mret\n"
    "5:  ret\n");

/* Runs user_measure in U-mode; returns once it has trapped back to M. */
static __attribute__((naked, noinline)) void run_in_user(void)
{
    __asm__ volatile(
        "la t0, m_resume\n"
        "sw sp, 0(t0)\n"
        "sw ra, 4(t0)\n"
        "li t0, 0x1800\n"
        "csrc mstatus, t0\n"            /* MPP = U */
        "la t0, user_measure\n"
        "csrw mepc, t0\n"
        "mret\n");
}

int main(void)
{
    csr_write(mcounteren, 7);           /* CY, TM, IR readable from U */
    csr_write(mtvec, (uint32_t)counters_trap);
    run_in_user();
    csr_write(mtvec, (uint32_t)bare_default_trap);
    if (user_trap_cause != 8) {
        printf("counters: U-mode trapped with mcause %u\n", user_trap_cause);
        return 1;
    }
    uint32_t di = sample.i1 - sample.i0;
    uint32_t dc = sample.c1 - sample.c0;
    uint32_t dt = sample.t1 - sample.t0;
    printf("counters: U-mode reads of cycle/time/instret around a loop of %u instructions\n",
           (uint32_t)EXPECTED_INSTRET);
    printf("  instret: %u -> %u, delta %u (expected %u): %s\n", sample.i0, sample.i1, di,
           (uint32_t)EXPECTED_INSTRET, di == EXPECTED_INSTRET ? "exact" : "NOT exact");
    printf("  cycle:   %u -> %u, delta %u\n", sample.c0, sample.c1, dc);
    printf("  time:    %u -> %u, delta %u\n", sample.t0, sample.t1, dt);
    printf("  high halves: cycleh %u timeh %u instreth %u\n", sample.ch, sample.th, sample.ih);
    return 0;
}
