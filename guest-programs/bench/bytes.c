/* bytes: byte loops of the memcpy/strlen kind, written here rather than taken from
 * the runtime: byte-wise and word-wise copy, fill, string length (byte-wise and
 * with the word-at-a-time zero-byte test), compare and search, over a buffer of
 * NUL-separated strings at every alignment. Checked: the word-wise versions agree
 * with the byte-wise ones, copies compare equal, fills hold their value.
 * Usage: bytes [bytes [rounds]]   (defaults 131072 480; bytes <= 4194304) */
#include "bench.h"

#define MAXN (4 << 20)
#define DEF_N 131072
#define DEF_ROUNDS 480
#define EXPECT 0x0dccd375u

static u8 src[MAXN + 16], dst[MAXN + 16];

/* a word type that may alias the byte buffers */
typedef u32 __attribute__((may_alias)) word;

static void copy_bytes(u8 *d, const u8 *s, u32 n)
{
    while (n--) *d++ = *s++;
}

/* word copy when both pointers share their alignment, bytes around it */
static void copy_words(u8 *d, const u8 *s, u32 n)
{
    if ((((u32)(unsigned long)d ^ (u32)(unsigned long)s) & 3) == 0) {
        while (n && ((u32)(unsigned long)d & 3)) { *d++ = *s++; n--; }
        for (; n >= 16; n -= 16, d += 16, s += 16) {
            u32 a = ((const word *)s)[0], b = ((const word *)s)[1], c = ((const word *)s)[2], e = ((const word *)s)[3];
            ((word *)d)[0] = a; ((word *)d)[1] = b; ((word *)d)[2] = c; ((word *)d)[3] = e;
        }
        for (; n >= 4; n -= 4, d += 4, s += 4) *(word *)d = *(const word *)s;
    }
    while (n--) *d++ = *s++;
}

static void fill_bytes(u8 *d, u8 v, u32 n)
{
    while (n--) *d++ = v;
}

static u32 length_bytes(const u8 *s)
{
    const u8 *p = s;
    while (*p) p++;
    return (u32)(p - s);
}

/* word at a time: (w - 0x01010101) & ~w & 0x80808080 is nonzero iff w has a zero byte
 * (the strings live in a buffer padded with a zero word, so reading ahead stays inside) */
static u32 length_words(const u8 *s)
{
    const u8 *p = s;
    while ((u32)(unsigned long)p & 3) {
        if (!*p) return (u32)(p - s);
        p++;
    }
    for (;;) {
        u32 w = *(const word *)p;
        if ((w - 0x01010101u) & ~w & 0x80808080u) break;
        p += 4;
    }
    while (*p) p++;
    return (u32)(p - s);
}

static int compare_bytes(const u8 *a, const u8 *b, u32 n)
{
    for (; n; n--, a++, b++)
        if (*a != *b) return *a < *b ? -1 : 1;
    return 0;
}

static s32 find_byte(const u8 *s, u8 c, u32 n)
{
    for (u32 i = 0; i < n; i++)
        if (s[i] == c) return (s32)i;
    return -1;
}

int main(int argc, char **argv)
{
    int n = arg_int(argc, argv, 1, DEF_N);
    int rounds = arg_int(argc, argv, 2, DEF_ROUNDS);
    if (n < 64 || n > MAXN || rounds < 1) {
        puts("usage: bytes [bytes (64..4194304) [rounds]]");
        return 2;
    }
    u32 seed = 0x7f4a7c15u, sum = CHECKSUM_INIT;
    /* strings of 0..63 letters separated by NULs; the tail is zero padding */
    for (int i = 0; i < n;) {
        u32 x = rng_next(&seed);
        int len = (int)(x & 63);
        for (int k = 0; k < len && i < n - 1; k++) src[i++] = (u8)('a' + ((x >> (k & 15)) & 15) + (k & 7));
        src[i++] = 0;
    }
    src[n - 1] = 0;
    for (int r = 0; r < rounds; r++) {
        int so = r & 3, doff = (r >> 2) & 3;
        u32 len = (u32)n - 8;
        /* copies at this round's alignments, both ways, compared */
        fill_bytes(dst, 0xee, (u32)n + 16);
        copy_bytes(dst + doff, src + so, len);
        if (compare_bytes(dst + doff, src + so, len) != 0) FAIL("bytes", "byte copy differs");
        if (dst[doff + len] != 0xee) FAIL("bytes", "byte copy wrote past its end");
        fill_bytes(dst, 0x11, (u32)n + 16);
        copy_words(dst + so, src + so, len); /* same alignment: the word path */
        if (compare_bytes(dst + so, src + so, len) != 0) FAIL("bytes", "word copy differs");
        copy_words(dst + doff, src + so, len);
        if (compare_bytes(dst + doff, src + so, len) != 0) FAIL("bytes", "copy differs");
        /* string lengths along the copy, both ways */
        u32 strings = 0, total = 0;
        for (u32 i = 0; i < len;) {
            u32 a = length_bytes(dst + doff + i), b = length_words(dst + doff + i);
            if (a != b) FAIL("bytes", "length at %u: %u byte-wise, %u word-wise", i, a, b);
            total += a;
            strings++;
            i += a + 1;
        }
        /* search: the first 'z'-ish byte of every 256-byte window */
        u32 found = 0;
        for (u32 i = 0; i + 256 <= len; i += 256) {
            s32 at = find_byte(dst + doff + i, (u8)('a' + 16 + (r & 3)), 256);
            if (at >= 0) {
                if (dst[doff + i + (u32)at] != (u8)('a' + 16 + (r & 3))) FAIL("bytes", "search result wrong");
                found += (u32)at;
            }
        }
        /* compare a modified copy: the difference is found with the right sign */
        dst[doff + len / 2] ^= 0x20;
        int c = compare_bytes(dst + doff, src + so, len);
        if (c != (dst[doff + len / 2] < src[so + len / 2] ? -1 : 1)) FAIL("bytes", "compare gave %d", c);
        sum = mix32(mix32(mix32(sum, strings), total), found);
    }
    if (n == DEF_N && rounds == DEF_ROUNDS && sum != EXPECT)
        FAIL("bytes", "checksum %08x, expected %08x", sum, EXPECT);
    printf("bytes: %d bytes x%d, checksum %08x\n", n, rounds, sum);
    return 0;
}
