/* wildjump KIND: jumps to an unmapped address (unmapped), a misaligned one (misaligned), or
 * into a data page (data): a guest fault each time. */
#include "rt.h"

static u32 data_words[4] = { 0x00100513, 0x00008067, 0, 0 };  /* li a0, 1; ret */

int main(int argc, char **argv)
{
    const char *kind = argc > 1 ? argv[1] : "unmapped";
    u32 target = 0x70000000u;
    if (strcmp(kind, "misaligned") == 0) target = (u32)(void *)main + 2;
    if (strcmp(kind, "data") == 0) target = (u32)(void *)data_words;
    printf("jumping to %s\n", kind);
    int (*f)(void) = (int (*)(void))(void *)target;
    return f();
}
