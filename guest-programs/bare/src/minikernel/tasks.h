/* minikernel: system call numbers and the U-mode tasks. */
#ifndef TASKS_H
#define TASKS_H
#include <stdint.h>

#define SYS_PRINT 1
#define SYS_YIELD 2
#define SYS_EXIT  3

void task_primes(int id);
void task_crc32(int id);
void task_collatz(int id);
void task_return(void);

#endif
