/* bigmap: mmap, munmap and mprotect with lengths of nearly 4 GiB (once a host crash in rvjit).
 * Every call must fail as Linux fails it; the program then exits 0. */
#include "rt.h"

#define MAP_FIXED_NOREPLACE 0x100000

static void show(const char *what, long r) { printf("%s = %d\n", what, (int)r); }

int main(void)
{
    show("mmap(0, 0xfffff000)", (long)sys_mmap(0, 0xfffff000u, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    show("mmap(0, 0xffffffff)", (long)sys_mmap(0, 0xffffffffu, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    show("mmap(0x1000, 0xfffff000, MAP_FIXED_NOREPLACE)",
         (long)sys_mmap((void *)0x1000, 0xfffff000u, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0));
    show("mmap(0xfffff000, 0xfffff000, MAP_FIXED)",
         (long)sys_mmap((void *)0xfffff000u, 0xfffff000u, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
    show("munmap(0x1000, 0xfffff001)", sys_munmap((void *)0x1000, 0xfffff001u));
    show("mprotect(0, 0xfffff001)", sys_mprotect(0, 0xfffff001u, PROT_READ));
    show("mprotect(0x1000, 0xfffff001)", sys_mprotect((void *)0x1000, 0xfffff001u, PROT_READ));
    puts("still here");
    return 0;
}
