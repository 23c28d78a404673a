/* trapself: mtvec points at an illegal word, so the trap handler's first instruction traps
 * into itself forever. */
    .file "trapself.S"
    .text
    .globl _start
_start:
    la t0, handler
    csrw mtvec, t0
    .word 0
    .balign 4
handler:
    .word 0
