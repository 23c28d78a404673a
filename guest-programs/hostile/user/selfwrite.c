/* selfwrite: a loop that overwrites an instruction of the block it is running, in a writable
 * and executable page: the next pass runs the new instruction. Exits 0 when it did. */
#include "rt.h"

int main(void)
{
    u32 *page = sys_mmap(0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (IS_ERR_PTR(page)) { puts("no page"); return 1; }
    /* f(a0 = page, a1 = new word): a2 = 1; sw a1, 4(a0) (over the addi below); a2 = a2 + 10; ... */
    page[0] = 0x00100613;  /* li a2, 1 */
    page[1] = 0x00b52223;  /* sw a1, 4(a0): overwrites itself with a1 for the next call */
    page[2] = 0x00a60613;  /* addi a2, a2, 10 */
    page[3] = 0x00060513;  /* mv a0, a2 */
    page[4] = 0x00008067;  /* ret */
    __asm__ volatile(".word 0x0000100f" ::: "memory");
    int (*f)(u32 *, u32) = (int (*)(u32 *, u32))(void *)page;
    u32 store = 0x00b52223, addi100 = 0x06460613; /* addi a2, a2, 100 */
    int first = f(page, addi100);   /* stores over page[1] itself: 11 */
    int second = f(page, store);    /* runs addi a2, a2, 100 in place of the store: 111 */
    printf("first %d, second %d\n", first, second);
    return first == 11 && second == 111 ? 0 : 1;
}
