/* The runtime's %f and %e against what glibc prints for the same values (expected/fmtfloat.stdout
 * was checked line by line against a host build of the same calls): ties, subnormals, the
 * extremes, widths, zero padding, infinities and NaNs. */
#include "rt.h"
int main(void) {
    double v[] = { 0.0, -0.0, 1.0, 0.5, 1.5, 2.5, 0.125, 0.0625, 1e-7, 5e-7, 4.9999999e-7, 123456.789, 1e300, 1.7976931348623157e308,
                   4.9406564584124654e-324, 2.2250738585072014e-308, 0.1, 0.3, 2.0/3.0, 999999.9999995, 9.9999996, -3.14159265358979, 1e22, 1e23, 0.05, 0.15, 0.25, 0.35 };
    u64 special[] = { 0x7ff0000000000000ull, 0xfff0000000000000ull, 0x7ff8000000000000ull };
    for (unsigned i = 0; i < sizeof v / sizeof v[0]; i++)
        printf("%f|%.0f|%.1f|%.3f|%.17f|%e|%.0e|%.3e|%.16e|%12.3f|%-12.2e|%012.4f\n", v[i], v[i], v[i], v[i], v[i], v[i], v[i], v[i], v[i], v[i], v[i], v[i]);
    for (int i = 0; i < 3; i++) { union { u64 u; double d; } x; x.u = special[i]; printf("%f %e %8.2f\n", x.d, x.d, x.d); }
    return 0;
}
