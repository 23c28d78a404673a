/* badptr: bad pointers passed to syscalls; prints each return value (expected -14 EFAULT).
 * Expects stdin to be empty or /dev/null (the read-into-text case uses fd 0). */
#include "rt.h"

extern char _start[];
extern char _end[];

#define UNMAPPED ((void *)0x70000000)

static void show(const char *what, long r)
{
    printf("%s: %d\n", what, (int)r);
}

int main(void)
{
    show("write(1, NULL, 5)", sys_write(1, NULL, 5));
    show("write(1, 0x70000000, 16)", sys_write(1, UNMAPPED, 16));
    show("read(0, text, 16)", sys_read(0, _start, 16));
    show("write(1, end-of-bss - 8, 16 MiB)", sys_write(1, (char *)((u32)_end - 8), 16u << 20));
    show("openat(AT_FDCWD, NULL)", sys_open(NULL, O_RDONLY, 0));
    show("openat(AT_FDCWD, 0x70000000)", sys_open(UNMAPPED, O_RDONLY, 0));
    show("writev(1, NULL, 1)", sys_writev(1, NULL, 1));
    show("clock_gettime64(REALTIME, NULL)", sys_clock_gettime(CLOCK_REALTIME, NULL));
    show("uname(0x70000000)", sys_uname(UNMAPPED));
    show("uname(text)", sys_uname((struct utsname *)_start));
    show("write(1, buf, 0) with NULL", sys_write(1, NULL, 0));
    puts("badptr: done");
    return 0;
}
