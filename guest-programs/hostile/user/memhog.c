/* memhog: takes memory with brk, then with mmap, 1 MiB at a time, until refused; touches
 * every page it gets. Under rvjit's memory limit both stop with a guest-visible error. */
#include "rt.h"

int main(void)
{
    const u32 mib = 1 << 20;
    u32 start = (u32)sys_brk(0), end = start, heap = 0;
    for (;;) {
        u32 want = end + mib;
        if ((u32)sys_brk((void *)want) != want) break;
        for (u32 p = end; p < want; p += 4096) *(volatile u8 *)p = 1;
        end = want;
        heap++;
        if (heap >= 4096) break;
    }
    printf("brk refused after %s\n", heap > 0 ? "growing" : "nothing");
    u32 maps = 0;
    long last = 0;
    for (;;) {
        void *p = sys_mmap(0, mib, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (IS_ERR_PTR(p)) { last = (long)p; break; }
        for (u32 q = 0; q < mib; q += 4096) ((volatile u8 *)p)[q] = 1;
        maps++;
        if (maps >= 4096) break;
    }
    printf("mmap refused with %d after %s\n", (int)last, maps > 0 ? "mapping" : "nothing");
    return 0;
}
