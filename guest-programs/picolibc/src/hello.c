/* The picolibc semihosting hello world, as its documentation builds it. */
#include <stdio.h>

int main(void)
{
    printf("hello, world\n");
    return 0;
}
