/* Gauss-Jordan inversion with partial pivoting of the n x n Hilbert matrix (1/(i+j+1)),
 * notoriously ill-conditioned, in double precision; prints a corner of the inverse and the
 * largest entry of A * inv(A) - I with %e. Usage: matinv [n] (default 8, at most 12). */
#include "rt.h"

#define MAX 12

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 8;
    if (n < 1 || n > MAX) n = 8;
    static double a[MAX][2 * MAX], h[MAX][MAX];
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            h[i][j] = a[i][j] = 1.0 / (i + j + 1);
            a[i][n + j] = i == j;
        }
    for (int col = 0; col < n; col++) {
        int p = col;
        for (int r = col + 1; r < n; r++)
            if (__builtin_fabs(a[r][col]) > __builtin_fabs(a[p][col])) p = r;
        for (int j = 0; j < 2 * n; j++) { double t = a[col][j]; a[col][j] = a[p][j]; a[p][j] = t; }
        double d = a[col][col];
        for (int j = 0; j < 2 * n; j++) a[col][j] /= d;
        for (int r = 0; r < n; r++) {
            if (r == col) continue;
            double f = a[r][col];
            for (int j = 0; j < 2 * n; j++) a[r][j] -= f * a[col][j];
        }
    }
    for (int i = 0; i < 3 && i < n; i++)
        printf("inv[%d][0..2] %.10e %.10e %.10e\n", i, a[i][n], a[i][n + 1 < 2 * n ? n + 1 : n], a[i][n + 2 < 2 * n ? n + 2 : n]);
    double worst = 0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int k = 0; k < n; k++) s += h[i][k] * a[k][n + j];
            double err = __builtin_fabs(s - (i == j));
            if (err > worst) worst = err;
        }
    printf("n %d  max |A*inv(A) - I| %.6e\n", n, worst);
    return 0;
}
