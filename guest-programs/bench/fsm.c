/* fsm: a table-free, switch-driven state machine that classifies the tokens of a
 * generated text: integers ("-42", "007"), decimals ("3.25"), hex ("0x1f"),
 * identifiers ("_a1") and malformed tokens ("12q", "0x", "1.2.3", "-", "5.").
 * The generator knows what class it wrote; the machine's counts must agree, and
 * the integer values it accumulates must equal the generator's sum.
 * Usage: fsm [bytes [rounds]]   (defaults 65536 1600; bytes <= 4194304) */
#include "bench.h"

#define MAXN (4 << 20)
#define DEF_N 65536
#define DEF_ROUNDS 1600
#define EXPECT 0x74bf5dc5u

enum { INT, DEC, HEX, IDENT, BAD, NCLASS };
enum { S_START, S_MINUS, S_ZERO, S_INT, S_DOT, S_DEC, S_X, S_HEX, S_IDENT, S_BAD };

static char text[MAXN + 64];

static int put(char *p, const char *s)
{
    int i = 0;
    while (s[i]) { p[i] = s[i]; i++; }
    return i;
}

static int put_digits(char *p, u32 *seed, int min, int max, const char *alphabet, int radix, u32 *value)
{
    int len = min + (int)(rng_next(seed) & 7);
    if (len > max) len = max;
    u32 v = 0;
    for (int i = 0; i < len; i++) {
        int d = (int)((rng_next(seed) >> 8) & 15);
        if (d >= radix) d -= radix;
        p[i] = alphabet[d];
        v = v * (u32)radix + (u32)d;
    }
    if (value) *value = v;
    return len;
}

/* writes tokens until n bytes; counts what it wrote */
static int generate(char *t, int n, u32 *seed, u32 counts[NCLASS], u32 *int_sum)
{
    static const char *const bad[] = { "0x", "1.2.3", "-", "5.", "-x", "9..", "0xg" };
    static const char dec[] = "0123456789", hex[] = "0123456789abcdef";
    static const char ident[] = "abcdefghijklmnopqrstuvwxyz_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    int i = 0;
    while (i < n) {
        u32 r = rng_next(seed);
        int cls = (int)((r >> 4) % 10);
        u32 v;
        switch (cls) {
        case 0: case 1: case 2: /* integer, maybe negative */
            if (r & 1) t[i++] = '-';
            i += put_digits(t + i, seed, 1, 9, dec, 10, &v);
            *int_sum += (r & 1) ? 0u - v : v;
            counts[INT]++;
            break;
        case 3: case 4: /* decimal */
            if (r & 1) t[i++] = '-';
            i += put_digits(t + i, seed, 1, 6, dec, 10, NULL);
            t[i++] = '.';
            i += put_digits(t + i, seed, 1, 6, dec, 10, NULL);
            counts[DEC]++;
            break;
        case 5: /* hex */
            i += put(t + i, "0x");
            i += put_digits(t + i, seed, 1, 8, hex, 16, NULL);
            counts[HEX]++;
            break;
        case 6: case 7: case 8: { /* identifier: a letter or _ first */
            int len = 1 + (int)((r >> 12) & 15);
            t[i++] = ident[(r >> 16) % 53];
            for (int k = 1; k < len; k++) t[i++] = ident[(rng_next(seed) >> 8) % 63];
            counts[IDENT]++;
            break;
        }
        default: /* malformed: digits then a letter, or a fixed bad shape */
            if (r & 1) {
                i += put_digits(t + i, seed, 1, 5, dec, 10, NULL);
                t[i++] = (char)('g' + (r >> 20) % 20);
            } else {
                i += put(t + i, bad[(r >> 20) % 7]);
            }
            counts[BAD]++;
            break;
        }
        t[i++] = (r >> 28) == 0 ? '\n' : ' ';
    }
    t[i] = 0;
    return i;
}

static int is_hex_letter(int c) { return c >= 'a' && c <= 'f'; }
static int is_letter(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

static void scan(const char *t, u32 counts[NCLASS], u32 *int_sum)
{
    int state = S_START, neg = 0;
    u32 v = 0;
    for (const u8 *p = (const u8 *)t;; p++) {
        int c = *p;
        if (c == ' ' || c == '\n' || c == 0) {
            switch (state) {
            case S_ZERO: case S_INT: counts[INT]++; *int_sum += neg ? 0u - v : v; break;
            case S_DEC: counts[DEC]++; break;
            case S_HEX: counts[HEX]++; break;
            case S_IDENT: counts[IDENT]++; break;
            case S_START: break;
            default: counts[BAD]++; break;
            }
            if (c == 0) return;
            state = S_START; neg = 0; v = 0;
            continue;
        }
        int digit = c >= '0' && c <= '9';
        switch (state) {
        case S_START:
            if (c == '-') state = S_MINUS;
            else if (c == '0') state = S_ZERO;
            else if (digit) { state = S_INT; v = (u32)(c - '0'); }
            else if (is_letter(c)) state = S_IDENT;
            else state = S_BAD;
            break;
        case S_MINUS:
            neg = 1;
            if (digit) { state = S_INT; v = (u32)(c - '0'); }
            else state = S_BAD;
            break;
        case S_ZERO:
            if (c == 'x') state = S_X;
            else if (digit) { state = S_INT; v = (u32)(c - '0'); }
            else if (c == '.') state = S_DOT;
            else state = S_BAD;
            break;
        case S_INT:
            if (digit) v = v * 10 + (u32)(c - '0');
            else if (c == '.') state = S_DOT;
            else state = S_BAD;
            break;
        case S_DOT:
            state = digit ? S_DEC : S_BAD;
            break;
        case S_DEC:
            if (!digit) state = S_BAD;
            break;
        case S_X:
        case S_HEX:
            state = digit || is_hex_letter(c) ? S_HEX : S_BAD;
            break;
        case S_IDENT:
            if (!digit && !is_letter(c)) state = S_BAD;
            break;
        default:
            break;
        }
    }
}

int main(int argc, char **argv)
{
    int n = arg_int(argc, argv, 1, DEF_N);
    int rounds = arg_int(argc, argv, 2, DEF_ROUNDS);
    if (n < 1 || n > MAXN || rounds < 1) {
        puts("usage: fsm [bytes (1..4194304) [rounds]]");
        return 2;
    }
    u32 seed = 0x9e3779b9u, sum = CHECKSUM_INIT;
    u32 want[NCLASS] = { 0 }, want_sum = 0;
    int len = generate(text, n, &seed, want, &want_sum);
    for (int r = 0; r < rounds; r++) {
        u32 got[NCLASS] = { 0 }, got_sum = 0;
        scan(text, got, &got_sum);
        for (int k = 0; k < NCLASS; k++)
            if (got[k] != want[k]) FAIL("fsm", "class %d: %u tokens, generator wrote %u", k, got[k], want[k]);
        if (got_sum != want_sum) FAIL("fsm", "integer sum %u, generator wrote %u", got_sum, want_sum);
        for (int k = 0; k < NCLASS; k++) sum = mix32(sum, got[k]);
        sum = mix32(sum, got_sum);
    }
    if (n == DEF_N && rounds == DEF_ROUNDS && sum != EXPECT)
        FAIL("fsm", "checksum %08x, expected %08x", sum, EXPECT);
    printf("fsm: %d bytes x%d, checksum %08x\n", len, rounds, sum);
    return 0;
}
