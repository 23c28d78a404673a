/* Small printf-style formatter: %d %i %u %x %X %s %c %p %%, flags '-' '0', width, 'l'/'ll'. */
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

static void format(struct out *o, const char *fmt, va_list ap)
{
    char tmp[24];
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
            if (zero && (*fmt != 's' && *fmt != 'c')) {
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
