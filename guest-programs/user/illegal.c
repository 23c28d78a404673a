/* illegal: prints a line, then executes the all-zero (illegal) instruction word: SIGILL. */
#include "rt.h"

int main(void)
{
    puts("about to execute an illegal instruction");
    __asm__ volatile(".word 0x00000000");
    puts("still alive?!");
    return 1;
}
