/* matrix: integer matrix products. The ordinary product C = A * B and the (min, +)
 * product P = A (x) B (P[i][j] = min over k of A[i][k] + B[k][j], the shortest-path
 * step), each computed twice (row by column, and with B transposed first) and
 * compared; then B is rebuilt from C and A in fixed point, and A perturbed, for the
 * next round. Sums may wrap; both methods wrap the same way.
 * Usage: matrix [n [rounds]]   (defaults 80 12; n <= 128) */
#include "bench.h"

#define MAXN 128
#define DEF_N 80
#define DEF_ROUNDS 12
#define EXPECT 0x458907dbu

static s32 A[MAXN][MAXN], B[MAXN][MAXN], BT[MAXN][MAXN], C1[MAXN][MAXN], C2[MAXN][MAXN];
static s32 P1[MAXN][MAXN], P2[MAXN][MAXN];

int main(int argc, char **argv)
{
    int n = arg_int(argc, argv, 1, DEF_N);
    int rounds = arg_int(argc, argv, 2, DEF_ROUNDS);
    if (n < 1 || n > MAXN || rounds < 1) {
        puts("usage: matrix [n (1..128) [rounds]]");
        return 2;
    }
    u32 seed = 0x1234567u, sum = CHECKSUM_INIT;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            A[i][j] = (s32)(rng_next(&seed) & 0xff) - 128;
            B[i][j] = (s32)(rng_next(&seed) & 0x3ff) - 512;
        }
    for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                s32 acc = 0;
                for (int k = 0; k < n; k++) acc += A[i][k] * B[k][j];
                C1[i][j] = acc;
            }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) BT[j][i] = B[i][j];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                const s32 *a = A[i], *b = BT[j];
                s32 acc = 0;
                for (int k = 0; k < n; k++) acc += a[k] * b[k];
                C2[i][j] = acc;
            }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                s32 best = A[i][0] + B[0][j];
                for (int k = 1; k < n; k++) {
                    s32 v = A[i][k] + B[k][j];
                    if (v < best) best = v;
                }
                P1[i][j] = best;
            }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                const s32 *a = A[i], *b = BT[j];
                s32 best = a[0] + b[0];
                for (int k = 1; k < n; k++) best = a[k] + b[k] < best ? a[k] + b[k] : best;
                P2[i][j] = best;
            }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                if (C1[i][j] != C2[i][j]) FAIL("matrix", "round %d: C[%d][%d] %d != %d", r, i, j, C1[i][j], C2[i][j]);
                if (P1[i][j] != P2[i][j]) FAIL("matrix", "round %d: P[%d][%d] %d != %d", r, i, j, P1[i][j], P2[i][j]);
            }
        /* fixed-point style: B = (C >> 8) + 3 * A, clamped to +-1024; perturb A */
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                s32 v = (C1[i][j] >> 8) + 3 * A[i][j];
                if (v > 1024) v = 1024;
                if (v < -1024) v = -1024;
                B[i][j] = v;
                A[i][j] = (A[i][j] * 5 + r + i - j) % 97;
            }
        for (int i = 0; i < n; i++) sum = mix32(mix32(sum, (u32)C1[i][(i * 7) % n]), (u32)P1[(i * 5) % n][i]);
    }
    if (n == DEF_N && rounds == DEF_ROUNDS && sum != EXPECT)
        FAIL("matrix", "checksum %08x, expected %08x", sum, EXPECT);
    printf("matrix: %dx%d x%d, checksum %08x\n", n, n, rounds, sum);
    return 0;
}
