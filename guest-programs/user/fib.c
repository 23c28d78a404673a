/* fib: naive recursive Fibonacci. Usage: fib [n]   (default 20) */
#include "rt.h"

static unsigned fib(unsigned n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 20;
    if (n < 0 || n > 47) {
        puts("fib: n must be in 0..47");
        return 2;
    }
    printf("fib(%d) = %u\n", n, fib((unsigned)n));
    return 0;
}
