/* cat: concatenate files named in argv (or stdin if none) to stdout. */
#include "rt.h"

static char buf[4096];

static int copy_fd(int fd, const char *name)
{
    for (;;) {
        ssize_t n = sys_read(fd, buf, sizeof buf);
        if (n == 0) return 0;
        if (n < 0) {
            dprintf(2, "cat: %s: read error %d\n", name, n);
            return 1;
        }
        if (write_all(1, buf, (size_t)n) < 0) return 1;
    }
}

int main(int argc, char **argv)
{
    int rc = 0;
    if (argc < 2) return copy_fd(0, "-");
    for (int i = 1; i < argc; i++) {
        int fd = sys_open(argv[i], O_RDONLY, 0);
        if (fd < 0) {
            printf("cat: cannot open argument %d: error %d\n", i, fd);
            rc = 1;
            continue;
        }
        rc |= copy_fd(fd, argv[i]);
        sys_close(fd);
    }
    return rc;
}
