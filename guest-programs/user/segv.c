/* segv: prints a line, then loads from an unmapped address: SIGSEGV. */
#include "rt.h"

int main(void)
{
    puts("about to load from unmapped address 0x70000000");
    volatile u32 *p = (volatile u32 *)0x70000000;
    u32 v = *p;
    printf("still alive?! read %x\n", v);
    return 1;
}
