/* rvjit guest runtime: syscall wrappers and a tiny libc. */
#ifndef RVJIT_RT_H
#define RVJIT_RT_H

#include "sys.h"

typedef unsigned int size_t;
typedef int ssize_t;
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef long long s64;
typedef __builtin_va_list va_list;
#define va_start(ap, last) __builtin_va_start(ap, last)
#define va_arg(ap, type) __builtin_va_arg(ap, type)
#define va_end(ap) __builtin_va_end(ap)
#define NULL ((void *)0)

struct iovec { void *iov_base; size_t iov_len; };

struct kernel_timespec { s64 tv_sec; s64 tv_nsec; };

struct utsname {
    char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
};

struct statx_timestamp { s64 tv_sec; u32 tv_nsec; int reserved; };
struct statx {
    u32 stx_mask, stx_blksize;
    u64 stx_attributes;
    u32 stx_nlink, stx_uid, stx_gid;
    u16 stx_mode, spare0;
    u64 stx_ino, stx_size, stx_blocks, stx_attributes_mask;
    struct statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
    u32 stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
    u64 spare2[14];
};

struct dirent64 {
    u64 d_ino;
    s64 d_off;
    u16 d_reclen;
    u8 d_type;
    char d_name[];
};

/* raw system call: returns the kernel's value (negative errno on error) */
long syscall6(long n, long a0, long a1, long a2, long a3, long a4, long a5);
#define syscall0(n) syscall6(n, 0, 0, 0, 0, 0, 0)
#define syscall1(n, a) syscall6(n, (long)(a), 0, 0, 0, 0, 0)
#define syscall2(n, a, b) syscall6(n, (long)(a), (long)(b), 0, 0, 0, 0)
#define syscall3(n, a, b, c) syscall6(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define syscall4(n, a, b, c, d) syscall6(n, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define syscall5(n, a, b, c, d, e) syscall6(n, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)

/* wrappers: all return negative errno on failure */
int sys_openat(int dirfd, const char *path, int flags, int mode);
int sys_open(const char *path, int flags, int mode);   /* openat(AT_FDCWD, ...) */
int sys_close(int fd);
ssize_t sys_read(int fd, void *buf, size_t n);
ssize_t sys_write(int fd, const void *buf, size_t n);
ssize_t sys_readv(int fd, const struct iovec *iov, int cnt);
ssize_t sys_writev(int fd, const struct iovec *iov, int cnt);
ssize_t sys_pread64(int fd, void *buf, size_t n, s64 off);
ssize_t sys_pwrite64(int fd, const void *buf, size_t n, s64 off);
int sys_llseek(int fd, s64 off, s64 *result, int whence);
int sys_getdents64(int fd, void *buf, size_t n);
int sys_mkdirat(int dirfd, const char *path, int mode);
int sys_unlinkat(int dirfd, const char *path, int flags);
int sys_renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned flags);
int sys_getcwd(char *buf, size_t n);
int sys_faccessat(int dirfd, const char *path, int mode);
int sys_statx(int dirfd, const char *path, int flags, unsigned mask, struct statx *st);
int sys_clock_gettime(int clk, struct kernel_timespec *ts);
int sys_getpid(void);
int sys_uname(struct utsname *u);
long sys_brk(void *addr);
void *sys_mmap(void *addr, size_t len, int prot, int flags, int fd, long pgoff);
int sys_munmap(void *addr, size_t len);
int sys_mprotect(void *addr, size_t len, int prot);
int sys_set_tid_address(int *p);
void sys_exit(int code) __attribute__((noreturn));
void sys_exit_group(int code) __attribute__((noreturn));
#define IS_ERR_PTR(p) ((unsigned long)(p) >= 0xfffff001u)

/* libc helpers */
size_t strlen(const char *s);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
int strcmp(const char *a, const char *b);
char *strcpy(char *d, const char *s);
int atoi(const char *s);
int puts(const char *s);          /* writes s and a newline to stdout */
int fputs_fd(int fd, const char *s);
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int dprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int vdprintf(int fd, const char *fmt, va_list ap);
int snprintf(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int write_all(int fd, const void *buf, size_t n);

#endif
