/* list: linked-list processing. Each round links a pool of nodes in pseudo-random
 * order, looks keys up, reverses the list, merge-sorts it by key (stable), deletes
 * every third node and walks it again. Checked: lookups find the inserted keys,
 * reversal twice restores the order, the sort is ordered, stable and keeps every
 * node, deletion leaves the right count and sum.
 * Usage: list [nodes [rounds]]   (defaults 4000 1200; nodes <= 65536) */
#include "bench.h"

#define MAXN 65536
#define DEF_N 4000
#define DEF_ROUNDS 1200
#define EXPECT 0xd0188f1du

struct node {
    struct node *next;
    s32 key;
    u32 seq; /* insertion position: checks stability */
};

static struct node pool[MAXN];
static u32 order[MAXN];

/* a pseudo-random number in [0, bound) without division: mask and reject */
static u32 below(u32 *seed, u32 bound)
{
    u32 mask = 1;
    while (mask < bound) mask = mask << 1 | 1;
    for (;;) {
        u32 v = rng_next(seed) & mask;
        if (v < bound) return v;
    }
}

static struct node *reverse(struct node *l)
{
    struct node *r = NULL;
    while (l) {
        struct node *n = l->next;
        l->next = r;
        r = l;
        l = n;
    }
    return r;
}

static int position_of(const struct node *l, s32 key)
{
    for (int i = 0; l; l = l->next, i++)
        if (l->key == key) return i;
    return -1;
}

/* bottom-up merge sort on the list, stable: runs of width 1, 2, 4, ... */
static struct node *sort(struct node *l, int n)
{
    for (int width = 1; width < n; width *= 2) {
        struct node *result = NULL, **tail = &result, *rest = l;
        while (rest) {
            struct node *a = rest, *b = a;
            int na = 0, nb = 0;
            while (b && na < width) { b = b->next; na++; }
            rest = b;
            while (rest && nb < width) { rest = rest->next; nb++; }
            while (na > 0 || nb > 0) {
                struct node *take;
                if (nb == 0 || (na > 0 && a->key <= b->key)) { take = a; a = a->next; na--; }
                else { take = b; b = b->next; nb--; }
                *tail = take;
                tail = &take->next;
            }
        }
        *tail = NULL;
        l = result;
    }
    return l;
}

int main(int argc, char **argv)
{
    int n = arg_int(argc, argv, 1, DEF_N);
    int rounds = arg_int(argc, argv, 2, DEF_ROUNDS);
    if (n < 2 || n > MAXN || rounds < 1) {
        puts("usage: list [nodes (2..65536) [rounds]]");
        return 2;
    }
    u32 seed = 0x6b43a9b5u, sum = CHECKSUM_INIT;
    for (int r = 0; r < rounds; r++) {
        /* a random permutation of the pool decides the link order */
        for (int i = 0; i < n; i++) order[i] = (u32)i;
        for (int i = n - 1; i > 0; i--) {
            u32 j = below(&seed, (u32)i + 1);
            u32 t = order[i]; order[i] = order[j]; order[j] = t;
        }
        struct node *head = NULL;
        s32 key_sum = 0;
        for (int i = n - 1; i >= 0; i--) {
            struct node *p = &pool[order[i]];
            p->key = (s32)below(&seed, (u32)n / 2) - n / 4; /* duplicates, negatives */
            p->seq = (u32)i;
            p->next = head;
            head = p;
            key_sum += p->key;
        }
        /* lookups: a key taken from position i is found at position <= i */
        int found = 0;
        for (int i = 0; i < 32; i++) {
            int at = (int)below(&seed, (u32)n);
            s32 key = pool[order[at]].key;
            int pos = position_of(head, key);
            if (pos < 0 || pos > at) FAIL("list", "key %d (position %d) found at %d", key, at, pos);
            found += pos;
        }
        sum = mix32(sum, (u32)found);
        /* reverse twice: the same first node and order */
        struct node *first = head;
        head = reverse(head);
        if (head->seq != (u32)n - 1) FAIL("list", "reverse: head seq %u", head->seq);
        head = reverse(head);
        if (head != first) FAIL("list", "double reverse changed the head");
        /* sort: ordered, stable, complete */
        head = sort(head, n);
        int count = 0;
        s32 ks = 0;
        for (struct node *p = head; p; p = p->next) {
            if (p->next && (p->key > p->next->key || (p->key == p->next->key && p->seq > p->next->seq)))
                FAIL("list", "sort: order broken at node %d", count);
            ks += p->key;
            count++;
            if ((count & 63) == 0) sum = mix32(sum, p->seq);
        }
        if (count != n || ks != key_sum) FAIL("list", "sort lost nodes (%d of %d)", count, n);
        /* delete every third node */
        int kept = 0;
        s32 kept_sum = 0, removed_sum = 0;
        struct node **pp = &head;
        for (int phase = 0; *pp; phase = phase == 2 ? 0 : phase + 1) {
            if (phase == 2) { removed_sum += (*pp)->key; *pp = (*pp)->next; }
            else { kept++; kept_sum += (*pp)->key; pp = &(*pp)->next; }
        }
        if (kept != n - n / 3 || kept_sum + removed_sum != key_sum)
            FAIL("list", "delete: %d nodes kept", kept);
        sum = mix32(sum, (u32)kept_sum);
    }
    if (n == DEF_N && rounds == DEF_ROUNDS && sum != EXPECT)
        FAIL("list", "checksum %08x, expected %08x", sum, EXPECT);
    printf("list: %d nodes x%d, checksum %08x\n", n, rounds, sum);
    return 0;
}
