/* stubs [N]: writes N distinct two-instruction functions (li a0, k; ret) into writable and
 * executable pages and calls each twice, so that a JIT translates every one (default 2,000,000):
 * the code cache must stay bounded (--code-cache-limit). No fence.i: rvjit, like qemu, keeps
 * code coherent on stores. Exits 0 when every call answered. */
#include "rt.h"

int main(int argc, char **argv)
{
    u32 n = argc > 1 ? (u32)atoi(argv[1]) : 2000000;
    const u32 chunk = 1 << 20;  /* stubs per region: 8 MiB */
    u32 *region = 0;
    u32 bad = 0;
    for (u32 i = 0; i < n; i++) {
        u32 k = i % chunk;
        if (k == 0) {
            if (region) sys_munmap(region, chunk * 8);
            region = sys_mmap(0, chunk * 8, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (IS_ERR_PTR(region)) { puts("no region"); return 1; }
        }
        region[2 * k] = 0x00000513u | ((i & 0x7ff) << 20);  /* li a0, i & 0x7ff */
        region[2 * k + 1] = 0x00008067;                     /* ret */
        int (*f)(void) = (int (*)(void))(void *)&region[2 * k];
        for (int r = 0; r < 6; r++) bad += (u32)f() != (i & 0x7ff);
    }
    printf("%u stubs, %u wrong answers\n", n, bad);
    return bad != 0;
}
