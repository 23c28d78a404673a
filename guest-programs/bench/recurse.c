/* recurse: call- and return-heavy recursion. Naive Fibonacci, Ackermann A(2, m) and
 * A(3, k), Takeuchi's function and the towers of Hanoi, each checked against its
 * closed form or known value: fib by iteration, A(2, m) = 2m + 3,
 * A(3, k) = 2^(k+3) - 3, tak(18, 12, 6) = 7, hanoi(d) = 2^d - 1 moves.
 * Usage: recurse [n [rounds]]   (defaults 30 15: fib(n), A(3, 7), tak, hanoi(20); below n = 20,
 *   A(3, 3) and hanoi(10), so that a small n makes a short run for the tests) */
#include "bench.h"

#define DEF_N 30
#define DEF_ROUNDS 15
#define EXPECT 0x491fc49fu

static u32 calls;

static u32 fib(u32 n)
{
    calls++;
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static u32 ack(u32 m, u32 n)
{
    calls++;
    if (m == 0) return n + 1;
    if (n == 0) return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}

static int tak(int x, int y, int z)
{
    calls++;
    if (y < x) return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y));
    return z;
}

/* moves a tower of d discs from peg a to peg c; returns the number of moves and keeps
 * the pegs' disc counts so that a wrong move order shows up */
static u32 pegs[3];
static u32 hanoi(u32 d, int a, int b, int c)
{
    calls++;
    if (d == 0) return 0;
    u32 m = hanoi(d - 1, a, c, b);
    pegs[a]--;
    pegs[c]++;
    return m + 1 + hanoi(d - 1, b, a, c);
}

int main(int argc, char **argv)
{
    int n = arg_int(argc, argv, 1, DEF_N);
    int rounds = arg_int(argc, argv, 2, DEF_ROUNDS);
    if (n < 1 || n > 40 || rounds < 1) {
        puts("usage: recurse [n (1..40) [rounds]]");
        return 2;
    }
    u32 sum = CHECKSUM_INIT;
    for (int r = 0; r < rounds; r++) {
        u32 f = fib((u32)n);
        u32 a = 0, b = 1;
        for (int i = 0; i < n; i++) { u32 t = a + b; a = b; b = t; }
        if (f != a) FAIL("recurse", "fib(%d) = %u, iteration says %u", n, f, a);
        u32 m = (u32)n * 20;
        u32 a2 = ack(2, m);
        if (a2 != 2 * m + 3) FAIL("recurse", "A(2, %u) = %u", m, a2);
        u32 k = n >= 20 ? 7 : 3;
        u32 a3 = ack(3, k);
        if (a3 != (1u << (k + 3)) - 3) FAIL("recurse", "A(3, %u) = %u", k, a3);
        int t = tak(18, 12, 6);
        if (t != 7) FAIL("recurse", "tak(18, 12, 6) = %d", t);
        u32 d = n >= 20 ? 20 : 10;
        pegs[0] = d; pegs[1] = 0; pegs[2] = 0;
        u32 moves = hanoi(d, 0, 1, 2);
        if (moves != (1u << d) - 1 || pegs[0] != 0 || pegs[1] != 0 || pegs[2] != d)
            FAIL("recurse", "hanoi(%u): %u moves, pegs %u %u %u", d, moves, pegs[0], pegs[1], pegs[2]);
        sum = mix32(mix32(mix32(mix32(sum, f), a2), a3), moves);
    }
    sum = mix32(sum, calls);
    if (n == DEF_N && rounds == DEF_ROUNDS && sum != EXPECT)
        FAIL("recurse", "checksum %08x, expected %08x", sum, EXPECT);
    printf("recurse: fib(%d) x%d, %u calls, checksum %08x\n", n, rounds, calls, sum);
    return 0;
}
