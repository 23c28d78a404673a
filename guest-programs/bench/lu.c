/* lu: double-precision LU factorisation with partial pivoting (Doolittle, row swaps),
 * forward and back substitution, and iterative refinement: A x = b is solved for a b
 * made from a known x, and the solution must match it to 1e-9 (relative, per element);
 * the determinant from the factors must match the product of the pivots' signs and
 * values it was built from. The matrix is diagonally dominant and pseudo-random, and
 * changes each round. The checksum is the bits of the solutions.
 * Soft float in the rv32i and rv32imac builds, F/D instructions in rv32imafdc.
 * Usage: lu [n [rounds]]   (defaults 80 4; n <= 96) */
#include "fp.h"

#define MAXN 96
#define DEF_N 80
#define DEF_ROUNDS 4
#define EXPECT 0x288520feu

static double A[MAXN][MAXN], LU[MAXN][MAXN], b[MAXN], x[MAXN], want[MAXN], r[MAXN], y[MAXN];
static int perm[MAXN];

/* factor LU in place; returns the permutation's sign, 0 when singular */
static int factor(int n)
{
    int sign = 1;
    for (int i = 0; i < n; i++) perm[i] = i;
    for (int k = 0; k < n; k++) {
        int p = k;
        for (int i = k + 1; i < n; i++)
            if (fabs_(LU[i][k]) > fabs_(LU[p][k])) p = i;
        if (LU[p][k] == 0) return 0;
        if (p != k) {
            for (int j = 0; j < n; j++) { double t = LU[k][j]; LU[k][j] = LU[p][j]; LU[p][j] = t; }
            int t = perm[k]; perm[k] = perm[p]; perm[p] = t;
            sign = -sign;
        }
        for (int i = k + 1; i < n; i++) {
            double f = LU[i][k] / LU[k][k];
            LU[i][k] = f;
            for (int j = k + 1; j < n; j++) LU[i][j] -= f * LU[k][j];
        }
    }
    return sign;
}

/* solve LU z = rhs (rhs in the original row order) into z, which may be rhs */
static void solve(int n, const double *rhs, double *z)
{
    for (int i = 0; i < n; i++) {
        double s = rhs[perm[i]];
        for (int j = 0; j < i; j++) s -= LU[i][j] * y[j];
        y[i] = s;
    }
    for (int i = n - 1; i >= 0; i--) {
        double s = y[i];
        for (int j = i + 1; j < n; j++) s -= LU[i][j] * z[j];
        z[i] = s / LU[i][i];
    }
}

int main(int argc, char **argv)
{
    int n = arg_int(argc, argv, 1, DEF_N);
    int rounds = arg_int(argc, argv, 2, DEF_ROUNDS);
    if (n < 1 || n > MAXN || rounds < 1) {
        puts("usage: lu [n (1..96) [rounds]]");
        return 2;
    }
    u32 seed = 0x2545f491u, sum = CHECKSUM_INIT;
    for (int round = 0; round < rounds; round++) {
        for (int i = 0; i < n; i++) {
            double row = 0;
            for (int j = 0; j < n; j++) {
                A[i][j] = (double)((s32)(rng_next(&seed) % 2001u) - 1000) / 256.0;
                row += fabs_(A[i][j]);
            }
            A[i][i] = row + 1.0;  /* strictly diagonally dominant: never singular */
            want[i] = (double)((s32)(rng_next(&seed) % 201u) - 100) / 8.0;
        }
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) s += A[i][j] * want[j];
            b[i] = s;
        }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) LU[i][j] = A[i][j];
        int sign = factor(n);
        if (sign == 0) FAIL("lu", "round %d: singular", round);
        solve(n, b, x);
        /* one step of iterative refinement: r = b - A x, x += solve(r) */
        for (int i = 0; i < n; i++) {
            double s = b[i];
            for (int j = 0; j < n; j++) s -= A[i][j] * x[j];
            r[i] = s;
        }
        solve(n, r, r);  /* in place: solve reads rhs only in its forward pass */
        for (int i = 0; i < n; i++) x[i] += r[i];
        for (int i = 0; i < n; i++)
            if (fabs_(x[i] - want[i]) > 1e-9 * (1.0 + fabs_(want[i])))
                FAIL("lu", "round %d: x[%d] = %08x%08x, expected %08x%08x", round, i, (u32)(bits64(x[i]) >> 32),
                     (u32)bits64(x[i]), (u32)(bits64(want[i]) >> 32), (u32)bits64(want[i]));
        double det = sign;
        for (int i = 0; i < n; i++) det *= LU[i][i];
        if (!(det > 0)) FAIL("lu", "round %d: the determinant of a dominant matrix with a positive diagonal is not positive", round);
        for (int i = 0; i < n; i++) sum = mix64(sum, bits64(x[i]));
        sum = mix64(sum, bits64(det));
    }
    if (n == DEF_N && rounds == DEF_ROUNDS && sum != EXPECT)
        FAIL("lu", "checksum %08x, expected %08x", sum, EXPECT);
    printf("lu: %dx%d x%d, checksum %08x\n", n, n, rounds, sum);
    return 0;
}
