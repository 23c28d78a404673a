/* interp: a small stack-machine bytecode interpreter with switch dispatch (one
 * indirect jump per bytecode), running three programs assembled at start-up: a
 * sieve of Eratosthenes over a memory array, the total Collatz path length of
 * 1..m, and an FNV-style hash loop. Each result is checked against the same
 * computation written directly in C.
 * Usage: interp [n [rounds]]   (defaults 30000 9: sieve below n, Collatz of
 * 1..n/8, hash of 4n steps; n <= 1048576) */
#include "bench.h"

#define MAXN (1 << 20)
#define DEF_N 30000
#define DEF_ROUNDS 9
#define EXPECT 0x312082e1u

enum op {
    HALT, PUSH, LOAD, STORE, ADD, SUB, MUL, AND, XOR, SHR, LT, EQ,
    JZ, JNZ, JMP, DUP, DROP, INC, MLOAD, MSTORE,
};

static s32 mem[MAXN];
static u8 ref_mem[MAXN];

/* ---- a tiny assembler ---- */
static s32 code[256];
static int ncode;
static void op0(int op) { code[ncode++] = op; }
static void op1(int op, s32 arg) { code[ncode++] = op; code[ncode++] = arg; }
static int jump_forward(int op) { op1(op, 0); return ncode - 1; }  /* returns the slot to patch */
static void land(int slot) { code[slot] = ncode; }

/* ---- the interpreter: registers (locals), an operand stack, a word memory ---- */
static s32 run(int start, s32 *locals, u32 *steps)
{
    s32 stack[16];
    int sp = 0, pc = start;
    u32 n = 0;
    for (;;) {
        n++;
        switch (code[pc++]) {
        case HALT: *steps += n; return stack[sp - 1];
        case PUSH: stack[sp++] = code[pc++]; break;
        case LOAD: stack[sp++] = locals[code[pc++]]; break;
        case STORE: locals[code[pc++]] = stack[--sp]; break;
        case ADD: sp--; stack[sp - 1] = (s32)((u32)stack[sp - 1] + (u32)stack[sp]); break;
        case SUB: sp--; stack[sp - 1] = (s32)((u32)stack[sp - 1] - (u32)stack[sp]); break;
        case MUL: sp--; stack[sp - 1] = (s32)((u32)stack[sp - 1] * (u32)stack[sp]); break;
        case AND: sp--; stack[sp - 1] &= stack[sp]; break;
        case XOR: sp--; stack[sp - 1] ^= stack[sp]; break;
        case SHR: sp--; stack[sp - 1] = (s32)((u32)stack[sp - 1] >> (stack[sp] & 31)); break;
        case LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
        case EQ: sp--; stack[sp - 1] = stack[sp - 1] == stack[sp]; break;
        case JZ: pc = stack[--sp] == 0 ? code[pc] : pc + 1; break;
        case JNZ: pc = stack[--sp] != 0 ? code[pc] : pc + 1; break;
        case JMP: pc = code[pc]; break;
        case DUP: stack[sp] = stack[sp - 1]; sp++; break;
        case DROP: sp--; break;
        case INC: locals[code[pc++]]++; break;
        case MLOAD: stack[sp - 1] = mem[stack[sp - 1]]; break;
        case MSTORE: sp -= 2; mem[stack[sp + 1]] = stack[sp]; break; /* value, address */
        default: *steps += n; return -1;
        }
    }
}

enum { COUNT, I, J, N }; /* sieve locals */
static int sieve_program(void)
{
    int start = ncode;
    op1(PUSH, 2); op1(STORE, I);
    int init = ncode;
    op1(LOAD, I); op1(LOAD, N); op0(LT);
    int init_end = jump_forward(JZ);
    op1(PUSH, 1); op1(LOAD, I); op0(MSTORE);
    op1(INC, I); op1(JMP, init);
    land(init_end);
    op1(PUSH, 0); op1(STORE, COUNT); op1(PUSH, 2); op1(STORE, I);
    int outer = ncode;
    op1(LOAD, I); op1(LOAD, N); op0(LT);
    int done = jump_forward(JZ);
    op1(LOAD, I); op0(MLOAD);
    int not_prime = jump_forward(JZ);
    op1(INC, COUNT);
    op1(LOAD, I); op0(DUP); op0(ADD); op1(STORE, J);
    int inner = ncode;
    op1(LOAD, J); op1(LOAD, N); op0(LT);
    int inner_end = jump_forward(JZ);
    op1(PUSH, 0); op1(LOAD, J); op0(MSTORE);
    op1(LOAD, J); op1(LOAD, I); op0(ADD); op1(STORE, J);
    op1(JMP, inner);
    land(inner_end);
    land(not_prime);
    op1(INC, I); op1(JMP, outer);
    land(done);
    op1(LOAD, COUNT); op0(HALT);
    return start;
}

enum { TOTAL, S, X, M1 }; /* Collatz locals; M1 = m + 1 */
static int collatz_program(void)
{
    int start = ncode;
    op1(PUSH, 0); op1(STORE, TOTAL); op1(PUSH, 1); op1(STORE, S);
    int outer = ncode;
    op1(LOAD, S); op1(LOAD, M1); op0(LT);
    int done = jump_forward(JZ);
    op1(LOAD, S); op1(STORE, X);
    int loop = ncode;
    op1(PUSH, 1); op1(LOAD, X); op0(EQ);
    int next = jump_forward(JNZ);
    op1(INC, TOTAL);
    op1(LOAD, X); op1(PUSH, 1); op0(AND);
    int even = jump_forward(JZ);
    op1(LOAD, X); op1(PUSH, 3); op0(MUL); op1(PUSH, 1); op0(ADD); op1(STORE, X);
    op1(JMP, loop);
    land(even);
    op1(LOAD, X); op1(PUSH, 1); op0(SHR); op1(STORE, X);
    op1(JMP, loop);
    land(next);
    op1(INC, S); op1(JMP, outer);
    land(done);
    op1(LOAD, TOTAL); op0(HALT);
    return start;
}

enum { H, K = 2 }; /* hash locals: H, I (1), K */
static int hash_program(void)
{
    int start = ncode;
    op1(PUSH, (s32)0x811c9dc5u); op1(STORE, H); op1(PUSH, 0); op1(STORE, I);
    int loop = ncode;
    op1(LOAD, I); op1(LOAD, K); op0(LT);
    int done = jump_forward(JZ);
    op1(LOAD, H); op1(LOAD, I); op0(XOR); op1(PUSH, 0x01000193); op0(MUL); op1(STORE, H);
    op1(INC, I); op1(JMP, loop);
    land(done);
    op1(LOAD, H); op0(HALT);
    return start;
}

int main(int argc, char **argv)
{
    int n = arg_int(argc, argv, 1, DEF_N);
    int rounds = arg_int(argc, argv, 2, DEF_ROUNDS);
    if (n < 16 || n > MAXN || rounds < 1) {
        puts("usage: interp [n (16..1048576) [rounds]]");
        return 2;
    }
    int sieve = sieve_program(), collatz = collatz_program(), hash = hash_program();
    u32 sum = CHECKSUM_INIT, steps = 0;
    for (int r = 0; r < rounds; r++) {
        int limit = n - r; /* a slightly different size each round */
        s32 loc[4] = { 0, 0, 0, limit };
        s32 primes = run(sieve, loc, &steps);
        s32 want = 0;
        for (int i = 0; i < limit; i++) ref_mem[i] = 1;
        for (int i = 2; i < limit; i++)
            if (ref_mem[i]) {
                want++;
                for (int j = i + i; j < limit; j += i) ref_mem[j] = 0;
            }
        if (primes != want) FAIL("interp", "sieve below %d: %d primes, C says %d", limit, primes, want);

        int m = limit / 8;
        s32 cl[4] = { 0, 0, 0, m + 1 };
        u32 total = (u32)run(collatz, cl, &steps), want_total = 0;
        for (u32 s = 1; s <= (u32)m; s++)
            for (u32 x = s; x != 1; want_total++) x = (x & 1) ? 3 * x + 1 : x >> 1;
        if (total != want_total) FAIL("interp", "Collatz 1..%d: %u steps, C says %u", m, total, want_total);

        s32 hl[3] = { 0, 0, 4 * limit };
        u32 h = (u32)run(hash, hl, &steps), want_h = 0x811c9dc5u;
        for (u32 i = 0; i < 4u * (u32)limit; i++) want_h = (want_h ^ i) * 0x01000193u;
        if (h != want_h) FAIL("interp", "hash: %08x, C says %08x", h, want_h);
        sum = mix32(mix32(mix32(sum, (u32)primes), total), h);
    }
    sum = mix32(sum, steps);
    if (n == DEF_N && rounds == DEF_ROUNDS && sum != EXPECT)
        FAIL("interp", "checksum %08x, expected %08x", sum, EXPECT);
    printf("interp: n=%d x%d, %u bytecodes, checksum %08x\n", n, rounds, steps, sum);
    return 0;
}
