/* rewrite [N]: rewrites one function N times (default 400,000) and calls each version until
 * the JIT translates it; with --stats or --profile the translation history must not grow
 * without bound (rvjit, like qemu, keeps code coherent on stores: no fence.i). Exits 0 when every call answered. */
#include "rt.h"

int main(int argc, char **argv)
{
    u32 n = argc > 1 ? (u32)atoi(argv[1]) : 400000;
    u32 *page = sys_mmap(0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (IS_ERR_PTR(page)) { puts("no page"); return 1; }
    int (*f)(void) = (int (*)(void))(void *)page;
    u32 bad = 0;
    for (u32 i = 0; i < n; i++) {
        page[0] = 0x00000513u | ((i & 0x7ff) << 20);  /* li a0, i & 0x7ff */
        page[1] = 0x00008067;                         /* ret */
        for (int r = 0; r < 6; r++) bad += (u32)f() != (i & 0x7ff);
    }
    printf("%u rewrites, %u wrong answers\n", n, bad);
    return bad != 0;
}
