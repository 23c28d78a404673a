/* filegrow DIR: grows DIR/grown.bin with one pwrite at a huge offset, then with writes, until
 * the file size limit refuses; the file is removed before exiting. */
#include "rt.h"

int main(int argc, char **argv)
{
    static char path[512], block[65536];
    if (argc < 2) { puts("usage: filegrow DIR"); return 2; }
    snprintf(path, sizeof path, "%s/grown.bin", argv[1]);
    int fd = sys_open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) { printf("open: %d\n", fd); return 1; }
    printf("pwrite at 1 TiB = %d\n", (int)sys_pwrite64(fd, "x", 1, 1ll << 40));
    u32 total = 0;
    ssize_t n = 0;
    for (int i = 0; i < 1 << 16; i++) {
        n = sys_write(fd, block, sizeof block);
        if (n <= 0) break;
        total += (u32)n;
    }
    printf("write refused with %d\n", (int)n);
    sys_close(fd);
    sys_unlinkat(AT_FDCWD, path, 0);
    return 0;
}
