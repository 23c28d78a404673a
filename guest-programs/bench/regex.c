/* regex: a small backtracking regular-expression matcher (literals, ., [set],
 * [^set], ranges a-z, the postfix operators * + ?, anchors ^ $, escapes \d \w \.;
 * no groups or alternation: parentheses and | are literal characters),
 * searching generated log-like lines for a handful of patterns. Checked: a table
 * of pattern/text pairs with known answers, and per round the match counts of
 * patterns whose answer the generator knows.
 * Usage: regex [lines [rounds]]   (defaults 4000 11; lines <= 65536) */
#include "bench.h"

#define MAXLINES 65536
#define LINELEN 80
#define DEF_N 4000
#define DEF_ROUNDS 11
#define EXPECT 0xb9484470u

static char lines[MAXLINES][LINELEN];

/* length of the atom at p: a char, an escape, or a [set] */
static int atom_len(const char *p)
{
    if (*p == '\\') return 2;
    if (*p == '[') {
        int i = 1;
        if (p[i] == '^') i++;
        if (p[i] == ']') i++; /* a leading ] is literal */
        while (p[i] && p[i] != ']') i++;
        return p[i] ? i + 1 : i;
    }
    return 1;
}

static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_word(int c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

/* does text char c match the atom at p (of length len)? */
static int atom_matches(const char *p, int len, int c)
{
    if (c == 0) return 0;
    if (*p == '.') return 1;
    if (*p == '\\') {
        if (p[1] == 'd') return is_digit(c);
        if (p[1] == 'w') return is_word(c);
        return c == p[1];
    }
    if (*p == '[') {
        int i = 1, neg = 0, hit = 0;
        if (p[i] == '^') { neg = 1; i++; }
        int end = len - 1;
        for (; i < end; i++) {
            if (i + 2 < end && p[i + 1] == '-') {
                if (c >= p[i] && c <= p[i + 2]) hit = 1;
                i += 2;
            } else if (c == p[i]) {
                hit = 1;
            }
        }
        return hit != neg;
    }
    return c == *p;
}

static int match_here(const char *re, const char *text);

/* atom (p, len) repeated between min and unbounded times, greedy, then the rest */
static int match_repeat(const char *p, int len, int min, const char *rest, const char *text)
{
    const char *t = text;
    while (atom_matches(p, len, (u8)*t)) t++;
    for (; t >= text + min; t--)
        if (match_here(rest, t)) return 1;
    return 0;
}

static int match_here(const char *re, const char *text)
{
    for (;;) {
        if (*re == 0) return 1;
        if (*re == '$' && re[1] == 0) return *text == 0;
        int len = atom_len(re);
        char op = re[len];
        if (op == '*') return match_repeat(re, len, 0, re + len + 1, text);
        if (op == '+') return match_repeat(re, len, 1, re + len + 1, text);
        if (op == '?') {
            if (atom_matches(re, len, (u8)*text) && match_here(re + len + 1, text + 1)) return 1;
            re += len + 1;
            continue;
        }
        if (!atom_matches(re, len, (u8)*text)) return 0;
        re += len;
        text++;
    }
}

static int search(const char *re, const char *text)
{
    if (*re == '^') return match_here(re + 1, text);
    do {
        if (match_here(re, text)) return 1;
    } while (*text++);
    return 0;
}

static const struct { const char *re, *text; int want; } known[] = {
    { "abc", "xxabcxx", 1 }, { "abc", "abxc", 0 }, { "^abc", "abcd", 1 }, { "^abc", "xabc", 0 },
    { "abc$", "xxabc", 1 }, { "abc$", "abcx", 0 }, { "a.c", "abc", 1 }, { "a.c", "ac", 0 },
    { "ab*c", "ac", 1 }, { "ab*c", "abbbbc", 1 }, { "ab+c", "ac", 0 }, { "ab+c", "abbc", 1 },
    { "ab?c", "abc", 1 }, { "ab?c", "ac", 1 }, { "ab?c", "abbc", 0 }, { "[a-c]+x", "zzbcax", 1 },
    { "[^a-c]x", "ax", 0 }, { "[^a-c]x", "dx", 1 }, { "\\d+\\.\\d+", "v1.25", 1 }, { "\\d+\\.\\d+", "v1x25", 0 },
    { "^\\w+=\\d*$", "key_1=", 1 }, { "^\\w+=\\d*$", "key-1=2", 0 }, { "a.*b.*c", "axxbyyc", 1 }, { "a.*b.*c", "axxcyyb", 0 },
    { "^$", "", 1 }, { "^$", "x", 0 }, { "x*", "", 1 }, { "[]a]+$", "b]a]", 1 },
};

static const char *const words[] = { "GET", "POST", "user", "admin", "error", "warning", "ok", "id", "path", "/index", "/api/v1", "timeout" };

int main(int argc, char **argv)
{
    int n = arg_int(argc, argv, 1, DEF_N);
    int rounds = arg_int(argc, argv, 2, DEF_ROUNDS);
    if (n < 1 || n > MAXLINES || rounds < 1) {
        puts("usage: regex [lines (1..65536) [rounds]]");
        return 2;
    }
    for (u32 i = 0; i < sizeof known / sizeof known[0]; i++)
        if (search(known[i].re, known[i].text) != known[i].want)
            FAIL("regex", "/%s/ on \"%s\" should give %d", known[i].re, known[i].text, known[i].want);

    static const char *const patterns[] = {
        "error", "^GET /", "id=\\d+$", "[0-9]+\\.[0-9]+\\.[0-9]+", "u.*r.*t", "^[A-Z]+ [^ ]+ \\w+=\\d\\d\\d",
        "(x)", "a?d?m?i?n?\\w*=", "warning.*timeout", "[aeiou][aeiou]",
    };
    enum { NPAT = sizeof patterns / sizeof patterns[0] };
    u32 seed = 0x51ed270bu, sum = CHECKSUM_INIT;
    for (int r = 0; r < rounds; r++) {
        /* lines: METHOD PATH three words, some with =digits, maybe a.b.c; the generator
         * counts the lines that start with "GET " and those that hold "error" */
        int want_error = 0, want_get = 0;
        for (int i = 0; i < n; i++) {
            char *l = lines[i];
            int k = 0;
            int get = (rng_next(&seed) & 1) == 0;
            const char *w = words[get ? 0 : 1];
            while (*w) l[k++] = *w++;
            l[k++] = ' ';
            w = words[8 + (rng_next(&seed) & 1 ? 1 : 2)];
            while (*w) l[k++] = *w++;
            l[k++] = ' ';
            int has_error = 0;
            for (int j = 0; j < 3; j++) {
                u32 x = rng_next(&seed);
                int wi = (int)((x >> 4) & 15);
                if (wi >= 12) wi -= 8;
                if (wi == 4) has_error = 1;
                w = words[wi];
                while (*w) l[k++] = *w++;
                if (x & 1) {
                    l[k++] = '=';
                    for (int d = 0; d < (int)((x >> 9) & 3) + 1; d++) l[k++] = (char)('0' + ((x >> (12 + 3 * d)) & 7));
                }
                l[k++] = ' ';
            }
            if (rng_next(&seed) & 1) {
                u32 x = rng_next(&seed);
                l[k++] = (char)('0' + (x & 7)); l[k++] = '.';
                l[k++] = (char)('0' + ((x >> 3) & 7)); l[k++] = '.';
                l[k++] = (char)('0' + ((x >> 6) & 7));
            }
            l[k] = 0;
            want_error += has_error;
            want_get += get;
        }
        u32 counts[NPAT] = { 0 };
        for (int i = 0; i < n; i++)
            for (int p = 0; p < NPAT; p++) counts[p] += (u32)search(patterns[p], lines[i]);
        if (counts[0] != (u32)want_error) FAIL("regex", "/error/ matched %u lines, %d hold it", counts[0], want_error);
        if (counts[6] != 0) FAIL("regex", "/(x)/ matched %u lines, none hold it", counts[6]);
        if (counts[1] != (u32)want_get) FAIL("regex", "/^GET \\// matched %u lines, %d start with it", counts[1], want_get);
        for (int p = 0; p < NPAT; p++) sum = mix32(sum, counts[p]);
    }
    if (n == DEF_N && rounds == DEF_ROUNDS && sum != EXPECT)
        FAIL("regex", "checksum %08x, expected %08x", sum, EXPECT);
    printf("regex: %d lines x%d, checksum %08x\n", n, rounds, sum);
    return 0;
}
