/* minikernel: the U-mode tasks. They only use ecall (tasks.h) and their stacks. */
#include "bare.h"
#include "tasks.h"

static uint32_t syscall2(uint32_t n, uint32_t a0, uint32_t a1)
{
    register uint32_t r_a0 __asm__("a0") = a0;
    register uint32_t r_a1 __asm__("a1") = a1;
    register uint32_t r_a7 __asm__("a7") = n;
    __asm__ volatile("ecall" : "+r"(r_a0) : "r"(r_a1), "r"(r_a7) : "memory");
    return r_a0;
}

static void say(int id, const char *name, const char *fmt, uint32_t a, uint32_t b)
{
    char line[96];
    int n = snprintf(line, sizeof line, "[%d %s] ", id, name);
    n += snprintf(line + n, sizeof line - n, fmt, a, b);
    syscall2(SYS_PRINT, (uint32_t)line, (uint32_t)n);
}

static __attribute__((noreturn)) void task_exit(uint32_t result)
{
    syscall2(SYS_EXIT, result, 0);
    for (;;) {}
}

void task_return(void)
{
    task_exit(0xdead);
}

/* Count primes below 3000 by trial division (libgcc does the dividing). */
void task_primes(int id)
{
    uint32_t count = 0;
    for (uint32_t n = 2; n < 3000; n++) {
        int prime = 1;
        for (uint32_t d = 2; d * d <= n; d++)
            if (n % d == 0) { prime = 0; break; }
        count += prime;
        if ((n + 1) % 500 == 0) say(id, "primes", "%u primes below %u\n", count, n + 1);
    }
    task_exit(count);
}

/* CRC-32 (bitwise, reflected 0xEDB88320) over 8 rounds of a generated 768-byte buffer. */
void task_crc32(int id)
{
    static uint8_t buffer[768];
    uint32_t seed = 12345;
    uint32_t crc = 0xffffffff;
    for (int round = 1; round <= 8; round++) {
        for (unsigned i = 0; i < sizeof buffer; i++) {
            seed = seed * 1103515245u + 12345u;
            buffer[i] = (uint8_t)(seed >> 16);
        }
        for (unsigned i = 0; i < sizeof buffer; i++) {
            crc ^= buffer[i];
            for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
        }
        say(id, "crc32", "round %u crc 0x%08x\n", (uint32_t)round, ~crc);
    }
    task_exit(~crc);
}

/* Longest Collatz chain for starts below 2000; yields every 100 starts. */
void task_collatz(int id)
{
    uint32_t best = 1, best_len = 0;
    for (uint32_t s = 1; s < 2000; s++) {
        uint32_t n = s, len = 0;
        while (n != 1) {
            n = (n & 1) ? n + n + n + 1 : n >> 1;
            len++;
        }
        if (len > best_len) { best_len = len; best = s; }
        if (s % 100 == 0) syscall2(SYS_YIELD, 0, 0);
        if ((s + 1) % 250 == 0) say(id, "collatz", "below %u the longest chain starts at %u\n", s + 1, best);
    }
    task_exit(best_len);
}
