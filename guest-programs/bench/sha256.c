/* sha256: SHA-256 (FIPS 180-4) over a generated stream of a few MiB, fed in pieces
 * of varying size so that the buffering path is exercised. Checked: the FIPS
 * examples ("abc", the empty message, the 448-bit two-block message), and that
 * hashing the first 64 KiB piecewise and in one call agree.
 * Usage: sha256 [KiB [rounds]]   (defaults 8192 3: 8 MiB, three times; KiB <= 1048576) */
#include "bench.h"

#define DEF_K 8192
#define DEF_ROUNDS 3
#define EXPECT 0x5b9f33aau
#define CHUNK 65536

struct sha256 {
    u32 h[8];
    u8 block[64];
    u32 fill;
    u64 length;
};

static const u32 K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static u32 ror(u32 x, int k) { return x >> k | x << (32 - k); }

static void compress(u32 h[8], const u8 *p)
{
    u32 w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (u32)p[4 * i] << 24 | (u32)p[4 * i + 1] << 16 | (u32)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        u32 s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
        u32 s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    u32 a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; i++) {
        u32 t1 = hh + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        u32 t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        hh = g; g = f; f = e; e = d + t1;
        d = c; c = b; b = a; a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d;
    h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

static void init(struct sha256 *s)
{
    static const u32 iv[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
    for (int i = 0; i < 8; i++) s->h[i] = iv[i];
    s->fill = 0;
    s->length = 0;
}

static void update(struct sha256 *s, const u8 *p, u32 n)
{
    s->length += n;
    if (s->fill) {
        while (n && s->fill < 64) { s->block[s->fill++] = *p++; n--; }
        if (s->fill < 64) return;
        compress(s->h, s->block);
        s->fill = 0;
    }
    for (; n >= 64; p += 64, n -= 64) compress(s->h, p);
    while (n--) s->block[s->fill++] = *p++;
}

static void final(struct sha256 *s, u32 out[8])
{
    u64 bits = s->length * 8;
    u8 pad = 0x80;
    update(s, &pad, 1);
    pad = 0;
    while (s->fill != 56) update(s, &pad, 1);
    u8 len[8];
    for (int i = 0; i < 8; i++) len[i] = (u8)(bits >> (56 - 8 * i));
    update(s, len, 8);
    for (int i = 0; i < 8; i++) out[i] = s->h[i];
}

static int digest_is(const char *msg, u32 n, const u32 want[8])
{
    struct sha256 s;
    u32 d[8];
    init(&s);
    update(&s, (const u8 *)msg, n);
    final(&s, d);
    for (int i = 0; i < 8; i++)
        if (d[i] != want[i]) return 0;
    return 1;
}

static u8 chunk[CHUNK];

static void fill_chunk(u32 index)
{
    u32 x = 0x6d2b79f5u ^ (index * 0x9e3779b9u + 1);
    for (int i = 0; i < CHUNK; i += 4) {
        x ^= x << 13; x ^= x >> 17; x ^= x << 5;
        chunk[i] = (u8)x; chunk[i + 1] = (u8)(x >> 8); chunk[i + 2] = (u8)(x >> 16); chunk[i + 3] = (u8)(x >> 24);
    }
}

int main(int argc, char **argv)
{
    int kib = arg_int(argc, argv, 1, DEF_K);
    int rounds = arg_int(argc, argv, 2, DEF_ROUNDS);
    if (kib < 64 || kib > (1 << 20) || rounds < 1) {
        puts("usage: sha256 [KiB (64..1048576) [rounds]]");
        return 2;
    }
    static const u32 abc[8] = { 0xba7816bf, 0x8f01cfea, 0x414140de, 0x5dae2223,
                                0xb00361a3, 0x96177a9c, 0xb410ff61, 0xf20015ad };
    static const u32 empty[8] = { 0xe3b0c442, 0x98fc1c14, 0x9afbf4c8, 0x996fb924,
                                  0x27ae41e4, 0x649b934c, 0xa495991b, 0x7852b855 };
    static const u32 two[8] = { 0x248d6a61, 0xd20638b8, 0xe5c02693, 0x0c3e6039,
                                0xa33ce459, 0x64ff2167, 0xf6ecedd4, 0x19db06c1 };
    if (!digest_is("abc", 3, abc)) FAIL("sha256", "digest of \"abc\" wrong");
    if (!digest_is("", 0, empty)) FAIL("sha256", "digest of \"\" wrong");
    if (!digest_is("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, two))
        FAIL("sha256", "digest of the 448-bit message wrong");

    u32 sum = CHECKSUM_INIT, d[8], one[8];
    struct sha256 s;
    fill_chunk(0);
    init(&s);
    update(&s, chunk, CHUNK);
    final(&s, one);
    for (int r = 0; r < rounds; r++) {
        init(&s);
        u32 piece = 1;
        for (u32 c = 0; c < (u32)kib / 64; c++) {
            fill_chunk(c + (u32)r);
            for (u32 off = 0; off < CHUNK;) {
                u32 n = CHUNK - off < piece ? CHUNK - off : piece;
                update(&s, chunk + off, n);
                off += n;
                piece = piece * 5 % 8191 + 1; /* 1 .. 8191 bytes */
            }
            if (c == 0 && r == 0) {
                struct sha256 copy = s;
                final(&copy, d);
                for (int i = 0; i < 8; i++)
                    if (d[i] != one[i]) FAIL("sha256", "piecewise and one-call digests of 64 KiB differ");
            }
        }
        final(&s, d);
        for (int i = 0; i < 8; i++) sum = mix32(sum, d[i]);
    }
    if (kib == DEF_K && rounds == DEF_ROUNDS && sum != EXPECT)
        FAIL("sha256", "checksum %08x, expected %08x", sum, EXPECT);
    printf("sha256: %d KiB x%d, digest %08x..%08x, checksum %08x\n", kib, rounds, d[0], d[7], sum);
    return 0;
}
