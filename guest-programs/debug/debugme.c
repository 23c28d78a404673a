// A guest for the debugger tests (Tests/EndToEndTests/GDBTests.swift), built at test time with
// -O0 -g so that gdb sees locals and globals: a global to watch (`counter`), a function with an
// argument and a local (`square`), and an exit path in assembly (`guest_exit`) that starts with a
// 2-byte and then a 4-byte instruction, to single-step over both. Exits 0 when all went as written.
volatile int counter;
int total;

__attribute__((noinline)) int square(int x) {
    int local = x * x;
    return local;
}

int main(void) {
    for (int i = 1; i <= 3; i++) {
        counter = i;
        total += square(i);
    }
    return total == 14 ? 0 : 1;
}

__asm__(
    ".text\n"
    ".globl _start\n"
    "_start:\n"
    ".option push\n.option norelax\n"
    "    la gp, __global_pointer$\n"
    ".option pop\n"
    "    call main\n"
    ".globl guest_exit\n"
    "guest_exit:\n"
    "    c.nop\n"
    ".option push\n.option norvc\n"
    "    addi a7, zero, 93\n"
    ".option pop\n"
    "    ecall\n");
