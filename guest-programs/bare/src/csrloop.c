/* csrloop: a CSR-heavy M-mode benchmark loop.
 * Each iteration does csrrw mscratch, csrr mcycle, csrs/csrc mie (MTIE, with
 * mstatus.MIE = 0 and mtimecmp = never, so nothing fires), csrr minstret and a
 * little arithmetic: 16 instructions. ITERATIONS is set by -D: the full build
 * runs about 20 million instructions, csrloop-small about 200 thousand.
 * Prints a checksum of the values that do not depend on time, and the
 * minstret delta (exact on rvjit: the loop's instruction count). */
#include "bare.h"

#ifndef ITERATIONS
#define ITERATIONS 1250000
#endif

int main(void)
{
    clint_set_mtimecmp(~0ull);
    csr_clear(mstatus, MSTATUS_MIE);
    uint32_t sum = 0, i = ITERATIONS, before, after, mie_seen = 0;
    __asm__ volatile(
        "csrr %[before], minstret\n"
        "1:\n"
        "csrrw t0, mscratch, %[i]\n"    /* t0 = the previous iteration's value */
        "add %[sum], %[sum], t0\n"
        "csrr t1, mcycle\n"
        "li t2, 0x80\n"
        "csrs mie, t2\n"
        "csrr t3, mie\n"
        "or %[mie], %[mie], t3\n"
        "csrc mie, t2\n"
        "csrr t1, minstret\n"
        "slli t4, %[sum], 5\n"
        "srli t5, %[sum], 27\n"
        "or %[sum], t4, t5\n"
        "xor %[sum], %[sum], %[i]\n"
        "csrr t3, mscratch\n"
        "addi %[i], %[i], -1\n"
        "bnez %[i], 1b\n"
        "csrr %[after], minstret\n"
        : [sum] "+r"(sum), [i] "+r"(i), [mie] "+r"(mie_seen), [before] "=&r"(before), [after] "=&r"(after)
        :
        : "t0", "t1", "t2", "t3", "t4", "t5", "memory");
    printf("csrloop: %u iterations, checksum 0x%08x, mie.MTIE seen %s\n",
           (uint32_t)ITERATIONS, sum, (mie_seen & 0x80) ? "set" : "clear");
    printf("csrloop: minstret delta %u (loop: %u)\n", after - before, (uint32_t)(16 * ITERATIONS + 1));
    return 0;
}
