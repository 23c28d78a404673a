/* recurse: unbounded recursion; the stack runs into the unmapped page below it (SIGSEGV). */
#include "rt.h"

#pragma GCC diagnostic ignored "-Winfinite-recursion"

static int down(volatile int *p, int depth)
{
    volatile int frame[64];
    frame[0] = depth + *p;
    return down(frame, depth + 1) + frame[0];
}

int main(void)
{
    int start = 1;
    puts("recursing");
    return down(&start, 0);
}
