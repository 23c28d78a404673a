/* smc: code living in a writable + executable section, patched at run time.
 * fence.i is emitted as its raw word because -march=rv32i has no Zifencei. */
#define FENCE_I .word 0x0000100f

    .file "code.S"

    .section .smc, "awx", @progbits
    .balign 4

/* 16 words the C side fills with generated instructions and calls */
    .globl smc_buf
smc_buf:
    .space 64
    .size smc_buf, 64

/* int hot_loop(int n, int k): loops n times adding 1 to a sum; at iteration k
 * it rewrites the already-hot "addi t1, t1, 1" at hot_site into "addi t1, t1, 10".
 * Returns k * 1 + (n - k) * 10 (for 0 < k <= n). The original instruction is
 * restored on entry so repeated calls behave the same. */
    .globl hot_loop
    .type hot_loop, @function
hot_loop:
    la      t2, hot_site
    li      t3, 0x00130313          /* addi t1, t1, 1 */
    sw      t3, 0(t2)
    FENCE_I
    li      t0, 0
    li      t1, 0
1:
    .option push
    .option norvc           /* patched with 4-byte words: must stay 4 bytes in an rv32imac build */
hot_site:
    addi    t1, t1, 1
    .option pop
    addi    t0, t0, 1
    bne     t0, a1, 2f
    li      t3, 0x00a30313          /* addi t1, t1, 10 */
    sw      t3, 0(t2)
    FENCE_I
2:
    blt     t0, a0, 1b
    mv      a0, t1
    ret
    .size hot_loop, . - hot_loop

/* int patch_next(void): rewrites the instruction right after the fence.i in the
 * same straight-line block: "li a0, 1" becomes "li a0, 7". Returns 7. */
    .globl patch_next
    .type patch_next, @function
patch_next:
    la      t2, 3f
    li      t3, 0x00100513          /* addi a0, zero, 1 (restore the original) */
    sw      t3, 0(t2)
    FENCE_I
    li      t3, 0x00700513          /* addi a0, zero, 7 */
    sw      t3, 0(t2)
    FENCE_I
    .option push
    .option norvc           /* patched with a 4-byte word */
3:
    addi    a0, zero, 1
    .option pop
    ret
    .size patch_next, . - patch_next
