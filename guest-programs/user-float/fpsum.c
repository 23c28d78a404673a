/* Numerically sensitive sums: the same terms added naively in single and double precision,
 * with Kahan's compensation, with fused multiply-adds, and in each of the five rounding
 * modes (set with fsrm; the accumulator is an operand of the asm, so the compiler cannot move
 * the additions across the mode change). Prints every result with %.17e and the flags raised. */
#include "rt.h"

static void set_rounding(unsigned mode, double *acc)
{
    __asm__ volatile("fsrm %1" : "+f"(*acc) : "r"(mode));
}

static unsigned flags_and_clear(double *acc)
{
    unsigned f;
    __asm__ volatile("frflags %0\n\tfsflags zero" : "=r"(f), "+f"(*acc));
    return f;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 20000;
    static const char *names[] = { "rne", "rtz", "rdn", "rup", "rmm" };
    /* sum of (-1)^k / (k+1): ln 2, with terms of shrinking size and alternating sign */
    float fs = 0;
    double naive = 0, kahan = 0, c = 0, big = 0;
    for (int k = 0; k < n; k++) {
        double t = (k & 1 ? -1.0 : 1.0) / (k + 1);
        fs += (float)t;
        naive += t;
        double y = t - c, s = kahan + y;
        c = (s - kahan) - y;
        kahan = s;
        big += 1e16 + t;  /* catastrophic: the small term is mostly lost */
    }
    printf("ln2 float  %.9e\nln2 naive  %.17e\nln2 kahan  %.17e\nbig - n*1e16 %.6e\n", (double)fs, naive, kahan, big - n * 1e16);
    /* sum of 1/k^2 forward and backward: pi^2/6 */
    double fwd = 0, bwd = 0;
    for (int k = 1; k <= n; k++) fwd += 1.0 / ((double)k * k);
    for (int k = n; k >= 1; k--) bwd += 1.0 / ((double)k * k);
    printf("zeta2 fwd  %.17e\nzeta2 bwd  %.17e\n", fwd, bwd);
    /* a dot product with and without fused multiply-adds */
    double dot = 0, fdot = 0;
    for (int k = 1; k <= n; k++) {
        double a = 1.0 / k, b = (double)k / 3.0;
        dot += a * b;
        fdot = __builtin_fma(a, b, fdot);
    }
    printf("dot        %.17e\nfma dot    %.17e\n", dot, fdot);
    /* the same sum in each rounding mode, and the flags it raised */
    for (unsigned m = 0; m < 5; m++) {
        double acc = 0;
        flags_and_clear(&acc);
        set_rounding(m, &acc);
        for (int k = 1; k <= n; k++) acc += 1.0 / k;
        float facc = 0;
        for (int k = 1; k <= n; k++) facc += 1.0f / (float)k;
        double f = facc;
        unsigned fl = flags_and_clear(&acc);
        set_rounding(0, &acc);
        printf("harmonic %s %.17e  float %.9e  flags %x\n", names[m], acc, f, fl);
    }
    /* overflow, underflow, division by zero, invalid: each operand passes through the asm that
     * clears the flags and each result through the one that reads them, so the operation stays
     * between the two */
    volatile double big1 = 1e308, tiny = 1e-308, zero = 0;
    double ops[4] = { big1, tiny, zero, -big1 }, res[4];
    unsigned fl[4];
    for (int i = 0; i < 4; i++) {
        double x = ops[i];
        flags_and_clear(&x);
        res[i] = i == 0 ? x * 10 : i == 1 ? x / 1e10 : i == 2 ? 1 / x : __builtin_sqrt(x);
        fl[i] = flags_and_clear(&res[i]);
    }
    for (int i = 0; i < 4; i++) printf("%e flags %x\n", res[i], fl[i]);
    return 0;
}
