/* svkernel: a small operating system for the rvjit bare machine with S-mode.
 *
 * An M-mode firmware layer (firmware.S) delegates and enters this kernel in
 * S-mode. The kernel gives each of two user processes its own Sv32 address
 * space (its own root table and ASID; the kernel's 4 MiB at 0x80000000 mapped
 * global and supervisor-only in each), maps the user program's page at
 * 0x00400000, and leaves the stack (below 0x00800000) to demand paging: a page
 * fault there allocates a zeroed page and maps it. The supervisor timer (through
 * the firmware's set_timer) preempts the processes round-robin; system calls
 * are write, yield, exit and getpid.
 *
 * The output does not depend on where timer interrupts land: each process's
 * line is kept and the kernel prints them in process order when both have
 * exited. Only the tick count does; it is printed under a heading of its own. */
#include "bare.h"

#define NPROC 2
#define PERIOD 2000                 /* mtime ticks per time slice */
#define USER_CODE 0x00400000u
#define USER_STACK_TOP 0x00800000u
#define USER_STACK_PAGES 16         /* the most a process may fault in */
#define POOL_PAGES 32

#define PTE_V 0x01u
#define PTE_R 0x02u
#define PTE_W 0x04u
#define PTE_X 0x08u
#define PTE_U 0x10u
#define PTE_G 0x20u
#define PTE_A 0x40u
#define PTE_D 0x80u
#define SSTATUS_SUM (1u << 18)
#define SSTATUS_SPP (1u << 8)
#define SSTATUS_SPIE (1u << 5)

struct frame {
    uint32_t x[32];
    uint32_t pc;
};

enum state { RUNNABLE, EXITED };

struct process {
    struct frame frame;             /* first: trap_entry uses the frame pointer */
    enum state state;
    uint32_t pid;
    uint32_t satp;
    uint32_t *root;
    uint32_t result;
    char line[64];
    uint32_t line_len;
    uint32_t faults;
    uint32_t syscalls;
};

extern void trap_entry(void);
extern void firmware_start(void);
extern char user_program[];
extern __attribute__((noreturn)) void resume_process(struct frame *f);

static struct process procs[NPROC];
static uint8_t pool[POOL_PAGES][4096] __attribute__((aligned(4096)));
static uint32_t pool_used;
static int current;
static uint32_t ticks;

static void *alloc_page(void)
{
    if (pool_used == POOL_PAGES) {
        printf("svkernel: out of pages\n");
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

/* Maps the 4 KiB page at va to page in the address space with root table root. */
static void map_page(uint32_t *root, uint32_t va, const void *page, uint32_t flags)
{
    uint32_t *l1 = &root[va >> 22];
    if (!(*l1 & PTE_V)) *l1 = pte(alloc_page(), PTE_V);
    uint32_t *l0 = (uint32_t *)(uintptr_t)((*l1 >> 10) << 12);
    l0[(va >> 12) & 0x3ff] = pte(page, flags);
}

static void set_timer(uint32_t delta)
{
    register uint32_t a0 __asm__("a0") = delta;
    register uint32_t a7 __asm__("a7") = 0;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
}

static void start_process(struct process *p, uint32_t pid)
{
    p->pid = pid;
    p->state = RUNNABLE;
    p->root = alloc_page();
    p->root[0x80000000u >> 22] = pte((void *)0x80000000u, PTE_V | PTE_R | PTE_W | PTE_X | PTE_G | PTE_A | PTE_D);
    map_page(p->root, USER_CODE, user_program, PTE_V | PTE_R | PTE_X | PTE_U | PTE_A);
    p->satp = 0x80000000u | pid << 22 | (uint32_t)(uintptr_t)p->root >> 12;
    p->frame.pc = USER_CODE;
    p->frame.x[2] = USER_STACK_TOP;
    p->frame.x[10] = pid;
}

static __attribute__((noreturn)) void run(struct process *p)
{
    csr_write(satp, p->satp);       /* a new ASID: no fence needed */
    csr_clear(sstatus, SSTATUS_SPP);
    csr_set(sstatus, SSTATUS_SPIE); /* interrupts on in U */
    resume_process(&p->frame);
}

static struct process *next_runnable(void)
{
    for (int k = 1; k <= NPROC; k++) {
        int i = (current + k) % NPROC;
        if (procs[i].state == RUNNABLE) {
            current = i;
            return &procs[i];
        }
    }
    return 0;
}

static __attribute__((noreturn)) void finish(void)
{
    uint32_t faults = 0;
    for (int i = 0; i < NPROC; i++) {
        struct process *p = &procs[i];
        htif_write(p->line, p->line_len);
        printf("svkernel: process %u exited with %x after %u system calls\n", p->pid, p->result, p->syscalls);
        faults += p->faults;
    }
    printf("svkernel: %u stack pages paged in on demand, %u pages used\n", faults, pool_used);
    printf("svkernel: timer ticks %u\n", ticks);
    exit(0);
}

/* A process's page fault: a stack page is mapped on demand; anything else ends the process. */
static int demand_page(struct process *p, uint32_t address)
{
    if (address >= USER_STACK_TOP || address < USER_STACK_TOP - USER_STACK_PAGES * 4096) return 0;
    uint32_t va = address & ~0xfffu;
    map_page(p->root, va, alloc_page(), PTE_V | PTE_R | PTE_W | PTE_U);  /* the walker sets A and D */
    __asm__ volatile("sfence.vma %0, %1" :: "r"(va), "r"(p->pid) : "memory");
    p->faults++;
    return 1;
}

static void kill(struct process *p, uint32_t cause, uint32_t tval)
{
    printf("svkernel: process %u killed: cause %u at %x, tval %x\n", p->pid, cause, p->frame.pc, tval);
    p->state = EXITED;
    p->result = 0xdead;
}

struct frame *kernel_trap(struct frame *f)
{
    struct process *p = &procs[current];
    uint32_t cause = csr_read(scause);
    uint32_t tval = csr_read(stval);
    if (cause == (0x80000000u | 5)) {
        ticks++;
        set_timer(PERIOD);
    } else if (cause == 8) {
        p->syscalls++;
        f->pc += 4;
        uint32_t *a = &f->x[10];
        switch (f->x[17]) {
        case 1: {                   /* write: copied from user memory under SUM */
            uint32_t n = a[1] < sizeof p->line - p->line_len ? a[1] : sizeof p->line - p->line_len;
            csr_set(sstatus, SSTATUS_SUM);
            memcpy(p->line + p->line_len, (const void *)(uintptr_t)a[0], n);
            csr_clear(sstatus, SSTATUS_SUM);
            p->line_len += n;
            a[0] = n;
            break;
        }
        case 2: break;              /* yield */
        case 3:
            p->state = EXITED;
            p->result = a[0];
            break;
        case 4: a[0] = p->pid; break;
        default: a[0] = (uint32_t)-38;
        }
        if (f->x[17] != 2 && p->state == RUNNABLE) return f;
    } else if ((cause == 13 || cause == 15) && demand_page(p, tval)) {
        return f;
    } else {
        kill(p, cause, tval);
    }
    struct process *q = next_runnable();
    if (!q) finish();
    run(q);
}

void kernel_main(void)
{
    printf("svkernel: S-mode kernel, Sv32, %u processes\n", NPROC);
    csr_write(stvec, (uint32_t)(uintptr_t)trap_entry);
    for (int i = 0; i < NPROC; i++) start_process(&procs[i], i + 1);
    csr_write(sie, 1u << 5);        /* STIE */
    set_timer(PERIOD);
    current = 0;
    run(&procs[0]);
}

int main(void)
{
    printf("svkernel: M-mode firmware, delegating to S-mode\n");
    firmware_start();
    return 0;
}
