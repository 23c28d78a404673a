/* dct: JPEG-style transform coding of a generated 8-bit image in 8x8 blocks:
 * level shift, forward 2-D DCT-II in fixed point (separable, 13-bit cosines,
 * orthonormal scaling), quantization with a frequency-dependent step, dequantization,
 * inverse DCT, clamp. The transforms used for the work split each 8-point DCT into
 * its even and odd halves (22 multiplications by constants instead of 64 by table
 * entries); a plain matrix version computes the same integers and checks them.
 * Checked: a flat block has only a DC coefficient (8 x level), both versions agree
 * on every block of the first pass, the unquantized round trip is exact to +-1 on
 * every pixel of the first pass, and the quantized reconstruction error stays
 * bounded (mean absolute error below 4 x the quantizer scale).
 * Usage: dct [size [rounds]]   (defaults 256 100: a size x size image; size a multiple
 * of 8, <= 1024) */
#include "bench.h"

#define MAXS 1024
#define DEF_S 256
#define DEF_ROUNDS 100
#define EXPECT 0x12878812u

static u8 image[MAXS * MAXS];
static s32 T[8][8]; /* T[u][x] = C(u) cos((2x + 1) u pi / 16) * 8192, C(0) = 1/sqrt(2) */

static void make_table(void)
{
    /* cos(m pi / 16) * 8192 for m = 0..8 */
    static const s32 c[9] = { 8192, 8035, 7568, 6811, 5793, 4551, 3135, 1598, 0 };
    for (int u = 0; u < 8; u++)
        for (int x = 0; x < 8; x++) {
            int m = ((2 * x + 1) * u) & 31; /* cos has period 32 in these units */
            s32 v;
            if (m <= 8) v = c[m];
            else if (m <= 16) v = -c[16 - m];
            else if (m <= 24) v = -c[m - 16];
            else v = c[32 - m];
            T[u][x] = u == 0 ? 5793 : v;
        }
}

/* out = DCT(in): rows keep 3 extra bits, columns remove them; 1/2 per dimension */
static void fdct_matrix(const s32 in[64], s32 out[64])
{
    s32 tmp[64];
    for (int y = 0; y < 8; y++)
        for (int u = 0; u < 8; u++) {
            s32 acc = 0;
            for (int x = 0; x < 8; x++) acc += T[u][x] * in[y * 8 + x];
            tmp[y * 8 + u] = (acc + (1 << 10)) >> 11;
        }
    for (int v = 0; v < 8; v++)
        for (int u = 0; u < 8; u++) {
            s32 acc = 0;
            for (int y = 0; y < 8; y++) acc += T[v][y] * tmp[y * 8 + u];
            out[v * 8 + u] = (acc + (1 << 16)) >> 17;
        }
}

static void idct_matrix(const s32 in[64], s32 out[64])
{
    s32 tmp[64];
    for (int v = 0; v < 8; v++)
        for (int x = 0; x < 8; x++) {
            s32 acc = 0;
            for (int u = 0; u < 8; u++) acc += T[u][x] * in[v * 8 + u];
            tmp[v * 8 + x] = (acc + (1 << 10)) >> 11;
        }
    for (int y = 0; y < 8; y++)
        for (int x = 0; x < 8; x++) {
            s32 acc = 0;
            for (int v = 0; v < 8; v++) acc += T[v][y] * tmp[v * 8 + x];
            out[y * 8 + x] = (acc + (1 << 16)) >> 17;
        }
}

/* cos(k pi / 16) * 8192 */
enum { C1 = 8035, C2 = 7568, C3 = 6811, C4 = 5793, C5 = 4551, C6 = 3135, C7 = 1598 };

/* one 8-point forward DCT (unscaled sums), elements `stride` apart */
static void fdct8(const s32 *x, int stride, s32 *X, int ostride)
{
    s32 s0 = x[0] + x[7 * stride], d0 = x[0] - x[7 * stride];
    s32 s1 = x[stride] + x[6 * stride], d1 = x[stride] - x[6 * stride];
    s32 s2 = x[2 * stride] + x[5 * stride], d2 = x[2 * stride] - x[5 * stride];
    s32 s3 = x[3 * stride] + x[4 * stride], d3 = x[3 * stride] - x[4 * stride];
    X[0] = (s0 + s1 + s2 + s3) * C4;
    X[4 * ostride] = (s0 - s1 - s2 + s3) * C4;
    X[2 * ostride] = (s0 - s3) * C2 + (s1 - s2) * C6;
    X[6 * ostride] = (s0 - s3) * C6 - (s1 - s2) * C2;
    X[1 * ostride] = d0 * C1 + d1 * C3 + d2 * C5 + d3 * C7;
    X[3 * ostride] = d0 * C3 - d1 * C7 - d2 * C1 - d3 * C5;
    X[5 * ostride] = d0 * C5 - d1 * C1 + d2 * C7 + d3 * C3;
    X[7 * ostride] = d0 * C7 - d1 * C5 + d2 * C3 - d3 * C1;
}

/* one 8-point inverse DCT (unscaled sums) */
static void idct8(const s32 *X, int stride, s32 *x, int ostride)
{
    s32 x0 = X[0], x1 = X[stride], x2 = X[2 * stride], x3 = X[3 * stride];
    s32 x4 = X[4 * stride], x5 = X[5 * stride], x6 = X[6 * stride], x7 = X[7 * stride];
    s32 e0 = x0 * C4 + x2 * C2 + x4 * C4 + x6 * C6;
    s32 e1 = x0 * C4 + x2 * C6 - x4 * C4 - x6 * C2;
    s32 e2 = x0 * C4 - x2 * C6 - x4 * C4 + x6 * C2;
    s32 e3 = x0 * C4 - x2 * C2 + x4 * C4 - x6 * C6;
    s32 o0 = x1 * C1 + x3 * C3 + x5 * C5 + x7 * C7;
    s32 o1 = x1 * C3 - x3 * C7 - x5 * C1 - x7 * C5;
    s32 o2 = x1 * C5 - x3 * C1 + x5 * C7 + x7 * C3;
    s32 o3 = x1 * C7 - x3 * C5 + x5 * C3 - x7 * C1;
    x[0] = e0 + o0; x[7 * ostride] = e0 - o0;
    x[ostride] = e1 + o1; x[6 * ostride] = e1 - o1;
    x[2 * ostride] = e2 + o2; x[5 * ostride] = e2 - o2;
    x[3 * ostride] = e3 + o3; x[4 * ostride] = e3 - o3;
}

/* the same rounding and scaling as the matrix versions */
static void fdct(const s32 in[64], s32 out[64])
{
    s32 tmp[64], t[8];
    for (int y = 0; y < 8; y++) {
        fdct8(in + y * 8, 1, t, 1);
        for (int u = 0; u < 8; u++) tmp[y * 8 + u] = (t[u] + (1 << 10)) >> 11;
    }
    for (int u = 0; u < 8; u++) {
        fdct8(tmp + u, 8, t, 1);
        for (int v = 0; v < 8; v++) out[v * 8 + u] = (t[v] + (1 << 16)) >> 17;
    }
}

static void idct(const s32 in[64], s32 out[64])
{
    s32 tmp[64], t[8];
    for (int v = 0; v < 8; v++) {
        idct8(in + v * 8, 1, t, 1);
        for (int x = 0; x < 8; x++) tmp[v * 8 + x] = (t[x] + (1 << 10)) >> 11;
    }
    for (int x = 0; x < 8; x++) {
        idct8(tmp + x, 8, t, 1);
        for (int y = 0; y < 8; y++) out[y * 8 + x] = (t[y] + (1 << 16)) >> 17;
    }
}

static s32 quantize(s32 c, s32 q)
{
    return c >= 0 ? (c + q / 2) / q : -((-c + q / 2) / q);
}

int main(int argc, char **argv)
{
    int size = arg_int(argc, argv, 1, DEF_S);
    int rounds = arg_int(argc, argv, 2, DEF_ROUNDS);
    if (size < 8 || size > MAXS || size % 8 || rounds < 1) {
        puts("usage: dct [size (8..1024, a multiple of 8) [rounds]]");
        return 2;
    }
    make_table();
    s32 in[64], co[64], back[64];
    for (int i = 0; i < 64; i++) in[i] = 100 - 128;
    fdct(in, co);
    if (co[0] != 8 * (100 - 128)) FAIL("dct", "flat block: DC %d, want %d", co[0], 8 * (100 - 128));
    for (int i = 1; i < 64; i++)
        if (co[i] != 0) FAIL("dct", "flat block: AC[%d] = %d", i, co[i]);

    /* a gradient with texture and noise */
    u32 seed = 0x0badf00du;
    for (int y = 0; y < size; y++)
        for (int x = 0; x < size; x++) {
            s32 v = ((x * 3 + y * 2) & 255) / 2 + (((x ^ y) >> 2) & 31) + (s32)(rng_next(&seed) & 15) + 40;
            image[y * size + x] = (u8)(v > 255 ? 255 : v);
        }

    u32 sum = CHECKSUM_INIT;
    int blocks = 0;
    for (int r = 0; r < rounds; r++) {
        s32 qscale = 1 + r % 4;
        u32 sad = 0; /* sum of absolute reconstruction errors */
        for (int by = 0; by < size; by += 8)
            for (int bx = 0; bx < size; bx += 8) {
                for (int y = 0; y < 8; y++)
                    for (int x = 0; x < 8; x++) in[y * 8 + x] = image[(by + y) * size + bx + x] - 128;
                fdct(in, co);
                if (r == 0) { /* the matrix versions agree; exact round trip */
                    s32 ref[64];
                    fdct_matrix(in, ref);
                    for (int i = 0; i < 64; i++)
                        if (ref[i] != co[i]) FAIL("dct", "forward: block (%d, %d) coefficient %d: %d, matrix says %d", bx, by, i, co[i], ref[i]);
                    idct(co, back);
                    idct_matrix(co, ref);
                    for (int i = 0; i < 64; i++)
                        if (ref[i] != back[i]) FAIL("dct", "inverse: block (%d, %d) pixel %d: %d, matrix says %d", bx, by, i, back[i], ref[i]);
                    for (int i = 0; i < 64; i++) {
                        s32 d = back[i] - in[i];
                        if (d > 1 || d < -1) FAIL("dct", "round trip: block (%d, %d) pixel %d off by %d", bx, by, i, d);
                    }
                }
                u32 h = 0;
                for (int v = 0; v < 8; v++)
                    for (int u = 0; u < 8; u++) {
                        s32 q = (2 + 2 * (u + v)) * qscale;
                        s32 k = quantize(co[v * 8 + u], q);
                        h = h * 31 + (u32)k;
                        co[v * 8 + u] = k * q;
                    }
                idct(co, back);
                for (int i = 0; i < 64; i++) {
                    s32 p = back[i] + 128;
                    p = p < 0 ? 0 : p > 255 ? 255 : p;
                    s32 d = p - (in[i] + 128);
                    sad += (u32)(d < 0 ? -d : d);
                }
                sum = mix32(sum, h);
                blocks++;
            }
        /* mean absolute error per pixel, in 1/16ths */
        u32 mae16 = (u32)(((u64)sad * 16) / ((u64)size * (u64)size));
        if (mae16 > 16 * 4u * (u32)qscale) FAIL("dct", "round %d: mean absolute error %u/16 too large", r, mae16);
        sum = mix32(sum, sad);
    }
    if (size == DEF_S && rounds == DEF_ROUNDS && sum != EXPECT)
        FAIL("dct", "checksum %08x, expected %08x", sum, EXPECT);
    printf("dct: %dx%d x%d, %d blocks, checksum %08x\n", size, size, rounds, blocks, sum);
    return 0;
}
