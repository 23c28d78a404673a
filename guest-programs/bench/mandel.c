/* mandel: single-precision escape-time iteration over the Mandelbrot set, on a grid
 * symmetric about the real axis. Each point's row mirror iterates the conjugate orbit,
 * which in IEEE arithmetic is exactly the mirror image (negation commutes with correct
 * rounding), so the two halves of the picture must hold the same counts: that is the
 * self-check, with a few known points (inside: the centre and -1; outside: 1 + i) and at
 * the default size a recorded checksum over all counts. Soft float in the rv32i and
 * rv32imac builds, F instructions in rv32imafdc.
 * Usage: mandel [size [rounds]]   (defaults 80 2; size <= 256) */
#include "fp.h"

#define MAXN 256
#define DEF_N 80
#define DEF_ROUNDS 2
#define EXPECT 0x4e9c2532u

static u16 counts[MAXN][MAXN];

static int escape(float cr, float ci, int limit)
{
    float zr = 0, zi = 0;
    int k = 0;
    while (k < limit) {
        float r2 = zr * zr, i2 = zi * zi;
        if (r2 + i2 > 4.0f) break;
        float t = r2 - i2 + cr;
        zi = 2.0f * zr * zi + ci;
        zr = t;
        k++;
    }
    return k;
}

int main(int argc, char **argv)
{
    int n = arg_int(argc, argv, 1, DEF_N);
    int rounds = arg_int(argc, argv, 2, DEF_ROUNDS);
    if (n < 2 || n > MAXN || rounds < 1) {
        puts("usage: mandel [size (2..256) [rounds]]");
        return 2;
    }
    if (escape(0.0f, 0.0f, 100) != 100 || escape(-1.0f, 0.0f, 100) != 100 || escape(1.0f, 1.0f, 100) != 2)
        FAIL("mandel", "a known point escapes wrongly");
    u32 sum = CHECKSUM_INIT;
    u32 inside = 0;
    for (int r = 0; r < rounds; r++) {
        int limit = 200 + 50 * r;
        /* a window that moves a little each round: x in [-2.2 + d, 0.8 + d], y in [-1.5, 1.5] */
        float step = 3.0f / (float)n;
        float x0 = -2.2f + 0.01f * (float)r;
        for (int i = 0; i < n; i++) {
            /* y = (2i - (n - 1)) * step / 2: row i and row n-1-i are exact negatives */
            float y = (float)(2 * i - (n - 1)) * (step * 0.5f);
            for (int j = 0; j < n; j++) {
                float x = x0 + (float)j * step;
                counts[i][j] = (u16)escape(x, y, limit);
            }
        }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                if (counts[i][j] != counts[n - 1 - i][j])
                    FAIL("mandel", "round %d: rows %d and %d differ at column %d (%u, %u)", r, i, n - 1 - i, j,
                         counts[i][j], counts[n - 1 - i][j]);
                if (counts[i][j] == limit) inside++;
                sum = mix32(sum, counts[i][j]);
            }
        sum = mix32(sum, bits32(step) ^ bits32(x0));
    }
    if (n == DEF_N && rounds == DEF_ROUNDS && sum != EXPECT)
        FAIL("mandel", "checksum %08x, expected %08x", sum, EXPECT);
    printf("mandel: %dx%d x%d, %u points inside, checksum %08x\n", n, n, rounds, inside, sum);
    return 0;
}
