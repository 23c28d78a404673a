/* minikernel: the VM/CMS picture in small, for the rvjit bare machine.
 *
 * An M-mode kernel runs three U-mode tasks with their own stacks, round-robin,
 * preempting them on the CLINT machine timer (mtimecmp advanced by PERIOD each
 * tick) and serving their ecalls:
 *   a7 = 1  print: a0 = pointer, a1 = length (one whole line, printed atomically)
 *   a7 = 2  yield
 *   a7 = 3  exit: a0 = result
 *
 * Output does not depend on where timer interrupts land: the kernel prints the
 * tasks' lines in a fixed rotation (task 0, 1, 2, 0, 1, 2, ...; a task that has
 * exited drops out). A task that prints out of turn is blocked until its turn
 * comes, and its line is printed then. Only the number of timer ticks
 * in the summary depends on instruction counts; with
 * `--deterministic` (mtime = instructions retired / 10) it is exact too. */
#include "bare.h"
#include "tasks.h"

#define NTASKS 3
#define PERIOD 2000                 /* mtime ticks per time slice: 20000 instructions */
#define STACK_SIZE 4096

struct frame {
    uint32_t x[32];
    uint32_t pc;
};

enum state { RUNNABLE, BLOCKED, EXITED };

struct task {
    struct frame frame;             /* first: trap_entry uses the frame pointer */
    enum state state;
    const char *name;
    uint32_t result;
    const char *pending;            /* a line waiting for this task's turn */
    uint32_t pending_len;
    uint32_t lines;
};

extern void trap_entry(void);
extern __attribute__((noreturn)) void resume_task(struct frame *f);

static struct task tasks[NTASKS];
static uint8_t stacks[NTASKS][STACK_SIZE] __attribute__((aligned(16)));
static int current;
static int turn;
static uint32_t ticks;
static uint64_t deadline;

static const struct {
    const char *name;
    void (*entry)(int id);
} programs[NTASKS] = {
    { "primes", task_primes },
    { "crc32", task_crc32 },
    { "collatz", task_collatz },
};

static void print_line(struct task *t, const char *s, uint32_t len)
{
    htif_write(s, len);
    t->lines++;
}

static int any_alive(void)
{
    for (int i = 0; i < NTASKS; i++)
        if (tasks[i].state != EXITED) return 1;
    return 0;
}

/* The turn passes to the next live task; lines waiting for their turn go out. */
static void advance_turn(void)
{
    while (any_alive()) {
        do turn = (turn + 1) % NTASKS; while (tasks[turn].state == EXITED);
        struct task *t = &tasks[turn];
        if (t->state != BLOCKED) return;
        print_line(t, t->pending, t->pending_len);
        t->state = RUNNABLE;
    }
}

static __attribute__((noreturn)) void finish(void)
{
    csr_write(mie, 0);
    clint_set_mtimecmp(~0ull);
    printf("minikernel: all tasks exited\n");
    for (int i = 0; i < NTASKS; i++)
        printf("  task %d %s: %u lines, result %u\n", i, tasks[i].name, tasks[i].lines, tasks[i].result);
    printf("  timer ticks: %u\n", ticks);
    exit(0);
}

/* Round-robin: the next runnable task after the current one (possibly itself). */
static struct frame *schedule(void)
{
    for (int k = 1; k <= NTASKS; k++) {
        int i = (current + k) % NTASKS;
        if (tasks[i].state == RUNNABLE) {
            current = i;
            return &tasks[i].frame;
        }
    }
    finish();
}

struct frame *kernel_trap(struct frame *f)
{
    uint32_t cause = csr_read(mcause);
    struct task *t = &tasks[current];

    if (cause == (MCAUSE_INT | 7)) {
        ticks++;
        deadline += PERIOD;
        clint_set_mtimecmp(deadline);
        return schedule();
    }
    if (cause != 8) {
        printf("minikernel: task %d %s: unexpected trap mcause=0x%x mepc=0x%08x mtval=0x%08x\n",
               current, t->name, cause, f->pc, csr_read(mtval));
        exit(1);
    }

    f->pc += 4;                     /* past the ecall */
    uint32_t a0 = f->x[10], a1 = f->x[11];
    switch (f->x[17]) {
    case SYS_PRINT:
        if (current == turn) {
            print_line(t, (const char *)a0, a1);
            advance_turn();
            return f;
        }
        t->pending = (const char *)a0;
        t->pending_len = a1;
        t->state = BLOCKED;
        return schedule();
    case SYS_YIELD:
        return schedule();
    case SYS_EXIT:
        t->result = a0;
        t->state = EXITED;
        if (turn == current) advance_turn();
        return schedule();
    default:
        f->x[10] = (uint32_t)-1;
        return f;
    }
}

int main(void)
{
    printf("minikernel: %d tasks, time slice %d mtime ticks\n", NTASKS, PERIOD);
    csr_write(mtvec, (uint32_t)trap_entry);
    for (int i = 0; i < NTASKS; i++) {
        struct task *t = &tasks[i];
        memset(t, 0, sizeof *t);
        t->name = programs[i].name;
        t->state = RUNNABLE;
        t->frame.pc = (uint32_t)programs[i].entry;
        t->frame.x[2] = (uint32_t)&stacks[i][STACK_SIZE];   /* sp */
        t->frame.x[10] = (uint32_t)i;                       /* a0 = task id */
        t->frame.x[1] = (uint32_t)task_return;              /* ra */
    }
    current = 0;
    turn = 0;
    deadline = clint_mtime() + PERIOD;
    clint_set_mtimecmp(deadline);
    csr_write(mie, MIP_MTIP);
    csr_clear(mstatus, MSTATUS_MPP | MSTATUS_MIE);          /* mret goes to U */
    csr_set(mstatus, MSTATUS_MPIE);
    resume_task(&tasks[0].frame);
}
