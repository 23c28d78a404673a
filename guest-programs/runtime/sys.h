/* Linux riscv32 system call numbers (asm-generic table, time64-only ABI).
 * Each number was checked against qemu-riscv32 (see README.md). */
#ifndef RVJIT_SYS_H
#define RVJIT_SYS_H

#define SYS_getcwd           17
#define SYS_mkdirat          34
#define SYS_unlinkat         35
#define SYS_faccessat        48
#define SYS_openat           56
#define SYS_close            57
#define SYS_getdents64       61
#define SYS_llseek           62   /* "lseek" slot; on 32-bit it is _llseek */
#define SYS_read             63
#define SYS_write            64
#define SYS_readv            65
#define SYS_writev           66
#define SYS_pread64          67
#define SYS_pwrite64         68
#define SYS_exit             93
#define SYS_exit_group       94
#define SYS_set_tid_address  96
#define SYS_uname           160
#define SYS_getpid          172
#define SYS_brk             214
#define SYS_munmap          215
#define SYS_mmap            222   /* mmap2 semantics: offset in 4096-byte units */
#define SYS_mprotect        226
#define SYS_renameat2       276
#define SYS_statx           291
#define SYS_clock_gettime64 403

/* constants (asm-generic values) */
#define AT_FDCWD            (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_REMOVEDIR        0x200
#define AT_EMPTY_PATH       0x1000

#define O_RDONLY    0
#define O_WRONLY    1
#define O_RDWR      2
#define O_CREAT     0100
#define O_EXCL      0200
#define O_TRUNC     01000
#define O_APPEND    02000
#define O_DIRECTORY 0200000
#define O_NOFOLLOW  0400000
#define O_PATH      010000000

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

#define F_OK 0
#define X_OK 1
#define W_OK 2
#define R_OK 4

#define PROT_NONE  0
#define PROT_READ  1
#define PROT_WRITE 2
#define PROT_EXEC  4
#define MAP_SHARED    0x01
#define MAP_PRIVATE   0x02
#define MAP_FIXED     0x10
#define MAP_ANONYMOUS 0x20

#define CLOCK_REALTIME  0
#define CLOCK_MONOTONIC 1

#define STATX_TYPE  0x001
#define STATX_MODE  0x002
#define STATX_SIZE  0x200
#define STATX_BASIC_STATS 0x7ff

#define S_IFMT   0170000
#define S_IFDIR  0040000
#define S_IFREG  0100000
#define S_IFLNK  0120000

#define DT_UNKNOWN 0
#define DT_DIR     4
#define DT_REG     8
#define DT_LNK     10

#define RENAME_NOREPLACE 1

#define EFAULT 14

#endif
