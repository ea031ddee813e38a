/* embedded.c - lookup in the embedded file tables; see embedded.h. */
#include "embedded.h"

#include <string.h>

const embedded_file *embedded_find(const embedded_file *table, const char *name)
{
    /* Tables are small (tens of files); a binary search keeps it cheap. */
    size_t n = 0;
    while (table[n].name)
        n++;
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(table[mid].name, name);
        if (c == 0)
            return &table[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}
