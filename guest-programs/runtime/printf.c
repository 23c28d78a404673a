/* Small printf-style formatter: %d %i %u %x %X %s %c %p %f %e %%, flags '-' '0', width,
 * a precision for %f and %e (default 6), 'l'/'ll'. */
#include "rt.h"

struct out {
    char *buf;      /* destination buffer */
    size_t cap;     /* capacity of buf */
    size_t len;     /* bytes currently in buf */
    size_t total;   /* total bytes produced */
    int fd;         /* flush target, or -1 for snprintf */
};

static void out_flush(struct out *o)
{
    if (o->fd >= 0 && o->len) {
        write_all(o->fd, o->buf, o->len);
        o->len = 0;
    }
}

static void out_char(struct out *o, char c)
{
    o->total++;
    if (o->fd >= 0) {
        if (o->len == o->cap) out_flush(o);
        o->buf[o->len++] = c;
    } else if (o->len + 1 < o->cap) {
        o->buf[o->len++] = c;
    }
}

static void out_pad(struct out *o, char c, int n)
{
    while (n-- > 0) out_char(o, c);
}

/* %f and %e, exactly: the double's decimal expansion comes from its bits with integer
 * arithmetic (m * 2^e as an integer, or m * 5^-e with the point moved -e places), then it is
 * rounded to the precision with ties to even, as glibc rounds in the default rounding mode.
 * No FPU instruction and no soft-float helper: it works the same in every build. */
#define BIG_LIMBS 84            /* 2^53 * 5^1074 < 2^2550 */
#define MAX_DIGITS 780          /* that many decimal digits at most */
#define MAX_PRECISION 40

struct big { u32 w[BIG_LIMBS]; int n; };

static void big_mul(struct big *b, u32 k)
{
    u64 carry = 0;
    for (int i = 0; i < b->n; i++) {
        u64 t = (u64)b->w[i] * k + carry;
        b->w[i] = (u32)t;
        carry = t >> 32;
    }
    if (carry && b->n < BIG_LIMBS) b->w[b->n++] = (u32)carry;
}

/* b /= 10^9 (long division by shifts: no 64-bit divide helper); returns the remainder */
static u32 big_div_1e9(struct big *b)
{
    u64 r = 0;
    for (int i = b->n - 1; i >= 0; i--) {
        u64 t = r << 32 | b->w[i];
        u32 q = 0;
        for (int k = 31; k >= 0; k--) {
            u64 d = (u64)1000000000 << k;
            if (t >= d) { t -= d; q |= 1u << k; }
        }
        b->w[i] = q;
        r = t;
    }
    while (b->n > 0 && b->w[b->n - 1] == 0) b->n--;
    return (u32)r;
}

/* The exact decimal digits of a finite nonzero |x| (most significant first) and the power of
 * ten of the first one. */
static int decimal_digits(u64 bits, char *digits, int *exp10)
{
    u64 m = bits & (((u64)1 << 52) - 1);
    int be = (int)((bits >> 52) & 0x7ff);
    int e = be == 0 ? -1074 : be - 1075;
    if (be) m |= (u64)1 << 52;
    struct big b = { { (u32)m, (u32)(m >> 32) }, m >> 32 ? 2 : 1 };
    for (int k = e; k > 0; k -= 16) big_mul(&b, 1u << (k > 16 ? 16 : k));
    for (int k = -e; k > 0; k -= 13) {
        u32 p = 1;
        for (int j = 0; j < (k > 13 ? 13 : k); j++) p *= 5;
        big_mul(&b, p);
    }
    char rev[MAX_DIGITS + 9];
    int n = 0;
    while (b.n > 0) {
        u32 r = big_div_1e9(&b);
        for (int k = 0; k < 9; k++) { rev[n++] = (char)('0' + r % 10); r /= 10; }
    }
    while (n > 1 && rev[n - 1] == '0') n--;
    for (int i = 0; i < n; i++) digits[i] = rev[n - 1 - i];
    *exp10 = n - 1 + (e < 0 ? e : 0);
    return n;
}

/* Keeps `keep` digits of d[0..n) (keep may be 0: everything rounds), rounding half to even;
 * returns 1 when the rounding carried out of the first digit (d then holds 1 followed by zeros). */
static int round_digits(char *d, int n, int keep)
{
    if (keep >= n) { for (int i = n; i < keep; i++) d[i] = '0'; return 0; }
    int up;
    if (d[keep] > '5') up = 1;
    else if (d[keep] < '5') up = 0;
    else {
        up = 0;
        for (int i = keep + 1; i < n; i++) if (d[i] != '0') up = 1;
        if (!up) up = keep > 0 && (d[keep - 1] - '0') % 2 == 1;
    }
    if (!up) return 0;
    for (int i = keep - 1; i >= 0; i--) {
        if (d[i] != '9') { d[i]++; return 0; }
        d[i] = '0';
    }
    d[0] = '1';     /* 99.9 -> 100: one more digit in front (keep + 1 digits) */
    for (int i = 1; i <= keep; i++) d[i] = '0';
    return 1;
}

/* Formats x as %.<prec>f or %.<prec>e into out; returns the length. */
static int format_double(char *out, u64 bits, int prec, char conv)
{
    int len = 0;
    if (bits >> 63) out[len++] = '-';
    if (((bits >> 52) & 0x7ff) == 0x7ff) {
        const char *t = bits & (((u64)1 << 52) - 1) ? "nan" : "inf";
        for (int i = 0; i < 3; i++) out[len++] = t[i];
        return len;
    }
    if (prec > MAX_PRECISION) prec = MAX_PRECISION;
    char d[MAX_DIGITS + MAX_PRECISION + 2];
    int n = 1, exp10 = 0;
    if ((bits << 1) == 0) d[0] = '0';
    else n = decimal_digits(bits, d, &exp10);
    if (conv == 'e') {
        if (round_digits(d, n, prec + 1)) exp10++;
        out[len++] = d[0];
        if (prec) out[len++] = '.';
        for (int i = 1; i <= prec; i++) out[len++] = d[i];
        out[len++] = 'e';
        out[len++] = exp10 < 0 ? '-' : '+';
        int a = exp10 < 0 ? -exp10 : exp10;
        if (a >= 100) out[len++] = (char)('0' + a / 100);
        out[len++] = (char)('0' + a / 10 % 10);
        out[len++] = (char)('0' + a % 10);
        return len;
    }
    /* %f: the digits down to weight 10^-prec; the first digit has weight 10^exp10. */
    int keep = exp10 + 1 + prec;
    int zero = (bits << 1) == 0 || keep < 0;     /* below a tenth of the last place: 0 */
    if (!zero && round_digits(d, n, keep)) { exp10++; keep++; }
    else if (!zero && keep == 0) zero = 1;          /* rounded down to nothing */
    int intDigits = zero ? 0 : exp10 + 1;
    if (intDigits <= 0) out[len++] = '0';
    for (int i = 0; i < intDigits; i++) out[len++] = d[i];
    if (prec) out[len++] = '.';
    for (int i = 1; i <= prec; i++) {
        int j = exp10 + i;  /* the digit of weight 10^-i */
        out[len++] = !zero && j >= 0 && j < keep ? d[j] : '0';
    }
    return len;
}

static void format(struct out *o, const char *fmt, va_list ap)
{
    char tmp[24];
    char ftmp[MAX_DIGITS + MAX_PRECISION + 8];
    for (; *fmt; fmt++) {
        if (*fmt != '%') { out_char(o, *fmt); continue; }
        fmt++;
        int left = 0, zero = 0, width = 0, lng = 0;
        for (;; fmt++) {
            if (*fmt == '-') left = 1;
            else if (*fmt == '0') zero = 1;
            else break;
        }
        while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
        int prec = 6;
        if (*fmt == '.') {
            prec = 0;
            for (fmt++; *fmt >= '0' && *fmt <= '9'; fmt++) prec = prec * 10 + (*fmt - '0');
        }
        while (*fmt == 'l') { lng++; fmt++; }
        const char *s = tmp;
        int n = 0, neg = 0;
        u64 v;
        switch (*fmt) {
        case 'c':
            tmp[0] = (char)va_arg(ap, int);
            n = 1;
            break;
        case 's':
            s = va_arg(ap, const char *);
            if (!s) s = "(null)";
            n = (int)strlen(s);
            break;
        case 'd': case 'i': {
            s64 x = lng >= 2 ? va_arg(ap, s64) : (s64)va_arg(ap, int);
            if (x < 0) { neg = 1; v = (u64)(-x); } else v = (u64)x;
            goto decimal;
        }
        case 'u':
            v = lng >= 2 ? va_arg(ap, u64) : (u64)va_arg(ap, unsigned);
        decimal: {
            char *p = tmp + sizeof tmp;
            if (v >> 32) {
                do { *--p = (char)('0' + (int)(v % 10)); v /= 10; } while (v);
            } else {
                u32 w = (u32)v;
                do { *--p = (char)('0' + w % 10); w /= 10; } while (w);
            }
            if (neg) *--p = '-';
            s = p;
            n = (int)(tmp + sizeof tmp - p);
            break;
        }
        case 'p':
            out_char(o, '0'); out_char(o, 'x');
            zero = 1; width = 8; lng = 0;
            /* fall through */
        case 'x': case 'X': {
            const char *digits = *fmt == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
            v = lng >= 2 ? va_arg(ap, u64) : (u64)va_arg(ap, unsigned);
            char *p = tmp + sizeof tmp;
            do { *--p = digits[v & 15]; v >>= 4; } while (v);
            s = p;
            n = (int)(tmp + sizeof tmp - p);
            break;
        }
        case 'f': case 'e': {
            union { double d; u64 u; } x;
            x.d = va_arg(ap, double);
            n = format_double(ftmp, x.u, prec, *fmt);
            s = ftmp;
            break;
        }
        case '%':
            tmp[0] = '%';
            n = 1;
            break;
        case 0:
            return;
        default:
            tmp[0] = '%'; tmp[1] = *fmt;
            n = 2;
            break;
        }
        int pad = width - n;
        if (!left) {
            if (zero && *fmt != 's' && *fmt != 'c' && !((*fmt == 'f' || *fmt == 'e') && (s[n - 1] == 'f' || s[n - 1] == 'n'))) {
                if (s[0] == '-') { out_char(o, '-'); s++; n--; }
                out_pad(o, '0', pad);
            } else {
                out_pad(o, ' ', pad);
            }
        }
        for (int i = 0; i < n; i++) out_char(o, s[i]);
        if (left) out_pad(o, ' ', pad);
    }
}

int vdprintf(int fd, const char *fmt, va_list ap)
{
    char buf[256];
    struct out o = { buf, sizeof buf, 0, 0, fd };
    format(&o, fmt, ap);
    out_flush(&o);
    return (int)o.total;
}

int dprintf(int fd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vdprintf(fd, fmt, ap);
    va_end(ap);
    return r;
}

int printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vdprintf(1, fmt, ap);
    va_end(ap);
    return r;
}

int snprintf(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    struct out o = { buf, n, 0, 0, -1 };
    format(&o, fmt, ap);
    if (n) buf[o.len] = 0;
    va_end(ap);
    return (int)o.total;
}
