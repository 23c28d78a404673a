/* spin: an endless loop (stopped by --max-instructions or --timeout). */
#include "rt.h"

int main(void)
{
    puts("spinning");
    for (volatile u32 i = 0;; i++) {
    }
}
