/* escape: sandbox escape attempts. argv[1] = sandbox directory containing
 * inside.txt ("inside\n"), link-out -> /etc/passwd, and sub/.
 * Prints the legitimate part, then "--- escapes ---", then one line per attempt:
 * "NAME: ok" or "NAME: denied (-ERRNO)". Never damages the host: anything it
 * manages to create or move outside is removed or moved back at once. */
#include "rt.h"

static char path[1024], path2[1024];
static char buf[512];

static void report(const char *name, int r)
{
    if (r >= 0) printf("%s: ok\n", name);
    else printf("%s: denied (%d)\n", name, r);
}

/* open a path for reading, read a little, close; returns fd/read error or 0 */
static int try_read(int dirfd, const char *p, int flags)
{
    int fd = sys_openat(dirfd, p, flags, 0);
    if (fd < 0) return fd;
    int n = sys_read(fd, buf, sizeof buf);
    sys_close(fd);
    return n < 0 ? n : 0;
}

static int try_list(const char *p)
{
    int fd = sys_openat(AT_FDCWD, p, O_RDONLY | O_DIRECTORY, 0);
    if (fd < 0) return fd;
    int n = sys_getdents64(fd, buf, sizeof buf);
    sys_close(fd);
    return n < 0 ? n : 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) { puts("usage: escape SANDBOX"); return 2; }
    const char *sb = argv[1];
    int pid = sys_getpid();

    /* the legitimate part */
    snprintf(path, sizeof path, "%s/inside.txt", sb);
    int fd = sys_open(path, O_RDONLY, 0);
    if (fd < 0) { printf("inside.txt: open error %d\n", fd); return 1; }
    int n = sys_read(fd, buf, sizeof buf - 1);
    sys_close(fd);
    if (n < 0) { printf("inside.txt: read error %d\n", n); return 1; }
    buf[n] = 0;
    printf("inside.txt (%d bytes): %s", n, buf);
    puts("--- escapes ---");

    report("absolute /etc/passwd", try_read(AT_FDCWD, "/etc/passwd", O_RDONLY));

    snprintf(path, sizeof path, "%s/../../../etc/passwd", sb);
    report("dotdot ../../../etc/passwd", try_read(AT_FDCWD, path, O_RDONLY));

    snprintf(path, sizeof path, "%s/../../../../../../../../../../../../etc/passwd", sb);
    report("dotdot x12 etc/passwd", try_read(AT_FDCWD, path, O_RDONLY));

    snprintf(path, sizeof path, "%s/sub/../../..", sb);
    report("list sub/../../..", try_list(path));

    snprintf(path, sizeof path, "%s/link-out", sb);
    report("symlink link-out", try_read(AT_FDCWD, path, O_RDONLY));

    int dfd = sys_openat(AT_FDCWD, sb, O_PATH | O_DIRECTORY, 0);
    if (dfd < 0) {
        report("O_PATH dirfd of sandbox", dfd);
    } else {
        report("dirfd + ../../../etc/passwd", try_read(dfd, "../../../etc/passwd", O_RDONLY));
        report("dirfd + link-out", try_read(dfd, "link-out", O_RDONLY));
        int up = sys_openat(dfd, "..", O_RDONLY | O_DIRECTORY, 0);
        report("dirfd + .. directory", up);
        if (up >= 0) {
            int g = sys_getdents64(up, buf, sizeof buf);
            report("getdents64 of dirfd + ..", g);
            sys_close(up);
        }
        sys_close(dfd);
    }

    snprintf(path, sizeof path, "/tmp/rvjit-escape-dir-%d", pid);
    int r = sys_mkdirat(AT_FDCWD, path, 0700);
    report("mkdirat /tmp/rvjit-escape-dir-PID", r);
    if (r == 0) sys_unlinkat(AT_FDCWD, path, AT_REMOVEDIR);

    snprintf(path, sizeof path, "%s/../rvjit-escape-dir-%d", sb, pid);
    r = sys_mkdirat(AT_FDCWD, path, 0700);
    report("mkdirat SANDBOX/../rvjit-escape-dir-PID", r);
    if (r == 0) sys_unlinkat(AT_FDCWD, path, AT_REMOVEDIR);

    snprintf(path, sizeof path, "/tmp/rvjit-escape-nonexistent-%d", pid);
    report("unlinkat /tmp/rvjit-escape-nonexistent-PID", sys_unlinkat(AT_FDCWD, path, 0));

    snprintf(path, sizeof path, "%s/inside.txt", sb);
    snprintf(path2, sizeof path2, "%s/../rvjit-escape-moved-%d", sb, pid);
    r = sys_renameat2(AT_FDCWD, path, AT_FDCWD, path2, RENAME_NOREPLACE);
    report("renameat2 inside.txt -> SANDBOX/../", r);
    if (r == 0) sys_renameat2(AT_FDCWD, path2, AT_FDCWD, path, RENAME_NOREPLACE);

    snprintf(path2, sizeof path2, "/tmp/rvjit-escape-moved-%d", pid);
    r = sys_renameat2(AT_FDCWD, path, AT_FDCWD, path2, RENAME_NOREPLACE);
    report("renameat2 inside.txt -> /tmp", r);
    if (r == 0) sys_renameat2(AT_FDCWD, path2, AT_FDCWD, path, RENAME_NOREPLACE);

    return 0;
}
