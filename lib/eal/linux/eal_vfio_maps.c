/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * The table of user DMA mappings of a container (see eal_vfio.h). It is
 * kept sorted by IOVA with neighbours merged, so that an unmap can be
 * checked against one entry.
 */

#include <errno.h>
#include <stdlib.h>

#include "eal_vfio.h"

/* Make room for @p extra more entries. @return 0 or -ENOMEM. */
int
vfio_maps_reserve(struct vfio_map_table *t, unsigned int extra)
{
	unsigned int cap = t->cap;
	struct vfio_user_map *m;

	if (t->n + extra <= cap)
		return 0;
	while (cap < t->n + extra)
		cap = cap == 0 ? 16 : cap * 2;
	m = realloc(t->maps, cap * sizeof(*m));
	if (m == NULL)
		return -ENOMEM;
	t->maps = m;
	t->cap = cap;
	return 0;
}

static int
map_cmp(const void *a, const void *b)
{
	const struct vfio_user_map *x = a, *y = b;

	if (x->iova != y->iova)
		return x->iova < y->iova ? -1 : 1;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return 0;
}

/* Sort, then merge neighbours contiguous in both VA and IOVA. */
void
vfio_maps_compact(struct vfio_map_table *t)
{
	unsigned int i, out = 0;

	if (t->n == 0)
		return;
	qsort(t->maps, t->n, sizeof(t->maps[0]), map_cmp);
	for (i = 1; i < t->n; i++) {
		struct vfio_user_map *prev = &t->maps[out];
		const struct vfio_user_map *cur = &t->maps[i];

		if (prev->addr + prev->len == cur->addr && prev->iova + prev->len == cur->iova)
			prev->len += cur->len;
		else
			t->maps[++out] = *cur;
	}
	t->n = out + 1;
}

/* @return the entry that holds the whole range, or NULL. */
struct vfio_user_map *
vfio_maps_find(struct vfio_map_table *t, uint64_t vaddr, uint64_t iova, uint64_t len)
{
	unsigned int i;

	for (i = 0; i < t->n; i++) {
		struct vfio_user_map *m = &t->maps[i];

		if (iova >= m->iova && iova + len <= m->iova + m->len &&
				vaddr - m->addr == iova - m->iova)
			return m;
	}
	return NULL;
}

/*
 * Take [vaddr, vaddr + len) out of entry @p m (room for a split is
 * reserved) and report the pieces that stay in @p keep.
 * @return the number of pieces (0-2).
 */
int
vfio_maps_cut(struct vfio_map_table *t, struct vfio_user_map *m, uint64_t vaddr,
		uint64_t len, struct vfio_user_map keep[2])
{
	uint64_t head = vaddr - m->addr;
	uint64_t tail = m->addr + m->len - (vaddr + len);
	struct vfio_user_map rest = {
		.addr = vaddr + len,
		.iova = m->iova + head + len,
		.len = tail,
	};
	int n = 0;

	if (head != 0)
		keep[n++] = (struct vfio_user_map){ .addr = m->addr, .iova = m->iova, .len = head };
	if (tail != 0)
		keep[n++] = rest;
	if (head == 0 && tail == 0) {
		*m = t->maps[--t->n];
	} else if (head == 0) {
		*m = rest;
	} else {
		m->len = head;
		if (tail != 0)
			t->maps[t->n++] = rest;
	}
	vfio_maps_compact(t);
	return n;
}

void
vfio_maps_free(struct vfio_map_table *t)
{
	free(t->maps);
	t->maps = NULL;
	t->n = 0;
	t->cap = 0;
}
