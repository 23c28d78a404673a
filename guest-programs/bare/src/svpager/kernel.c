/* svpager: a paging workload for the rvjit bare machine with S-mode (the
 * privileged benchmark's paging row; svkernel is the operating system to read).
 *
 * svkernel's M-mode firmware and trap entry (../svkernel/firmware.S, entry.S)
 * start this S-mode kernel. It runs NPROC user processes, each in its own Sv32
 * address space (a root table and an ASID; the kernel's 4 MiB at 0x80000000
 * mapped global and supervisor-only), switching on every yield (a satp write,
 * no fence: each process has its own ASID). Each process's DATA_PAGES data
 * pages at 0x00500000 start unmapped: the first touch page-faults and the
 * kernel maps a zeroed frame. On every yield the kernel takes one of the
 * yielding process's pages away again (it clears the PTE and fences that
 * address in that ASID, as a pager evicting a page would) and every SHOOTDOWN
 * yields it fences everything: the next touch of such a page faults and the
 * kernel maps the same frame back (without A and D: the walker sets them
 * again). No timer: the output is the same under every engine and policy. */
#include "bare.h"

#define NPROC 3
#ifndef DATA_PAGES
#define DATA_PAGES 8
#endif
#define USER_CODE 0x00400000u
#define USER_DATA 0x00500000u
#define SHOOTDOWN 16
#define POOL_PAGES (NPROC * (DATA_PAGES + 2) + 2)

#define PTE_V 0x01u
#define PTE_R 0x02u
#define PTE_W 0x04u
#define PTE_X 0x08u
#define PTE_U 0x10u
#define PTE_G 0x20u
#define PTE_A 0x40u
#define PTE_D 0x80u
#define SSTATUS_SPP (1u << 8)

struct frame {
    uint32_t x[32];
    uint32_t pc;
};

struct process {
    struct frame frame;             /* first: trap_entry uses the frame pointer */
    int exited;
    uint32_t pid;
    uint32_t satp;
    uint32_t *root;
    uint32_t *data_frames[DATA_PAGES];
    uint32_t result;
    uint32_t yields;
    uint32_t faults;
    uint32_t evictions;
};

extern void trap_entry(void);
extern void firmware_start(void);
extern char user_program[];
extern __attribute__((noreturn)) void resume_process(struct frame *f);

static struct process procs[NPROC];
static uint8_t pool[POOL_PAGES][4096] __attribute__((aligned(4096)));
static uint32_t pool_used;
static int current;
static uint32_t switches, shootdowns;

static void *alloc_page(void)
{
    if (pool_used == POOL_PAGES) {
        printf("svpager: out of pages\n");
        exit(4);
    }
    uint8_t *p = pool[pool_used++];
    memset(p, 0, 4096);
    return p;
}

static uint32_t pte(const void *page, uint32_t flags)
{
    return ((uint32_t)(uintptr_t)page >> 12) << 10 | flags;
}

/* The level-0 PTE for va in the address space with root table root (made if missing). */
static uint32_t *leaf(uint32_t *root, uint32_t va)
{
    uint32_t *l1 = &root[va >> 22];
    if (!(*l1 & PTE_V)) *l1 = pte(alloc_page(), PTE_V);
    uint32_t *l0 = (uint32_t *)(uintptr_t)((*l1 >> 10) << 12);
    return &l0[(va >> 12) & 0x3ff];
}

static void fence(uint32_t va, uint32_t asid)
{
    __asm__ volatile("sfence.vma %0, %1" :: "r"(va), "r"(asid) : "memory");
}

static void start_process(struct process *p, uint32_t pid)
{
    p->pid = pid;
    p->root = alloc_page();
    p->root[0x80000000u >> 22] = pte((void *)0x80000000u, PTE_V | PTE_R | PTE_W | PTE_X | PTE_G | PTE_A | PTE_D);
    *leaf(p->root, USER_CODE) = pte(user_program, PTE_V | PTE_R | PTE_X | PTE_U | PTE_A);
    p->satp = 0x80000000u | pid << 22 | (uint32_t)(uintptr_t)p->root >> 12;
    p->frame.pc = USER_CODE;
    p->frame.x[10] = pid;
}

static __attribute__((noreturn)) void run(struct process *p)
{
    switches++;
    csr_write(satp, p->satp);       /* its own ASID: no fence needed */
    csr_clear(sstatus, SSTATUS_SPP);
    resume_process(&p->frame);
}

static __attribute__((noreturn)) void finish(void)
{
    uint32_t faults = 0, evictions = 0;
    for (int i = 0; i < NPROC; i++) {
        struct process *p = &procs[i];
        printf("svpager: process %u exited with %x after %u yields, %u page faults, %u pages taken away\n",
               p->pid, p->result, p->yields, p->faults, p->evictions);
        faults += p->faults;
        evictions += p->evictions;
    }
    printf("svpager: %u address-space switches, %u page faults, %u evictions, %u full fences, %u pages used\n",
           switches, faults, evictions, shootdowns, pool_used);
    exit(0);
}

/* A data page fault: map the page's frame (a zeroed one the first time). */
static int page_in(struct process *p, uint32_t address)
{
    if (address < USER_DATA || address >= USER_DATA + DATA_PAGES * 4096) return 0;
    uint32_t va = address & ~0xfffu;
    uint32_t k = (va - USER_DATA) >> 12;
    if (!p->data_frames[k]) p->data_frames[k] = alloc_page();
    *leaf(p->root, va) = pte(p->data_frames[k], PTE_V | PTE_R | PTE_W | PTE_U);
    fence(va, p->pid);
    p->faults++;
    return 1;
}

/* At a yield: take one of the process's data pages away (the next touch faults it back). */
static void evict(struct process *p)
{
    uint32_t va = USER_DATA + (p->yields % DATA_PAGES) * 4096;
    uint32_t *e = leaf(p->root, va);
    if (*e & PTE_V) {
        *e = 0;
        fence(va, p->pid);
        p->evictions++;
    }
    if (p->yields % SHOOTDOWN == 0) {
        __asm__ volatile("sfence.vma" ::: "memory");
        shootdowns++;
    }
}

static struct process *next_runnable(void)
{
    for (int k = 1; k <= NPROC; k++) {
        int i = (current + k) % NPROC;
        if (!procs[i].exited) {
            current = i;
            return &procs[i];
        }
    }
    return 0;
}

struct frame *kernel_trap(struct frame *f)
{
    struct process *p = &procs[current];
    uint32_t cause = csr_read(scause);
    uint32_t tval = csr_read(stval);
    if (cause == 8) {
        f->pc += 4;
        if (f->x[17] == 2) {
            p->yields++;
            evict(p);
        } else if (f->x[17] == 3) {
            p->exited = 1;
            p->result = f->x[10];
        } else {
            f->x[10] = (uint32_t)-38;
            return f;
        }
    } else if ((cause == 13 || cause == 15) && page_in(p, tval)) {
        return f;
    } else {
        printf("svpager: process %u killed: cause %u at %x, tval %x\n", p->pid, cause, f->pc, tval);
        p->exited = 1;
        p->result = 0xdead;
    }
    struct process *q = next_runnable();
    if (!q) finish();
    run(q);
}

void kernel_main(void)
{
    printf("svpager: S-mode kernel, Sv32, %u processes, %u data pages each\n", NPROC, DATA_PAGES);
    csr_write(stvec, (uint32_t)(uintptr_t)trap_entry);
    for (int i = 0; i < NPROC; i++) start_process(&procs[i], i + 1);
    current = 0;
    run(&procs[0]);
}

int main(void)
{
    printf("svpager: M-mode firmware, delegating to S-mode\n");
    firmware_start();
    return 0;
}
