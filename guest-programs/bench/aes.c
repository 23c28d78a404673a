/* aes: AES-128 (FIPS-197) written from the specification: the S-box computed from
 * inverses in GF(2^8) and the affine map, byte-oriented rounds (SubBytes, ShiftRows,
 * MixColumns, AddRoundKey), the key schedule, and the inverse cipher. Checked: S-box
 * sample values, the FIPS-197 appendix C.1 known answer in both directions, and
 * that decrypting the last CBC pass gives back the previous one.
 * Work: CBC encryption of a buffer, repeated; the key changes every pass.
 * Usage: aes [bytes [rounds]]   (defaults 65536 96; bytes a multiple of 16, <= 1048576) */
#include "bench.h"

#define MAXN (1 << 20)
#define DEF_N 65536
#define DEF_ROUNDS 96
#define EXPECT 0x18ce05aau

static u8 sbox[256], inv_sbox[256];
static u8 buf[MAXN], prev[MAXN];

static u8 xtime(u8 a) { return (u8)((a << 1) ^ ((a & 0x80) ? 0x1b : 0)); }

static u8 gmul(u8 a, u8 b)
{
    u8 p = 0;
    while (b) {
        if (b & 1) p ^= a;
        a = xtime(a);
        b >>= 1;
    }
    return p;
}

static u8 rotl8(u8 x, int k) { return (u8)((x << k) | (x >> (8 - k))); }

static void make_sbox(void)
{
    for (int i = 0; i < 256; i++) {
        /* inverse: a^254 (0 maps to 0) */
        u8 a = (u8)i, inv = 1, sq = a;
        for (int e = 254; e; e >>= 1) {
            if (e & 1) inv = gmul(inv, sq);
            sq = gmul(sq, sq);
        }
        if (i == 0) inv = 0;
        u8 s = (u8)(inv ^ rotl8(inv, 1) ^ rotl8(inv, 2) ^ rotl8(inv, 3) ^ rotl8(inv, 4) ^ 0x63);
        sbox[i] = s;
        inv_sbox[s] = (u8)i;
    }
}

/* AES-128 key expansion: 11 round keys of 16 bytes */
static void expand_key(const u8 key[16], u8 rk[176])
{
    for (int i = 0; i < 16; i++) rk[i] = key[i];
    u8 rcon = 1;
    for (int i = 16; i < 176; i += 4) {
        u8 t0 = rk[i - 4], t1 = rk[i - 3], t2 = rk[i - 2], t3 = rk[i - 1];
        if (i % 16 == 0) {
            u8 r = t0;
            t0 = (u8)(sbox[t1] ^ rcon); t1 = sbox[t2]; t2 = sbox[t3]; t3 = sbox[r];
            rcon = xtime(rcon);
        }
        rk[i] = rk[i - 16] ^ t0;
        rk[i + 1] = rk[i - 15] ^ t1;
        rk[i + 2] = rk[i - 14] ^ t2;
        rk[i + 3] = rk[i - 13] ^ t3;
    }
}

/* the state is column-major as in the spec: s[row + 4 * column] */
static void encrypt_block(u8 s[16], const u8 rk[176])
{
    for (int i = 0; i < 16; i++) s[i] ^= rk[i];
    for (int round = 1; round <= 10; round++) {
        u8 t[16];
        for (int c = 0; c < 4; c++)      /* SubBytes + ShiftRows: row r moves left by r */
            for (int r = 0; r < 4; r++) t[r + 4 * c] = sbox[s[r + 4 * ((c + r) & 3)]];
        if (round < 10) {
            for (int c = 0; c < 4; c++) { /* MixColumns */
                u8 *col = t + 4 * c;
                u8 a0 = col[0], a1 = col[1], a2 = col[2], a3 = col[3], all = a0 ^ a1 ^ a2 ^ a3;
                col[0] = a0 ^ all ^ xtime(a0 ^ a1);
                col[1] = a1 ^ all ^ xtime(a1 ^ a2);
                col[2] = a2 ^ all ^ xtime(a2 ^ a3);
                col[3] = a3 ^ all ^ xtime(a3 ^ a0);
            }
        }
        for (int i = 0; i < 16; i++) s[i] = t[i] ^ rk[16 * round + i];
    }
}

static void decrypt_block(u8 s[16], const u8 rk[176])
{
    for (int i = 0; i < 16; i++) s[i] ^= rk[160 + i];
    for (int round = 9; round >= 0; round--) {
        u8 t[16];
        for (int c = 0; c < 4; c++)      /* InvShiftRows + InvSubBytes */
            for (int r = 0; r < 4; r++) t[r + 4 * ((c + r) & 3)] = inv_sbox[s[r + 4 * c]];
        for (int i = 0; i < 16; i++) t[i] ^= rk[16 * round + i];
        if (round > 0) {
            for (int c = 0; c < 4; c++) { /* InvMixColumns */
                u8 *col = t + 4 * c;
                u8 a0 = col[0], a1 = col[1], a2 = col[2], a3 = col[3];
                col[0] = gmul(a0, 14) ^ gmul(a1, 11) ^ gmul(a2, 13) ^ gmul(a3, 9);
                col[1] = gmul(a0, 9) ^ gmul(a1, 14) ^ gmul(a2, 11) ^ gmul(a3, 13);
                col[2] = gmul(a0, 13) ^ gmul(a1, 9) ^ gmul(a2, 14) ^ gmul(a3, 11);
                col[3] = gmul(a0, 11) ^ gmul(a1, 13) ^ gmul(a2, 9) ^ gmul(a3, 14);
            }
        }
        for (int i = 0; i < 16; i++) s[i] = t[i];
    }
}

static void cbc_encrypt(u8 *p, int n, const u8 rk[176], const u8 iv[16])
{
    const u8 *chain = iv;
    for (int off = 0; off < n; off += 16) {
        for (int i = 0; i < 16; i++) p[off + i] ^= chain[i];
        encrypt_block(p + off, rk);
        chain = p + off;
    }
}

static void cbc_decrypt(u8 *p, int n, const u8 rk[176], const u8 iv[16])
{
    u8 chain[16], next[16];
    for (int i = 0; i < 16; i++) chain[i] = iv[i];
    for (int off = 0; off < n; off += 16) {
        for (int i = 0; i < 16; i++) next[i] = p[off + i];
        decrypt_block(p + off, rk);
        for (int i = 0; i < 16; i++) p[off + i] ^= chain[i];
        for (int i = 0; i < 16; i++) chain[i] = next[i];
    }
}

static int equal(const u8 *a, const u8 *b, int n)
{
    for (int i = 0; i < n; i++)
        if (a[i] != b[i]) return 0;
    return 1;
}

int main(int argc, char **argv)
{
    int n = arg_int(argc, argv, 1, DEF_N);
    int rounds = arg_int(argc, argv, 2, DEF_ROUNDS);
    if (n < 16 || n > MAXN || n % 16 || rounds < 1) {
        puts("usage: aes [bytes (16..1048576, a multiple of 16) [rounds]]");
        return 2;
    }
    make_sbox();
    if (sbox[0x00] != 0x63 || sbox[0x01] != 0x7c || sbox[0x53] != 0xed || sbox[0xff] != 0x16)
        FAIL("aes", "S-box sample values wrong");

    /* FIPS-197 appendix C.1 */
    u8 key[16], block[16], rk[176];
    static const u8 want[16] = { 0x69, 0xc4, 0xe0, 0xd8, 0x6a, 0x7b, 0x04, 0x30,
                                 0xd8, 0xcd, 0xb7, 0x80, 0x70, 0xb4, 0xc5, 0x5a };
    for (int i = 0; i < 16; i++) { key[i] = (u8)i; block[i] = (u8)(i * 0x11); }
    expand_key(key, rk);
    if (rk[160] != 0x13 || rk[175] != 0xc5) FAIL("aes", "key schedule: last round key %02x..%02x", rk[160], rk[175]);
    encrypt_block(block, rk);
    if (!equal(block, want, 16)) FAIL("aes", "FIPS-197 C.1 ciphertext wrong");
    decrypt_block(block, rk);
    for (int i = 0; i < 16; i++)
        if (block[i] != (u8)(i * 0x11)) FAIL("aes", "FIPS-197 C.1 decryption wrong");

    u32 seed = 0xa5a5a5a5u, sum = CHECKSUM_INIT;
    u8 iv[16];
    for (int i = 0; i < n; i++) buf[i] = (u8)rng_next(&seed);
    for (int i = 0; i < 16; i++) iv[i] = (u8)(rng_next(&seed) >> 7);
    for (int r = 0; r < rounds; r++) {
        key[r & 15] ^= (u8)(r + 1);
        expand_key(key, rk);
        if (r == rounds - 1)
            for (int i = 0; i < n; i++) prev[i] = buf[i];
        cbc_encrypt(buf, n, rk, iv);
        for (int i = 0; i < n; i += 64) sum = mix32(sum, (u32)buf[i] << 24 | (u32)buf[i + 5] << 16 | (u32)buf[i + 10] << 8 | buf[i + 15]);
    }
    sum = mix32(sum, (u32)buf[n - 1]);
    cbc_decrypt(buf, n, rk, iv);
    if (!equal(buf, prev, n)) FAIL("aes", "CBC decryption of the last pass differs from its input");
    if (n == DEF_N && rounds == DEF_ROUNDS && sum != EXPECT)
        FAIL("aes", "checksum %08x, expected %08x", sum, EXPECT);
    printf("aes: %d bytes x%d, checksum %08x\n", n, rounds, sum);
    return 0;
}
