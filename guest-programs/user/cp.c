/* cp: copy argv[1] to argv[2] with pread64/pwrite64, then verify the copy with read. */
#include "rt.h"

static char buf[1024];
static char a[1024], b[1024];

int main(int argc, char **argv)
{
    if (argc != 3) {
        puts("usage: cp SRC DST");
        return 2;
    }
    int in = sys_open(argv[1], O_RDONLY, 0);
    if (in < 0) { printf("cp: open source: error %d\n", in); return 1; }
    int out = sys_open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0) { printf("cp: open destination: error %d\n", out); return 1; }
    s64 off = 0;
    for (;;) {
        ssize_t n = sys_pread64(in, buf, sizeof buf, off);
        if (n < 0) { printf("cp: pread64: error %d\n", n); return 1; }
        if (n == 0) break;
        ssize_t done = 0;
        while (done < n) {
            ssize_t w = sys_pwrite64(out, buf + done, (size_t)(n - done), off + done);
            if (w <= 0) { printf("cp: pwrite64: error %d\n", w); return 1; }
            done += w;
        }
        off += n;
    }
    sys_close(in);
    sys_close(out);
    printf("copied %u bytes\n", (u32)off);

    /* verify: both files read back identically */
    in = sys_open(argv[1], O_RDONLY, 0);
    out = sys_open(argv[2], O_RDONLY, 0);
    if (in < 0 || out < 0) { puts("verify: open failed"); return 1; }
    u32 total = 0;
    for (;;) {
        ssize_t x = sys_read(in, a, sizeof a);
        ssize_t y = sys_read(out, b, sizeof b);
        if (x != y || (x > 0 && memcmp(a, b, (size_t)x) != 0)) { puts("verify: MISMATCH"); return 1; }
        if (x <= 0) break;
        total += (u32)x;
    }
    sys_close(in);
    sys_close(out);
    printf("verify: %u bytes identical\n", total);
    return 0;
}
