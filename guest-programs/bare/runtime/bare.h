/* rvjit bare-metal runtime: HTIF console and exit, printf-lite, CSR and CLINT helpers. */
#ifndef BARE_H
#define BARE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* HTIF (see README.md): store the high word, then the low word of tohost. */
extern volatile uint64_t tohost;
extern volatile uint64_t fromhost;

void htif_putchar(int c);
void htif_puts(const char *s);              /* no newline added */
void htif_write(const char *s, size_t n);
__attribute__((noreturn)) void exit(int code);

/* printf-lite: %d %u %x %s %c %%, with optional '0' flag, width and 'l' (ignored). */
int printf(const char *fmt, ...);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...);
size_t strlen(const char *s);
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);

/* CSR access */
#define csr_read(csr) ({ uint32_t v_; __asm__ volatile("csrr %0, " #csr : "=r"(v_)); v_; })
#define csr_write(csr, val) __asm__ volatile("csrw " #csr ", %0" :: "rK"(val) : "memory")
#define csr_set(csr, val) __asm__ volatile("csrs " #csr ", %0" :: "rK"(val) : "memory")
#define csr_clear(csr, val) __asm__ volatile("csrc " #csr ", %0" :: "rK"(val) : "memory")

#define MSTATUS_MIE  (1u << 3)
#define MSTATUS_MPIE (1u << 7)
#define MSTATUS_MPP  (3u << 11)
#define MIP_MSIP     (1u << 3)
#define MIP_MTIP     (1u << 7)
#define MCAUSE_INT   0x80000000u

/* CLINT */
#define CLINT_MSIP        ((volatile uint32_t *)0x02000000)
#define CLINT_MTIMECMP_LO ((volatile uint32_t *)0x02004000)
#define CLINT_MTIMECMP_HI ((volatile uint32_t *)0x02004004)
#define CLINT_MTIME_LO    ((volatile uint32_t *)0x0200BFF8)
#define CLINT_MTIME_HI    ((volatile uint32_t *)0x0200BFFC)

void bare_default_trap(void);      /* crt.S: reports an unexpected trap, exits 3 */
uint64_t clint_mtime(void);
void clint_set_mtimecmp(uint64_t when);

#endif
