/* wildsys: every system call number up to 460 with arguments from the edges of the address
 * space (memory-map calls, close and exits left out); each fails or succeeds as the guest sees it,
 * and the program exits 0. */
#include "rt.h"

int main(void)
{
    static const u32 wild[] = { 0, 1, 0xfff, 0x1000, 0x7fffffff, 0x80000000u, 0xfffff000u, 0xfffff001u,
                                0xfffffffcu, 0xffffffffu, 64, 4096 };
    const int n = sizeof wild / sizeof wild[0];
    u32 seed = 12345;
    sys_close(0);  /* nothing may wait for input */
    int calls = 0;
    for (long nr = 0; nr < 460; nr++) {
        if (nr == SYS_exit || nr == SYS_exit_group || nr == SYS_brk || nr == SYS_munmap || nr == SYS_mmap ||
            nr == SYS_mprotect || nr == SYS_close)
            continue;
        for (int k = 0; k < 8; k++) {
            long a[6];
            for (int j = 0; j < 6; j++) {
                seed = seed * 1103515245u + 12345u;
                a[j] = (long)wild[(seed >> 16) % n];
            }
            syscall6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
            calls++;
        }
    }
    printf("%d calls survived\n", calls);
    return 0;
}
