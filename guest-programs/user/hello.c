/* hello: greeting, argc/argv echo, one computed environment-independent line. */
#include "rt.h"

int main(int argc, char **argv, char **envp)
{
    (void)envp;
    puts("Hello from an rvjit guest!");
    printf("argc = %d\n", argc);
    printf("argv[0] %s\n", argv[0] && argv[0][0] ? "present" : "missing");
    for (int i = 1; i < argc; i++)
        printf("argv[%d] = %s\n", i, argv[i]);
    int sum = 0;
    for (int i = 1; i <= 100; i++) sum += i;
    printf("sum(1..100) = %d, hex %x, padded %08x, neg %d, char %c, %s%%\n",
           sum, 0xdeadbeefu, 0x2au, -12345, 'Z', "done");
    return 0;
}
