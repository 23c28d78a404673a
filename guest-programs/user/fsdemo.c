/* fsdemo: exercises the file-system and process syscalls inside the directory argv[1].
 * Everything it creates is removed again; output does not contain the directory path. */
#include "rt.h"

static int failures;

static void check(const char *what, long got, long want)
{
    printf("%s = %d%s\n", what, (int)got, got == want ? "" : "  <-- UNEXPECTED");
    if (got != want) failures++;
}

static const char *ftype(u32 mode)
{
    switch (mode & S_IFMT) {
    case S_IFREG: return "regular file";
    case S_IFDIR: return "directory";
    case S_IFLNK: return "symlink";
    default: return "other";
    }
}

extern char _end[];

int main(int argc, char **argv)
{
    if (argc != 2) { puts("usage: fsdemo DIR"); return 2; }
    int dfd = sys_openat(AT_FDCWD, argv[1], O_RDONLY | O_DIRECTORY, 0);
    printf("open dir: %s\n", dfd >= 0 ? "ok" : "FAILED");
    if (dfd < 0) return 1;

    /* mkdirat, writev */
    check("mkdirat fsdemo.d", sys_mkdirat(dfd, "fsdemo.d", 0755), 0);
    check("mkdirat fsdemo.d again", sys_mkdirat(dfd, "fsdemo.d", 0755), -17);
    int fd = sys_openat(dfd, "fsdemo.d/data.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
    printf("openat data.txt: %s\n", fd >= 0 ? "ok" : "FAILED");
    if (fd < 0) return 1;
    struct iovec wv[3] = { { "hello, ", 7 }, { "vectored ", 9 }, { "world\n", 6 } };
    check("writev", sys_writev(fd, wv, 3), 22);

    /* llseek + readv */
    s64 pos = -1;
    check("llseek SEEK_SET 0", sys_llseek(fd, 0, &pos, SEEK_SET), 0);
    printf("  position = %d\n", (int)pos);
    char r1[6] = { 0 }, r2[40] = { 0 };
    struct iovec rv[2] = { { r1, 5 }, { r2, sizeof r2 - 1 } };
    check("readv", sys_readv(fd, rv, 2), 22);
    r2[16] = 0;  /* drop the newline */
    printf("  iov0 = \"%s\" iov1 = \"%s\"\n", r1, r2);
    check("llseek SEEK_END -6", sys_llseek(fd, -6, &pos, SEEK_END), 0);
    printf("  position = %d\n", (int)pos);
    char tail[8] = { 0 };
    check("read tail", sys_read(fd, tail, 7), 6);
    tail[5] = 0;
    printf("  tail = \"%s\"\n", tail);
    check("llseek SEEK_CUR -22", sys_llseek(fd, -22, &pos, SEEK_CUR), 0);
    printf("  position = %d\n", (int)pos);
    check("llseek to negative", sys_llseek(fd, -100, &pos, SEEK_SET), -22);

    /* pread64 / pwrite64 (64-bit offsets in register pairs) */
    char pr[9] = { 0 };
    check("pread64 off 7", sys_pread64(fd, pr, 8, 7), 8);
    printf("  data = \"%s\"\n", pr);
    check("pwrite64 off 0", sys_pwrite64(fd, "HELLO", 5, 0), 5);
    memset(pr, 0, sizeof pr);
    check("pread64 off 0", sys_pread64(fd, pr, 5, 0), 5);
    printf("  data = \"%s\"\n", pr);
    check("pread64 past EOF", sys_pread64(fd, pr, 5, 1000), 0);
    check("pread64 off 4294967296", sys_pread64(fd, pr, 5, 0x100000000ll), 0);
    check("close", sys_close(fd), 0);
    check("close again", sys_close(fd), -9);

    /* faccessat, statx */
    check("faccessat data.txt R_OK|W_OK", sys_faccessat(dfd, "fsdemo.d/data.txt", R_OK | W_OK), 0);
    check("faccessat missing", sys_faccessat(dfd, "fsdemo.d/missing", F_OK), -2);
    struct statx st;
    memset(&st, 0, sizeof st);
    check("statx data.txt", sys_statx(dfd, "fsdemo.d/data.txt", 0, STATX_BASIC_STATS, &st), 0);
    printf("  size = %u, type = %s, mask has TYPE|SIZE: %s\n", (u32)st.stx_size, ftype(st.stx_mode),
           (st.stx_mask & (STATX_TYPE | STATX_SIZE)) == (STATX_TYPE | STATX_SIZE) ? "yes" : "no");
    memset(&st, 0, sizeof st);
    check("statx fsdemo.d", sys_statx(dfd, "fsdemo.d", 0, STATX_BASIC_STATS, &st), 0);
    printf("  type = %s\n", ftype(st.stx_mode));
    check("statx missing", sys_statx(dfd, "fsdemo.d/missing", 0, STATX_BASIC_STATS, &st), -2);

    /* renameat2 */
    check("renameat2 data -> renamed", sys_renameat2(dfd, "fsdemo.d/data.txt", dfd, "fsdemo.d/renamed.txt", 0), 0);
    check("faccessat old name", sys_faccessat(dfd, "fsdemo.d/data.txt", F_OK), -2);
    check("faccessat new name", sys_faccessat(dfd, "fsdemo.d/renamed.txt", F_OK), 0);
    fd = sys_openat(dfd, "fsdemo.d/other.txt", O_WRONLY | O_CREAT | O_EXCL, 0600);
    printf("create other.txt: %s\n", fd >= 0 ? "ok" : "FAILED");
    sys_close(fd);
    check("create other.txt O_EXCL again", sys_openat(dfd, "fsdemo.d/other.txt", O_WRONLY | O_CREAT | O_EXCL, 0600), -17);
    check("renameat2 NOREPLACE onto existing",
          sys_renameat2(dfd, "fsdemo.d/renamed.txt", dfd, "fsdemo.d/other.txt", RENAME_NOREPLACE), -17);

    /* unlinkat */
    check("unlinkat dir (not empty)", sys_unlinkat(dfd, "fsdemo.d", AT_REMOVEDIR), -39);
    check("unlinkat renamed.txt", sys_unlinkat(dfd, "fsdemo.d/renamed.txt", 0), 0);
    check("unlinkat other.txt", sys_unlinkat(dfd, "fsdemo.d/other.txt", 0), 0);
    check("unlinkat renamed.txt again", sys_unlinkat(dfd, "fsdemo.d/renamed.txt", 0), -2);
    check("unlinkat fsdemo.d", sys_unlinkat(dfd, "fsdemo.d", AT_REMOVEDIR), 0);
    check("close dir", sys_close(dfd), 0);

    /* getcwd, clock_gettime64, uname, getpid, set_tid_address */
    char cwd[512];
    int r = sys_getcwd(cwd, sizeof cwd);
    printf("getcwd: %s\n", r > 0 && cwd[0] == '/' && (int)strlen(cwd) + 1 == r ? "ok" : "FAILED");
    struct kernel_timespec ts = { 0, 0 };
    r = sys_clock_gettime(CLOCK_REALTIME, &ts);
    printf("clock_gettime64 REALTIME: %s\n", r == 0 && ts.tv_sec > 1000000000 && ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000 ? "ok, nonzero" : "FAILED");
    struct kernel_timespec t2 = { 0, 0 };
    r = sys_clock_gettime(CLOCK_MONOTONIC, &ts);
    int rm = sys_clock_gettime(CLOCK_MONOTONIC, &t2);
    int mono_ok = r == 0 && rm == 0 && (t2.tv_sec > ts.tv_sec || (t2.tv_sec == ts.tv_sec && t2.tv_nsec >= ts.tv_nsec));
    printf("clock_gettime64 MONOTONIC: %s\n", mono_ok ? "ok, non-decreasing" : "FAILED");
    struct utsname u;
    memset(&u, 0, sizeof u);
    check("uname", sys_uname(&u), 0);
    printf("  sysname = %s, machine = %s\n", u.sysname, u.machine);
    int pid = sys_getpid();
    printf("getpid: %s\n", pid > 0 ? "positive" : "FAILED");
    int tid_slot = 0;
    r = sys_set_tid_address(&tid_slot);
    printf("set_tid_address: %s\n", r > 0 ? "positive" : "FAILED");

    /* brk */
    u32 cur = (u32)sys_brk(0);
    printf("brk(0): %s\n", cur >= (u32)_end && cur - (u32)_end < 0x100000 ? "near end of bss" : "FAILED");
    u32 want = cur + 0x10000;
    u32 got = (u32)sys_brk((void *)want);
    printf("brk grow 64 KiB: %s\n", got == want ? "ok" : "FAILED");
    if (got == want) {
        volatile u32 *p = (u32 *)cur;
        u32 sum = 0;
        for (u32 i = 0; i < 0x10000 / 4; i += 256) p[i] = i * 3;
        for (u32 i = 0; i < 0x10000 / 4; i += 256) sum += p[i];
        printf("  heap write/read sum = %u\n", sum);
        got = (u32)sys_brk((void *)cur);
        printf("brk shrink: %s\n", got == cur ? "ok" : "FAILED");
    }

    /* mmap / mprotect / munmap */
    u8 *m = sys_mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("mmap 3 pages RW: %s\n", !IS_ERR_PTR(m) && ((u32)m & 4095) == 0 ? "ok" : "FAILED");
    if (!IS_ERR_PTR(m)) {
        u32 zero = 1;
        for (int i = 0; i < 3 * 4096; i += 512) zero &= m[i] == 0;
        printf("  initially zero: %s\n", zero ? "yes" : "no");
        for (int i = 0; i < 3 * 4096; i++) m[i] = (u8)(i * 7);
        u32 sum = 0;
        for (int i = 0; i < 3 * 4096; i++) sum += m[i];
        printf("  write/read sum = %u\n", sum);
        check("mprotect page 1 read-only", sys_mprotect(m + 4096, 4096, PROT_READ), 0);
        printf("  read-only page still readable: %u\n", m[4096 + 1]);
        check("mprotect unaligned", sys_mprotect(m + 1, 4096, PROT_READ), -22);
        check("munmap", sys_munmap(m, 3 * 4096), 0);
    }
    u8 *n = sys_mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("mmap PROT_NONE: %s\n", !IS_ERR_PTR(n) ? "ok" : "FAILED");
    if (!IS_ERR_PTR(n)) {
        check("mprotect to RW", sys_mprotect(n, 4096, PROT_READ | PROT_WRITE), 0);
        n[100] = 42;
        printf("  wrote %u\n", n[100]);
        check("munmap", sys_munmap(n, 4096), 0);
    }
    check("mmap length 0", (long)sys_mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), -22);

    printf("fsdemo: %d unexpected results\n", failures);
    sys_exit_group(failures ? 1 : 0);
}
