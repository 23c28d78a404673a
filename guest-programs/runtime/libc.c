/* Tiny libc helpers for rvjit guests. */
#include "rt.h"

size_t strlen(const char *s)
{
    const char *p = s;
    while (*p) p++;
    return (size_t)(p - s);
}

void *memcpy(void *d, const void *s, size_t n)
{
    u8 *dp = d;
    const u8 *sp = s;
    if ((((u32)dp | (u32)sp) & 3) == 0) {
        while (n >= 4) {
            *(u32 *)dp = *(const u32 *)sp;
            dp += 4; sp += 4; n -= 4;
        }
    }
    while (n--) *dp++ = *sp++;
    return d;
}

void *memmove(void *d, const void *s, size_t n)
{
    u8 *dp = d;
    const u8 *sp = s;
    if (dp <= sp || dp >= sp + n) return memcpy(d, s, n);
    while (n--) dp[n] = sp[n];
    return d;
}

void *memset(void *d, int c, size_t n)
{
    u8 *dp = d;
    while (n--) *dp++ = (u8)c;
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const u8 *x = a, *y = b;
    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
    return 0;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b) { a++; b++; }
    return (int)(u8)*a - (int)(u8)*b;
}

char *strcpy(char *d, const char *s)
{
    char *r = d;
    while ((*d++ = *s++)) { }
    return r;
}

int atoi(const char *s)
{
    int neg = 0, v = 0;
    while (*s == ' ' || *s == '\t') s++;
    if (*s == '-') { neg = 1; s++; } else if (*s == '+') s++;
    while (*s >= '0' && *s <= '9') v = v * 10 + (*s++ - '0');
    return neg ? -v : v;
}

int write_all(int fd, const void *buf, size_t n)
{
    const u8 *p = buf;
    size_t done = 0;
    while (done < n) {
        ssize_t r = sys_write(fd, p + done, n - done);
        if (r <= 0) return r < 0 ? r : -1;
        done += (size_t)r;
    }
    return (int)done;
}

int fputs_fd(int fd, const char *s) { return write_all(fd, s, strlen(s)); }

int puts(const char *s)
{
    int r = fputs_fd(1, s);
    if (r < 0) return r;
    return write_all(1, "\n", 1);
}
