/* topk.h - the first k items of a stream in an order, kept in a heap with
 * the worst kept item on top, so that most items cost one comparison with
 * it. The caller owns the array (room for cap items of `size` bytes) and
 * sorts the n kept at the end. Used where a page or a short list is cut
 * from tens of thousands of workloads. */
#ifndef SY_TOPK_H
#define SY_TOPK_H

#include <stddef.h>

/* Negative when a comes before b, as qsort's, with the caller's context. */
typedef int (*topk_cmp)(const void *a, const void *b, const void *ctx);

typedef struct topk {
    unsigned char *items;
    size_t size, cap, n;
    topk_cmp cmp;
    const void *ctx;
} topk;

void topk_init(topk *t, void *items, size_t size, size_t cap, topk_cmp cmp, const void *ctx);
/* Keeps a copy of x when there is room, or when it comes before the worst
 * kept (which it then replaces). */
void topk_offer(topk *t, const void *x);

#endif
