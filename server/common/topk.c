/* topk.c - bounded selection of the first k items; see topk.h. */
#include "common/topk.h"

#include <string.h>

void topk_init(topk *t, void *items, size_t size, size_t cap, topk_cmp cmp, const void *ctx)
{
    t->items = items;
    t->size = size;
    t->cap = cap;
    t->n = 0;
    t->cmp = cmp;
    t->ctx = ctx;
}

static unsigned char *at(const topk *t, size_t i)
{
    return t->items + i * t->size;
}

/* 1 when item i comes after item j (the worse of the two). */
static int after(const topk *t, size_t i, size_t j)
{
    return t->cmp(at(t, i), at(t, j), t->ctx) > 0;
}

static void swap(topk *t, size_t i, size_t j)
{
    unsigned char *a = at(t, i), *b = at(t, j);
    for (size_t k = 0; k < t->size; k++) {
        unsigned char c = a[k];
        a[k] = b[k];
        b[k] = c;
    }
}

static void sift_up(topk *t, size_t i)
{
    while (i > 0 && after(t, i, (i - 1) / 2)) {
        swap(t, i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
}

static void sift_down(topk *t, size_t i)
{
    for (;;) {
        size_t worst = i, l = 2 * i + 1, r = l + 1;
        if (l < t->n && after(t, l, worst))
            worst = l;
        if (r < t->n && after(t, r, worst))
            worst = r;
        if (worst == i)
            return;
        swap(t, i, worst);
        i = worst;
    }
}

void topk_offer(topk *t, const void *x)
{
    if (t->n < t->cap) {
        memcpy(at(t, t->n), x, t->size);
        sift_up(t, t->n++);
    } else if (t->cap && t->cmp(x, at(t, 0), t->ctx) < 0) {
        memcpy(at(t, 0), x, t->size);
        sift_down(t, 0);
    }
}
