/* System call wrappers for Linux riscv32: a7 = number, a0..a5 = args, result in a0. */
#include "rt.h"

long syscall6(long n, long a0, long a1, long a2, long a3, long a4, long a5)
{
    register long r_a0 __asm__("a0") = a0;
    register long r_a1 __asm__("a1") = a1;
    register long r_a2 __asm__("a2") = a2;
    register long r_a3 __asm__("a3") = a3;
    register long r_a4 __asm__("a4") = a4;
    register long r_a5 __asm__("a5") = a5;
    register long r_a7 __asm__("a7") = n;
    __asm__ volatile("ecall"
                     : "+r"(r_a0)
                     : "r"(r_a1), "r"(r_a2), "r"(r_a3), "r"(r_a4), "r"(r_a5), "r"(r_a7)
                     : "memory");
    return r_a0;
}

int sys_openat(int dirfd, const char *path, int flags, int mode)
{ return syscall4(SYS_openat, dirfd, path, flags, mode); }
int sys_open(const char *path, int flags, int mode)
{ return syscall4(SYS_openat, AT_FDCWD, path, flags, mode); }
int sys_close(int fd) { return syscall1(SYS_close, fd); }
ssize_t sys_read(int fd, void *buf, size_t n) { return syscall3(SYS_read, fd, buf, n); }
ssize_t sys_write(int fd, const void *buf, size_t n) { return syscall3(SYS_write, fd, buf, n); }
ssize_t sys_readv(int fd, const struct iovec *iov, int cnt) { return syscall3(SYS_readv, fd, iov, cnt); }
ssize_t sys_writev(int fd, const struct iovec *iov, int cnt) { return syscall3(SYS_writev, fd, iov, cnt); }

/* 64-bit offsets are split low word first into consecutive registers (no pair alignment on riscv32) */
ssize_t sys_pread64(int fd, void *buf, size_t n, s64 off)
{ return syscall5(SYS_pread64, fd, buf, n, (u32)off, (u32)((u64)off >> 32)); }
ssize_t sys_pwrite64(int fd, const void *buf, size_t n, s64 off)
{ return syscall5(SYS_pwrite64, fd, buf, n, (u32)off, (u32)((u64)off >> 32)); }
/* _llseek(fd, offset_high, offset_low, loff_t *result, whence) */
int sys_llseek(int fd, s64 off, s64 *result, int whence)
{ return syscall5(SYS_llseek, fd, (u32)((u64)off >> 32), (u32)off, result, whence); }

int sys_getdents64(int fd, void *buf, size_t n) { return syscall3(SYS_getdents64, fd, buf, n); }
int sys_mkdirat(int dirfd, const char *path, int mode) { return syscall3(SYS_mkdirat, dirfd, path, mode); }
int sys_unlinkat(int dirfd, const char *path, int flags) { return syscall3(SYS_unlinkat, dirfd, path, flags); }
int sys_renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned flags)
{ return syscall5(SYS_renameat2, olddirfd, oldpath, newdirfd, newpath, flags); }
int sys_getcwd(char *buf, size_t n) { return syscall2(SYS_getcwd, buf, n); }
int sys_faccessat(int dirfd, const char *path, int mode) { return syscall3(SYS_faccessat, dirfd, path, mode); }
int sys_statx(int dirfd, const char *path, int flags, unsigned mask, struct statx *st)
{ return syscall5(SYS_statx, dirfd, path, flags, mask, st); }
int sys_clock_gettime(int clk, struct kernel_timespec *ts) { return syscall2(SYS_clock_gettime64, clk, ts); }
int sys_getpid(void) { return syscall0(SYS_getpid); }
int sys_uname(struct utsname *u) { return syscall1(SYS_uname, u); }
long sys_brk(void *addr) { return syscall1(SYS_brk, addr); }
void *sys_mmap(void *addr, size_t len, int prot, int flags, int fd, long pgoff)
{ return (void *)syscall6(SYS_mmap, (long)addr, len, prot, flags, fd, pgoff); }
int sys_munmap(void *addr, size_t len) { return syscall2(SYS_munmap, addr, len); }
int sys_mprotect(void *addr, size_t len, int prot) { return syscall3(SYS_mprotect, addr, len, prot); }
int sys_set_tid_address(int *p) { return syscall1(SYS_set_tid_address, p); }

void sys_exit(int code)
{
    syscall1(SYS_exit, code);
    for (;;) { }
}

void sys_exit_group(int code)
{
    syscall1(SYS_exit_group, code);
    for (;;) { }
}
