/* sha256: SHA-256 of fixed messages checked against known digests, then a hash chain.
 * Usage: sha256 [chain]   (default 64: h = sha256(h) 64 times starting from the fox digest) */
#include "rt.h"

struct sha256 {
    u32 h[8];
    u8 block[64];
    u32 fill;
    u64 total;
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

static inline u32 ror(u32 x, int n) { return (x >> n) | (x << (32 - n)); }

static void compress(u32 *h, const u8 *p)
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

static void sha_init(struct sha256 *s)
{
    static const u32 iv[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
    memcpy(s->h, iv, sizeof iv);
    s->fill = 0;
    s->total = 0;
}

static void sha_update(struct sha256 *s, const u8 *p, u32 n)
{
    s->total += n;
    while (n--) {
        s->block[s->fill++] = *p++;
        if (s->fill == 64) { compress(s->h, s->block); s->fill = 0; }
    }
}

static void sha_final(struct sha256 *s, u8 out[32])
{
    u64 bits = s->total * 8;
    u8 pad = 0x80;
    sha_update(s, &pad, 1);
    pad = 0;
    while (s->fill != 56) sha_update(s, &pad, 1);
    for (int i = 7; i >= 0; i--) {
        u8 b = (u8)(bits >> (8 * i));
        sha_update(s, &b, 1);
    }
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (u8)(s->h[i] >> 24); out[4 * i + 1] = (u8)(s->h[i] >> 16);
        out[4 * i + 2] = (u8)(s->h[i] >> 8); out[4 * i + 3] = (u8)s->h[i];
    }
}

static void sha256(const void *msg, u32 n, u8 out[32])
{
    struct sha256 s;
    sha_init(&s);
    sha_update(&s, msg, n);
    sha_final(&s, out);
}

static void hex(const u8 *d, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) { out[2 * i] = digits[d[i] >> 4]; out[2 * i + 1] = digits[d[i] & 15]; }
    out[64] = 0;
}

static const struct { const char *msg, *digest; } known[] = {
    { "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
    { "The quick brown fox jumps over the lazy dog",
      "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592" },
    { "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
};

int main(int argc, char **argv)
{
    int chain = argc > 1 ? atoi(argv[1]) : 64;
    u8 d[32];
    char text[65];
    int bad = 0;
    for (unsigned i = 0; i < sizeof known / sizeof known[0]; i++) {
        sha256(known[i].msg, strlen(known[i].msg), d);
        hex(d, text);
        int ok = strcmp(text, known[i].digest) == 0;
        printf("%s  msg%u (%u bytes) %s\n", text, i, strlen(known[i].msg), ok ? "OK" : "MISMATCH");
        bad |= !ok;
    }
    sha256(known[1].msg, strlen(known[1].msg), d);
    for (int i = 0; i < chain; i++) sha256(d, 32, d);
    hex(d, text);
    printf("%s  chain %d\n", text, chain);
    if (chain == 64 && strcmp(text, "0dbe96d0dc8f5d14b857330197f816a7651120a03a77857aab723b8353fa7678") != 0) {
        puts("chain digest MISMATCH");
        bad = 1;
    }
    return bad;
}
