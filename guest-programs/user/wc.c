/* wc: lines, words, bytes per file (like wc; names printed without their directory). */
#include "rt.h"

static char buf[4096];

static const char *base(const char *p)
{
    const char *b = p;
    for (; *p; p++)
        if (*p == '/' && p[1]) b = p + 1;
    return b;
}

static int count(int fd, u32 *lines, u32 *words, u32 *bytes)
{
    int inword = 0;
    *lines = *words = *bytes = 0;
    for (;;) {
        ssize_t n = sys_read(fd, buf, sizeof buf);
        if (n == 0) return 0;
        if (n < 0) return n;
        *bytes += (u32)n;
        for (int i = 0; i < n; i++) {
            char c = buf[i];
            if (c == '\n') (*lines)++;
            if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f') {
                inword = 0;
            } else if (!inword) {
                inword = 1;
                (*words)++;
            }
        }
    }
}

int main(int argc, char **argv)
{
    u32 l, w, b, tl = 0, tw = 0, tb = 0;
    int rc = 0, files = 0;
    if (argc < 2) {
        if (count(0, &l, &w, &b) < 0) return 1;
        printf("%7u %7u %7u\n", l, w, b);
        return 0;
    }
    for (int i = 1; i < argc; i++) {
        int fd = sys_open(argv[i], O_RDONLY, 0);
        if (fd < 0) {
            printf("wc: %s: error %d\n", base(argv[i]), fd);
            rc = 1;
            continue;
        }
        int r = count(fd, &l, &w, &b);
        sys_close(fd);
        if (r < 0) {
            printf("wc: %s: read error %d\n", base(argv[i]), r);
            rc = 1;
            continue;
        }
        printf("%7u %7u %7u %s\n", l, w, b, base(argv[i]));
        tl += l; tw += w; tb += b;
        files++;
    }
    if (files > 1) printf("%7u %7u %7u total\n", tl, tw, tb);
    return rc;
}
