/* huffman: Huffman coding of generated text with a skewed symbol distribution.
 * Counts byte frequencies, builds the code tree (repeatedly joining the two
 * lightest nodes), derives canonical codes from the code lengths, encodes the text
 * into a bit stream and decodes it again by walking the tree bit by bit. Checked:
 * the Kraft sum of the code lengths is exactly 1, the encoded size equals the sum
 * of frequency x length, and decoding gives back the text.
 * Usage: huffman [bytes [rounds]]   (defaults 262144 27; bytes <= 4194304) */
#include "bench.h"

#define MAXN (4 << 20)
#define DEF_N 262144
#define DEF_ROUNDS 27
#define EXPECT 0xd5f6fddcu
#define MAXLEN 31 /* code lengths stay below 32 for these inputs (checked) */

static u8 text[MAXN], decoded[MAXN];
static u32 bits[MAXN / 4 + 64]; /* worst case 31 bits per byte would not fit: checked */

struct tree {
    u32 weight[512];
    s16 left[512], right[512]; /* children of inner nodes 256..; leaves are 0..255 */
    u8 len[256];
    u32 code[256];
    int root;
};
static struct tree t;

static void lengths(int node, int depth)
{
    if (node < 256) { t.len[node] = (u8)depth; return; }
    lengths(t.left[node], depth + 1);
    lengths(t.right[node], depth + 1);
}

/* returns the number of distinct symbols */
static int build(const u32 freq[256])
{
    int alive[512], nalive = 0, next = 256;
    for (int i = 0; i < 256; i++) {
        t.len[i] = 0;
        t.weight[i] = freq[i];
        if (freq[i]) alive[nalive++] = i;
    }
    int symbols = nalive;
    if (symbols == 1) { t.len[alive[0]] = 1; t.root = -1; return 1; }
    while (nalive > 1) {
        /* find the two lightest (ties: lower index first, so the result is deterministic) */
        int a = 0, b = 1;
        if (t.weight[alive[b]] < t.weight[alive[a]]) { a = 1; b = 0; }
        for (int i = 2; i < nalive; i++) {
            u32 w = t.weight[alive[i]];
            if (w < t.weight[alive[a]]) { b = a; a = i; }
            else if (w < t.weight[alive[b]]) b = i;
        }
        int n = next++;
        t.left[n] = (s16)alive[a];
        t.right[n] = (s16)alive[b];
        t.weight[n] = t.weight[alive[a]] + t.weight[alive[b]];
        int hi = a > b ? a : b, lo = a > b ? b : a;
        alive[lo] = n;
        alive[hi] = alive[--nalive];
    }
    t.root = alive[0];
    lengths(t.root, 0);
    return symbols;
}

/* canonical codes: by length, then by symbol */
static void canonical(void)
{
    u32 code = 0;
    for (int l = 1; l <= MAXLEN; l++) {
        for (int s = 0; s < 256; s++)
            if (t.len[s] == l) t.code[s] = code++;
        code <<= 1;
    }
}

/* canonical codes need their own decoding tree: rebuild one from the codes */
static s16 dleft[512], dright[512];
static int dnodes;

static void decode_tree(void)
{
    dnodes = 257; /* node 256 is the root; leaves are encoded as -1 - symbol */
    for (int i = 0; i < 512; i++) dleft[i] = dright[i] = 0;
    for (int s = 0; s < 256; s++) {
        if (!t.len[s]) continue;
        int node = 256;
        for (int b = t.len[s] - 1; b >= 0; b--) {
            s16 *slot = (t.code[s] >> b) & 1 ? &dright[node] : &dleft[node];
            if (b == 0) *slot = (s16)(-1 - s);
            else {
                if (*slot == 0) *slot = (s16)dnodes++;
                node = *slot;
            }
        }
    }
}

int main(int argc, char **argv)
{
    int n = arg_int(argc, argv, 1, DEF_N);
    int rounds = arg_int(argc, argv, 2, DEF_ROUNDS);
    if (n < 1 || n > MAXN || rounds < 1) {
        puts("usage: huffman [bytes (1..4194304) [rounds]]");
        return 2;
    }
    u32 seed = 0xdeadbeefu, sum = CHECKSUM_INIT;
    for (int r = 0; r < rounds; r++) {
        /* skewed text: symbol k of a 96-letter alphabet with probability ~ (7/8)^k */
        for (int i = 0; i < n; i++) {
            u32 x = rng_next(&seed);
            int k = 0;
            while ((x & 7) && k < 95) { k++; x = (x >> 3) | (x << 29); if ((k & 7) == 0) x = rng_next(&seed); }
            k += r;
            while (k >= 96) k -= 96;
            text[i] = (u8)(32 + k);
        }
        u32 freq[256] = { 0 };
        for (int i = 0; i < n; i++) freq[text[i]]++;
        int symbols = build(freq);
        u32 kraft = 0, total = 0; /* Kraft sum in units of 2^-MAXLEN */
        for (int s = 0; s < 256; s++) {
            if (!t.len[s]) continue;
            if (t.len[s] > MAXLEN) FAIL("huffman", "code length %d", t.len[s]);
            kraft += 1u << (MAXLEN - t.len[s]);
            total += freq[s] * t.len[s];
        }
        if (symbols > 1 && kraft != 1u << MAXLEN) FAIL("huffman", "Kraft sum %08x", kraft);
        if (total > 8u * (u32)n) FAIL("huffman", "code longer than the input");
        canonical();
        /* encode */
        u32 nbits = 0;
        for (int i = 0; i < (int)total / 32 + 2; i++) bits[i] = 0;
        for (int i = 0; i < n; i++) {
            u8 s = text[i];
            u32 c = t.code[s];
            for (int b = t.len[s] - 1; b >= 0; b--, nbits++)
                if ((c >> b) & 1) bits[nbits >> 5] |= 0x80000000u >> (nbits & 31);
        }
        if (nbits != total) FAIL("huffman", "encoded %u bits, expected %u", nbits, total);
        /* decode */
        decode_tree();
        u32 pos = 0;
        for (int i = 0; i < n; i++) {
            int node = 256;
            if (symbols == 1) { decoded[i] = text[0]; pos++; continue; }
            while (node >= 0) {
                int bit = (bits[pos >> 5] >> (31 - (pos & 31))) & 1;
                pos++;
                node = bit ? dright[node] : dleft[node];
            }
            decoded[i] = (u8)(-1 - node);
        }
        if (pos != nbits) FAIL("huffman", "decoding read %u bits of %u", pos, nbits);
        for (int i = 0; i < n; i++)
            if (decoded[i] != text[i]) FAIL("huffman", "round %d: byte %d decoded as %d, was %d", r, i, decoded[i], text[i]);
        sum = mix32(sum, nbits);
        for (u32 i = 0; i < nbits / 32; i += 16) sum = mix32(sum, bits[i]);
    }
    if (n == DEF_N && rounds == DEF_ROUNDS && sum != EXPECT)
        FAIL("huffman", "checksum %08x, expected %08x", sum, EXPECT);
    printf("huffman: %d bytes x%d, checksum %08x\n", n, rounds, sum);
    return 0;
}
