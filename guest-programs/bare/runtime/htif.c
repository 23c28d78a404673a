/* HTIF console and exit for the rvjit bare machine.
 *
 * rvjit acts when the LOW word of tohost is stored, so the high word goes
 * first. The high word is stored once more afterwards: rvjit only keeps such a
 * store, while QEMU's spike HTIF acts on the high-word store instead. That
 * lets the same ELF run on both (QEMU then also emits a NUL byte before each
 * character after the first, which the reference scripts strip). */
#include "bare.h"

volatile uint64_t tohost __attribute__((section(".tohost"), aligned(8)));
volatile uint64_t fromhost __attribute__((section(".tohost"), aligned(8)));

static void htif_command(uint32_t high, uint32_t low)
{
    volatile uint32_t *word = (volatile uint32_t *)&tohost;
    word[1] = high;
    word[0] = low;
    word[1] = high;
}

void htif_putchar(int c)
{
    htif_command(0x01010000u, (uint8_t)c);  /* device 1, command 1: putchar */
}

void htif_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) htif_putchar(s[i]);
}

void htif_puts(const char *s)
{
    while (*s) htif_putchar(*s++);
}

void exit(int code)
{
    htif_command(0, ((uint32_t)code << 1) | 1);  /* device 0: exit with status code */
    for (;;) {}
}

void bare_unexpected_trap(uint32_t mcause, uint32_t mepc, uint32_t mtval)
{
    printf("unexpected trap: mcause=0x%08x mepc=0x%08x mtval=0x%08x\n", mcause, mepc, mtval);
    exit(3);
}

uint64_t clint_mtime(void)
{
    uint32_t hi, lo;
    do {
        hi = *CLINT_MTIME_HI;
        lo = *CLINT_MTIME_LO;
    } while (hi != *CLINT_MTIME_HI);
    return ((uint64_t)hi << 32) | lo;
}

void clint_set_mtimecmp(uint64_t when)
{
    /* never let the 64-bit value pass through something smaller than both halves */
    *CLINT_MTIMECMP_LO = 0xffffffffu;
    *CLINT_MTIMECMP_HI = (uint32_t)(when >> 32);
    *CLINT_MTIMECMP_LO = (uint32_t)when;
}
