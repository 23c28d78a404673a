/* smc: self-modifying code. Generates RV32I instruction words into smc_buf (a
 * writable+executable section), executes fence.i, calls them, rewrites them and
 * calls again; also patches an instruction inside an already-hot loop.
 * Usage: smc [iterations]   (default 10000; hot loop length and call counts scale with it) */
#include "rt.h"

extern u32 smc_buf[16];
int hot_loop(int n, int k);
int patch_next(void);

#define fence_i() __asm__ volatile(".word 0x0000100f" ::: "memory")

enum { ZERO = 0, RA = 1, A0 = 10, A1 = 11 };

static u32 enc_i(u32 op, u32 rd, u32 f3, u32 rs1, int imm)
{
    return ((u32)imm & 0xfff) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
}
static u32 enc_r(u32 f7, u32 rs2, u32 rs1, u32 f3, u32 rd)
{
    return f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | 0x33;
}
static u32 enc_jal(u32 rd, int off)
{
    u32 o = (u32)off;
    return ((o >> 20) & 1) << 31 | ((o >> 1) & 0x3ff) << 21 | ((o >> 11) & 1) << 20 |
           ((o >> 12) & 0xff) << 12 | rd << 7 | 0x6f;
}
#define LI(rd, v)        enc_i(0x13, rd, 0, ZERO, v)
#define ADDI(rd, rs, v)  enc_i(0x13, rd, 0, rs, v)
#define RET              enc_i(0x67, ZERO, 0, RA, 0)
#define ADD(rd, a, b)    enc_r(0x00, b, a, 0, rd)
#define SUB(rd, a, b)    enc_r(0x20, b, a, 0, rd)
#define XOR(rd, a, b)    enc_r(0x00, b, a, 4, rd)

typedef int (*fn0)(void);
typedef int (*fn2)(int, int);

static void emit(const u32 *code, int n)
{
    for (int i = 0; i < n; i++) smc_buf[i] = code[i];
    fence_i();
}

int main(int argc, char **argv)
{
    int iters = argc > 1 ? atoi(argv[1]) : 10000;
    if (iters < 2) iters = 2;
    fn0 f0 = (fn0)(void *)smc_buf;
    fn2 f2 = (fn2)(void *)smc_buf;

    /* 1. li a0, 1; ret  then  li a0, 2; ret */
    u32 c1[] = { LI(A0, 1), RET };
    emit(c1, 2);
    printf("first code: %d\n", f0());
    u32 c2[] = { LI(A0, 2), RET };
    emit(c2, 2);
    printf("rewritten code: %d\n", f0());

    /* 2. hot buffer: called many times, then rewritten, several rounds */
    int rounds_sum = 0;
    for (int round = 0; round < 4; round++) {
        u32 c[] = { LI(A0, round * 3 + 1), RET };
        emit(c, 2);
        int s = 0;
        for (int i = 0; i < iters / 10; i++) s += f0();
        printf("round %d: %d calls returned sum %d\n", round, iters / 10, s);
        rounds_sum += s;
    }

    /* 3. two-argument functions: add, then sub, then xor, same address */
    u32 c3[] = { ADD(A0, A0, A1), RET };
    emit(c3, 2);
    int r_add = 0;
    for (int i = 0; i < 100; i++) r_add = f2(1000, i);
    u32 c4[] = { SUB(A0, A0, A1), RET };
    emit(c4, 2);
    int r_sub = f2(1000, 99);
    u32 c5[] = { XOR(A0, A0, A1), RET };
    emit(c5, 2);
    int r_xor = f2(0x0ff0, 0x00ff);
    printf("add %d, sub %d, xor %x\n", r_add, r_sub, r_xor);

    /* 4. patch only the middle of a longer sequence (a jal that skips code) */
    u32 c6[] = { LI(A0, 5), enc_jal(ZERO, 8), ADDI(A0, A0, 100), ADDI(A0, A0, 1000), RET };
    emit(c6, 5);
    int before = f0();
    smc_buf[1] = ADDI(A0, A0, 20);   /* the jal becomes a plain add */
    fence_i();
    int after = f0();
    printf("jal skip: %d, patched: %d\n", before, after);

    /* 5. an instruction inside an already-hot loop, patched by the loop itself */
    int h = hot_loop(iters, iters / 2);
    int want = iters / 2 + (iters - iters / 2) * 10;
    printf("hot loop (%d iterations, patched at %d): %d (%s)\n", iters, iters / 2, h, h == want ? "ok" : "WRONG");
    int h2 = hot_loop(iters, iters / 2);
    printf("hot loop again: %d (%s)\n", h2, h2 == want ? "ok" : "WRONG");

    /* 6. patch the very next instruction in the same block */
    int p = patch_next();
    printf("patch next instruction: %d (%s)\n", p, p == 7 ? "ok" : "WRONG");

    int ok = before == 1005 && after == 1125 && r_add == 1099 && r_sub == 901 && r_xor == 0x0f0f &&
             h == want && h2 == want && p == 7;
    printf("smc: %s\n", ok ? "all ok" : "FAILED");
    return ok ? 0 : 1;
}
