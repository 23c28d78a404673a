/* stalecode: a function in a writable and executable page, called until the JIT translates
 * it, then overwritten by getcwd; the next call runs the bytes getcwd wrote ("/" and NUL, an
 * illegal instruction), as the kernel would: SIGILL. */
#include "rt.h"

int main(void)
{
    u32 *page = sys_mmap(0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (IS_ERR_PTR(page)) { puts("no page"); return 1; }
    page[0] = 0x00100513;  /* li a0, 1 */
    page[1] = 0x00008067;  /* ret */
    __asm__ volatile(".word 0x0000100f" ::: "memory");  /* fence.i */
    int (*f)(void) = (int (*)(void))(void *)page;
    int sum = 0;
    for (int i = 0; i < 100; i++) sum += f();
    printf("called %d times\n", sum);
    sys_getcwd((char *)page, 64);
    return f();
}
