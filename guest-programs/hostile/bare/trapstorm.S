/* trapstorm: an illegal word at the entry with mtvec still 0; the trap goes to address 0,
 * which cannot be fetched, and that fault would trap to 0 again for ever, retiring nothing:
 * rvjit stops the run with that fetch fault (a guest with no handler at all). */
    .file "trapstorm.S"
    .text
    .globl _start
_start:
    .word 0
