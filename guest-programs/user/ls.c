/* ls: list a directory with getdents64, sorted by name, with type and (statx) size.
 * Sizes are printed for regular files and symlinks only (directory sizes depend on the filesystem). */
#include "rt.h"

#define MAXENT 256
static char dbuf[4096];
static char names[MAXENT][64];
static u8 types[MAXENT];
static int order[MAXENT];

static const char *type_name(int t)
{
    switch (t) {
    case DT_REG: return "file";
    case DT_DIR: return "dir ";
    case DT_LNK: return "link";
    default: return "????";
    }
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : ".";
    int fd = sys_open(dir, O_RDONLY | O_DIRECTORY, 0);
    if (fd < 0) { printf("ls: open: error %d\n", fd); return 1; }
    int count = 0;
    for (;;) {
        int n = sys_getdents64(fd, dbuf, sizeof dbuf);
        if (n < 0) { printf("ls: getdents64: error %d\n", n); return 1; }
        if (n == 0) break;
        for (int pos = 0; pos < n;) {
            struct dirent64 *d = (struct dirent64 *)(dbuf + pos);
            if (count < MAXENT && strlen(d->d_name) < sizeof names[0]) {
                strcpy(names[count], d->d_name);
                types[count] = d->d_type;
                count++;
            }
            pos += d->d_reclen;
        }
    }
    /* insertion sort by name */
    for (int i = 0; i < count; i++) {
        int j = i;
        while (j > 0 && strcmp(names[order[j - 1]], names[i]) > 0) { order[j] = order[j - 1]; j--; }
        order[j] = i;
    }
    printf("%d entries\n", count);
    for (int k = 0; k < count; k++) {
        int i = order[k];
        struct statx st;
        int r = sys_statx(fd, names[i], AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &st);
        int t = types[i];
        if (r < 0) {
            printf("%s %s statx error %d\n", type_name(t), names[i], r);
            continue;
        }
        u32 fmt = st.stx_mode & S_IFMT;
        int st_type = fmt == S_IFREG ? DT_REG : fmt == S_IFDIR ? DT_DIR : fmt == S_IFLNK ? DT_LNK : DT_UNKNOWN;
        if (t == DT_UNKNOWN) t = st_type;
        if (t != st_type) printf("ls: %s: d_type %d disagrees with statx mode %x\n", names[i], t, st.stx_mode);
        if (t == DT_REG || t == DT_LNK)
            printf("%s %8u %s\n", type_name(t), (u32)st.stx_size, names[i]);
        else
            printf("%s %8s %s\n", type_name(t), "-", names[i]);
    }
    sys_close(fd);
    return 0;
}
