/* trapstorm: an illegal word at the entry with mtvec still 0; the trap goes to address 0,
 * which cannot be fetched, and that fault traps to 0 again. Nothing ever retires: only a
 * budget that counts trapped instructions (--max-instructions) or --timeout ends it. */
    .file "trapstorm.S"
    .text
    .globl _start
_start:
    .word 0
