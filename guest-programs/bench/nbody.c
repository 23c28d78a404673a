/* nbody: a double-precision N-body simulation, the Sun and the four giant planets
 * (masses, positions and velocities of the well-known benchmark system), advanced with a
 * fixed time step by the symplectic Euler scheme: per step, every pair's distance (a
 * square root and a division), velocity updates, then positions. The total energy at the
 * start and after each round must agree within 1e-3 relative (the scheme conserves it
 * closely; a wrong operation does not); the checksum is the bits of the final positions.
 * Soft float in the rv32i and rv32imac builds, F/D instructions in rv32imafdc.
 * Usage: nbody [steps [rounds]]   (defaults 1000 2) */
#include "fp.h"

#define DEF_STEPS 1000
#define DEF_ROUNDS 2
#define EXPECT 0x6575cc05u

#define NB 5
#define PI 3.141592653589793
#define SOLAR_MASS (4 * PI * PI)
#define DAYS 365.24

struct body { double x, y, z, vx, vy, vz, m; };

static struct body bodies[NB];

static void reset(void)
{
    static const double init[NB][7] = {
        { 0, 0, 0, 0, 0, 0, SOLAR_MASS },
        { 4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
          1.66007664274403694e-03 * DAYS, 7.69901118419740425e-03 * DAYS, -6.90460016972063023e-05 * DAYS,
          9.54791938424326609e-04 * SOLAR_MASS },
        { 8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
          -2.76742510726862411e-03 * DAYS, 4.99852801234917238e-03 * DAYS, 2.30417297573763929e-05 * DAYS,
          2.85885980666130812e-04 * SOLAR_MASS },
        { 1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
          2.96460137564761618e-03 * DAYS, 2.37847173959480950e-03 * DAYS, -2.96589568540237556e-05 * DAYS,
          4.36624404335156298e-05 * SOLAR_MASS },
        { 1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
          2.68067772490389322e-03 * DAYS, 1.62824170038242295e-03 * DAYS, -9.51592254519715870e-05 * DAYS,
          5.15138902046611451e-05 * SOLAR_MASS },
    };
    for (int i = 0; i < NB; i++) {
        struct body *b = &bodies[i];
        b->x = init[i][0]; b->y = init[i][1]; b->z = init[i][2];
        b->vx = init[i][3]; b->vy = init[i][4]; b->vz = init[i][5]; b->m = init[i][6];
    }
    /* give the Sun the momentum that makes the system's total zero */
    double px = 0, py = 0, pz = 0;
    for (int i = 0; i < NB; i++) {
        px += bodies[i].vx * bodies[i].m;
        py += bodies[i].vy * bodies[i].m;
        pz += bodies[i].vz * bodies[i].m;
    }
    bodies[0].vx = -px / SOLAR_MASS;
    bodies[0].vy = -py / SOLAR_MASS;
    bodies[0].vz = -pz / SOLAR_MASS;
}

static double energy(void)
{
    double e = 0;
    for (int i = 0; i < NB; i++) {
        struct body *a = &bodies[i];
        e += 0.5 * a->m * (a->vx * a->vx + a->vy * a->vy + a->vz * a->vz);
        for (int j = i + 1; j < NB; j++) {
            struct body *b = &bodies[j];
            double dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;
            e -= a->m * b->m / sqrt_newton(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}

static void advance(double dt)
{
    for (int i = 0; i < NB; i++) {
        struct body *a = &bodies[i];
        for (int j = i + 1; j < NB; j++) {
            struct body *b = &bodies[j];
            double dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;
            double d2 = dx * dx + dy * dy + dz * dz;
            double mag = dt / (d2 * sqrt_newton(d2));
            a->vx -= dx * b->m * mag; a->vy -= dy * b->m * mag; a->vz -= dz * b->m * mag;
            b->vx += dx * a->m * mag; b->vy += dy * a->m * mag; b->vz += dz * a->m * mag;
        }
    }
    for (int i = 0; i < NB; i++) {
        struct body *a = &bodies[i];
        a->x += dt * a->vx; a->y += dt * a->vy; a->z += dt * a->vz;
    }
}

int main(int argc, char **argv)
{
    int steps = arg_int(argc, argv, 1, DEF_STEPS);
    int rounds = arg_int(argc, argv, 2, DEF_ROUNDS);
    if (steps < 1 || rounds < 1) {
        puts("usage: nbody [steps [rounds]]");
        return 2;
    }
    u32 sum = CHECKSUM_INIT;
    for (int r = 0; r < rounds; r++) {
        reset();
        double dt = 0.01 / (r + 1);
        double e0 = energy();
        for (int s = 0; s < steps; s++) advance(dt);
        double e1 = energy();
        /* sqrt_newton against the square of its result: within a few units in the last place */
        double q = sqrt_newton(2.0 + r);
        if (fabs_(q * q - (2.0 + r)) > 1e-15 * (2.0 + r)) FAIL("nbody", "sqrt(%d) squared is off", 2 + r);
        if (fabs_(e1 - e0) > 1e-3 * fabs_(e0))
            FAIL("nbody", "round %d: energy drifted from %08x%08x to %08x%08x", r,
                 (u32)(bits64(e0) >> 32), (u32)bits64(e0), (u32)(bits64(e1) >> 32), (u32)bits64(e1));
        for (int i = 0; i < NB; i++)
            sum = mix64(mix64(mix64(sum, bits64(bodies[i].x)), bits64(bodies[i].y)), bits64(bodies[i].z));
        sum = mix64(sum, bits64(e1));
    }
    if (steps == DEF_STEPS && rounds == DEF_ROUNDS && sum != EXPECT)
        FAIL("nbody", "checksum %08x, expected %08x", sum, EXPECT);
    printf("nbody: 5 bodies, %d steps x%d, checksum %08x\n", steps, rounds, sum);
    return 0;
}
