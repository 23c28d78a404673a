/* A little more of picolibc over semihosting: printf of integers and strings, the
 * command line through SYS_GET_CMDLINE (crt0-semihost splits it into argc/argv),
 * stdio on stderr and a file that does not exist, and exit status 3 through
 * SYS_EXIT_EXTENDED.  argv[0] (the ELF's path) is not printed: it depends on how
 * the program was started. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned collatz_steps(unsigned n)
{
    unsigned steps = 0;
    while (n != 1) {
        n = (n & 1) ? 3 * n + 1 : n / 2;
        steps++;
    }
    return steps;
}

int main(int argc, char **argv)
{
    printf("argc %d\n", argc);
    for (int i = 1; i < argc; i++)
        printf("argv[%d] = \"%s\" (%u bytes)\n", i, argv[i], (unsigned) strlen(argv[i]));
    printf("ints: %d %u %x %ld %5d|%-5d|\n", -42, 4000000000u, 0xbeefu, -1234567L, 17, 17);
    printf("strings: [%s] [%10s] [%-6s] [%.3s]\n", "abc", "right", "left", "truncated");
    printf("collatz(27) takes %u steps\n", collatz_steps(27));
    FILE *f = fopen("no-such-file.txt", "r");
    printf("fopen of a missing file: %s\n", f ? "opened" : "NULL");
    fflush(stdout);
    fprintf(stderr, "to stderr\n");
    return 3;
}
