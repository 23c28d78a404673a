/* crc: checksums over a buffer: CRC-32 (table), CRC-32C (bitwise), CRC-16/CCITT-FALSE
 * (table, not reflected) and Adler-32. Known answers first ("123456789" and
 * "Wikipedia"), then each round modifies the buffer and checksums it; the table
 * CRC-32 is cross-checked against a bitwise one on the first round.
 * Usage: crc [bytes [rounds]]   (defaults 262144 160; bytes <= 4194304) */
#include "bench.h"

#define MAXN (4 << 20)
#define DEF_N 262144
#define DEF_ROUNDS 160
#define EXPECT 0x04b2a971u

static u8 buf[MAXN];
static u32 t32[256];
static u16 t16[256];

static u32 crc32_table(const u8 *p, u32 n)
{
    u32 c = 0xffffffffu;
    while (n--) c = t32[(c ^ *p++) & 0xff] ^ (c >> 8);
    return ~c;
}

static u32 crc_bitwise(const u8 *p, u32 n, u32 poly)
{
    u32 c = 0xffffffffu;
    while (n--) {
        c ^= *p++;
        for (int k = 0; k < 8; k++) c = (c >> 1) ^ (poly & (0u - (c & 1)));
    }
    return ~c;
}

static u16 crc16_table(const u8 *p, u32 n)
{
    u16 c = 0xffff;
    while (n--) c = (u16)(t16[((c >> 8) ^ *p++) & 0xff] ^ (c << 8));
    return c;
}

static u32 adler32(const u8 *p, u32 n)
{
    u32 a = 1, b = 0;
    while (n) {
        u32 chunk = n < 5552 ? n : 5552; /* no overflow before the reduction */
        n -= chunk;
        while (chunk--) { a += *p++; b += a; }
        a %= 65521;
        b %= 65521;
    }
    return b << 16 | a;
}

int main(int argc, char **argv)
{
    int n = arg_int(argc, argv, 1, DEF_N);
    int rounds = arg_int(argc, argv, 2, DEF_ROUNDS);
    if (n < 1 || n > MAXN || rounds < 1) {
        puts("usage: crc [bytes (1..4194304) [rounds]]");
        return 2;
    }
    for (u32 i = 0; i < 256; i++) {
        u32 c = i;
        for (int k = 0; k < 8; k++) c = (c & 1) ? (c >> 1) ^ 0xedb88320u : c >> 1;
        t32[i] = c;
        u16 d = (u16)(i << 8);
        for (int k = 0; k < 8; k++) d = (u16)((d & 0x8000) ? (d << 1) ^ 0x1021 : d << 1);
        t16[i] = d;
    }
    const u8 *check = (const u8 *)"123456789";
    if (crc32_table(check, 9) != 0xcbf43926u) FAIL("crc", "CRC-32 check value %08x", crc32_table(check, 9));
    if (crc_bitwise(check, 9, 0xedb88320u) != 0xcbf43926u) FAIL("crc", "bitwise CR-32 check value");
    if (crc_bitwise(check, 9, 0x82f63b78u) != 0xe3069283u) FAIL("crc", "CRC-32C check value %08x", crc_bitwise(check, 9, 0x82f63b78u));
    if (crc16_table(check, 9) != 0x29b1) FAIL("crc", "CRC-16/CCITT-FALSE check value %04x", crc16_table(check, 9));
    if (adler32((const u8 *)"Wikipedia", 9) != 0x11e60398u) FAIL("crc", "Adler-32 check value %08x", adler32((const u8 *)"Wikipedia", 9));

    u32 seed = 0x3c6ef372u, sum = CHECKSUM_INIT;
    for (int i = 0; i < n; i++) buf[i] = (u8)(rng_next(&seed) >> 24);
    for (int r = 0; r < rounds; r++) {
        for (int i = r; i < n; i += 61) buf[i] ^= (u8)(r * 37 + 1);
        u32 a = crc32_table(buf, (u32)n);
        if (r == 0 && a != crc_bitwise(buf, (u32)n, 0xedb88320u)) FAIL("crc", "table and bitwise CRC-32 differ");
        u32 b = crc_bitwise(buf, (u32)n, 0x82f63b78u);
        u32 c = crc16_table(buf, (u32)n);
        u32 d = adler32(buf, (u32)n);
        sum = mix32(mix32(mix32(mix32(sum, a), b), c), d);
    }
    if (n == DEF_N && rounds == DEF_ROUNDS && sum != EXPECT)
        FAIL("crc", "checksum %08x, expected %08x", sum, EXPECT);
    printf("crc: %d bytes x%d, checksum %08x\n", n, rounds, sum);
    return 0;
}
