/* SPDX-License-Identifier: BSD-3-Clause */

#ifndef _RTE_MEMPOOL_H_
#define _RTE_MEMPOOL_H_

/**
 * @file
 * Pools of fixed-size objects in DMA-able memory.
 *
 * A mempool is a set of equal-sized objects carved out of one or more
 * memory chunks. Free objects are kept by a handler (the "ops", by default
 * a ring) and, in front of it, in a small per-lcore cache, so that most
 * get/put calls touch no shared state.
 *
 * Object layout: [struct rte_mempool_objhdr | object | trailer]; the header
 * records the owning pool and the object's IOVA. Unless the pool has
 * RTE_MEMPOOL_F_NO_IOVA_CONTIG, every object is IOVA-contiguous: the
 * default population takes one IOVA-contiguous memzone when it can, and
 * otherwise fills the memory page by page so that an object never
 * straddles two pages whose IOVAs are not consecutive.
 *
 * The pool header lives in a memzone named RTE_MEMPOOL_MZ_PREFIX + name,
 * so that every process of the same --file-prefix finds it with
 * rte_mempool_lookup(). Handlers are found by index in a per-process ops
 * table, so processes must register the same handlers in the same order
 * (they do when they are the same program).
 */

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/queue.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_compat.h>
#include <rte_config.h>
#include <rte_debug.h>
#include <rte_lcore.h>
#include <rte_memory.h>
#include <rte_memzone.h>
#include <rte_ring.h>
#include <rte_spinlock.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef RTE_STAILQ_HEAD
/** Singly-linked tail queue head (sys/queue.h STAILQ). */
#define RTE_STAILQ_HEAD(name, type) STAILQ_HEAD(name, type)
/** Singly-linked tail queue link (sys/queue.h STAILQ). */
#define RTE_STAILQ_ENTRY(type) STAILQ_ENTRY(type)
#endif

/** Debug cookies (the project builds without mempool debug). */
#define RTE_MEMPOOL_HEADER_COOKIE1 0xbadbadbadadd2e55ULL
/** Debug cookie. */
#define RTE_MEMPOOL_HEADER_COOKIE2 0xf2eef2eedadd2e55ULL
/** Debug cookie. */
#define RTE_MEMPOOL_TRAILER_COOKIE 0xadd2e55badbadbadULL

/**
 * Per-lcore cache of free objects. A put beyond flushthresh sends the
 * cache's contents to the pool; a get from an empty cache refills it.
 */
struct rte_mempool_cache {
	uint32_t size;        /**< target fill level */
	uint32_t flushthresh; /**< fill level that triggers a flush */
	uint32_t len;         /**< objects in the cache */
	/** Room for up to twice the largest cache size. */
	void *objs[RTE_MEMPOOL_CACHE_MAX_SIZE * 2] __rte_cache_aligned;
} __rte_cache_aligned;

/** Sizes of one object and of its header and trailer. */
struct rte_mempool_objsz {
	uint32_t elt_size;     /**< object size */
	uint32_t header_size;  /**< bytes before the object */
	uint32_t trailer_size; /**< bytes after the object */
	uint32_t total_size;   /**< header + object + trailer */
};

/** Prefix of the memzones of a mempool. */
#define RTE_MEMPOOL_MZ_PREFIX "MP_"
/** Size of a mempool name, terminating NUL included. */
#define RTE_MEMPOOL_NAMESIZE (RTE_RING_NAMESIZE - sizeof(RTE_MEMPOOL_MZ_PREFIX) + 1)
/** Memzone name of the pool header: "MP_<name>". */
#define RTE_MEMPOOL_MZ_FORMAT RTE_MEMPOOL_MZ_PREFIX "%s"

#ifndef RTE_MEMPOOL_ALIGN
/** Alignment of objects and chunks. */
#define RTE_MEMPOOL_ALIGN RTE_CACHE_LINE_SIZE
#endif
/** RTE_MEMPOOL_ALIGN - 1. */
#define RTE_MEMPOOL_ALIGN_MASK (RTE_MEMPOOL_ALIGN - 1)

struct rte_mempool;

/** Header in front of every object. */
struct rte_mempool_objhdr {
	RTE_STAILQ_ENTRY(rte_mempool_objhdr) next; /**< next object of the pool */
	struct rte_mempool *mp;  /**< owning pool */
	rte_iova_t iova;         /**< IOVA of the object, or RTE_BAD_IOVA */
};

/** List of object headers. */
RTE_STAILQ_HEAD(rte_mempool_objhdr_list, rte_mempool_objhdr);

/** List of memory chunks. */
RTE_STAILQ_HEAD(rte_mempool_memhdr_list, rte_mempool_memhdr);

struct rte_mempool_memhdr;

/** Called for a chunk when its pool is freed (or its population fails). */
typedef void (rte_mempool_memchunk_free_cb_t)(struct rte_mempool_memhdr *memhdr,
	void *opaque);

/** One memory chunk of a pool: VA-contiguous and IOVA-contiguous. */
struct rte_mempool_memhdr {
	RTE_STAILQ_ENTRY(rte_mempool_memhdr) next; /**< next chunk */
	struct rte_mempool *mp;  /**< owning pool */
	void *addr;              /**< VA of the chunk */
	rte_iova_t iova;         /**< IOVA of the chunk, or RTE_BAD_IOVA */
	size_t len;              /**< length */
	rte_mempool_memchunk_free_cb_t *free_cb; /**< release callback or NULL */
	void *opaque;            /**< argument of free_cb */
};

/** What a handler tells about its pool. */
struct rte_mempool_info {
	/** Objects per contiguous block (0: no block dequeue). */
	unsigned int contig_block_size;
} __rte_cache_aligned;

/** A mempool. */
struct rte_mempool {
	char name[RTE_MEMPOOL_NAMESIZE]; /**< pool name */
	RTE_STD_C11
	union {
		void *pool_data;         /**< handler data (the ring) */
		uint64_t pool_id;        /**< handler pool id */
	};
	void *pool_config;               /**< argument of the handler's alloc */
	const struct rte_memzone *mz;    /**< memzone of this header */
	unsigned int flags;              /**< RTE_MEMPOOL_F_* */
	int socket_id;                   /**< socket given at creation */
	uint32_t size;                   /**< most objects the pool holds */
	uint32_t cache_size;             /**< per-lcore cache size */
	uint32_t elt_size;               /**< object size */
	uint32_t header_size;            /**< bytes before each object */
	uint32_t trailer_size;           /**< bytes after each object */
	unsigned int private_data_size;  /**< bytes of private data */
	/** Index of the handler in rte_mempool_ops_table (an index, not a
	 * pointer, so that every process can use the pool). */
	int32_t ops_index;
	struct rte_mempool_cache *local_cache; /**< per-lcore caches */
	uint32_t populated_size;         /**< objects added so far */
	struct rte_mempool_objhdr_list elt_list; /**< every object */
	uint32_t nb_mem_chunks;          /**< number of chunks */
	struct rte_mempool_memhdr_list mem_list; /**< every chunk */
} __rte_cache_aligned;

/** Do not pad objects to spread them over memory channels. */
#define RTE_MEMPOOL_F_NO_SPREAD 0x0001
/** Old name of RTE_MEMPOOL_F_NO_SPREAD. */
#define MEMPOOL_F_NO_SPREAD RTE_MEMPOOL_F_NO_SPREAD
/** Do not align objects on cache lines (implies NO_SPREAD). */
#define RTE_MEMPOOL_F_NO_CACHE_ALIGN 0x0002
/** Old name of RTE_MEMPOOL_F_NO_CACHE_ALIGN. */
#define MEMPOOL_F_NO_CACHE_ALIGN RTE_MEMPOOL_F_NO_CACHE_ALIGN
/** Default put is single-producer. */
#define RTE_MEMPOOL_F_SP_PUT 0x0004
/** Old name of RTE_MEMPOOL_F_SP_PUT. */
#define MEMPOOL_F_SP_PUT RTE_MEMPOOL_F_SP_PUT
/** Default get is single-consumer. */
#define RTE_MEMPOOL_F_SC_GET 0x0008
/** Old name of RTE_MEMPOOL_F_SC_GET. */
#define MEMPOOL_F_SC_GET RTE_MEMPOOL_F_SC_GET
/** Internal: the handler's pool exists (set by the first population). */
#define RTE_MEMPOOL_F_POOL_CREATED 0x0010
/** Objects need not be IOVA-contiguous (their IOVA is not recorded). */
#define RTE_MEMPOOL_F_NO_IOVA_CONTIG 0x0020
/** Old name of RTE_MEMPOOL_F_NO_IOVA_CONTIG. */
#define MEMPOOL_F_NO_IOVA_CONTIG RTE_MEMPOOL_F_NO_IOVA_CONTIG
/** Internal: no object of the pool has an IOVA, none can be used for DMA. */
#define RTE_MEMPOOL_F_NON_IO 0x0040

/** Flags a caller may pass at creation. */
#define RTE_MEMPOOL_VALID_USER_FLAGS (RTE_MEMPOOL_F_NO_SPREAD \
	| RTE_MEMPOOL_F_NO_CACHE_ALIGN \
	| RTE_MEMPOOL_F_SP_PUT \
	| RTE_MEMPOOL_F_SC_GET \
	| RTE_MEMPOOL_F_NO_IOVA_CONTIG)

/** Statistics are not compiled in; kept for source compatibility. */
#define RTE_MEMPOOL_STAT_ADD(mp, name, n) do {} while (0)
/** Statistics are not compiled in; kept for source compatibility. */
#define RTE_MEMPOOL_CACHE_STAT_ADD(cache, name, n) do {} while (0)

/** Bytes of the pool header memzone before the private data. */
#define RTE_MEMPOOL_HEADER_SIZE(mp, cs) \
	(sizeof(*(mp)) + (((cs) == 0) ? 0 : \
	(sizeof(struct rte_mempool_cache) * RTE_MAX_LCORE)))

/** @internal The header of object @p obj. */
static inline struct rte_mempool_objhdr *
rte_mempool_get_header(void *obj)
{
	return (struct rte_mempool_objhdr *)RTE_PTR_SUB(obj,
		sizeof(struct rte_mempool_objhdr));
}

/**
 * @return
 *   The pool that object @p obj belongs to.
 */
static inline struct rte_mempool *
rte_mempool_from_obj(void *obj)
{
	return rte_mempool_get_header(obj)->mp;
}

/**
 * Check object cookies (a no-op: the project builds without mempool debug).
 */
void rte_mempool_check_cookies(const struct rte_mempool *mp,
	void * const *obj_table_const, unsigned int n, int free);

/** Cookie check hook (compiled out). */
#define RTE_MEMPOOL_CHECK_COOKIES(mp, obj_table_const, n, free) do {} while (0)

/** Block cookie check (a no-op). */
void rte_mempool_contig_blocks_check_cookies(const struct rte_mempool *mp,
	void * const *first_obj_table_const, unsigned int n, int free);

/** Block cookie check hook (compiled out). */
#define RTE_MEMPOOL_CONTIG_BLOCKS_CHECK_COOKIES(mp, first_obj_table_const, n, free) \
	do {} while (0)

/** Size of a handler name, terminating NUL included. */
#define RTE_MEMPOOL_OPS_NAMESIZE 32

/** Create the handler's pool for @p mp; 0 or -errno. */
typedef int (*rte_mempool_alloc_t)(struct rte_mempool *mp);
/** Free the handler's pool. */
typedef void (*rte_mempool_free_t)(struct rte_mempool *mp);
/** Store @p n objects; 0 or -errno (all or none). */
typedef int (*rte_mempool_enqueue_t)(struct rte_mempool *mp,
		void * const *obj_table, unsigned int n);
/** Take @p n objects; 0 or -errno (all or none). */
typedef int (*rte_mempool_dequeue_t)(struct rte_mempool *mp,
		void **obj_table, unsigned int n);
/** Take @p n contiguous blocks; 0 or -errno. */
typedef int (*rte_mempool_dequeue_contig_blocks_t)(struct rte_mempool *mp,
		 void **first_obj_table, unsigned int n);
/** @return the objects the handler holds. */
typedef unsigned int (*rte_mempool_get_count)(const struct rte_mempool *mp);

/**
 * Memory needed for @p obj_num objects when pages are 2^pg_shift bytes
 * (pg_shift 0: the memory is IOVA-contiguous or IOVA does not matter).
 * Sets *min_chunk_size (the smallest chunk worth populating) and *align
 * (alignment the memory should have). @return bytes or -errno.
 */
typedef ssize_t (*rte_mempool_calc_mem_size_t)(const struct rte_mempool *mp,
		uint32_t obj_num, uint32_t pg_shift,
		size_t *min_chunk_size, size_t *align);

/**
 * Default calc_mem_size with @p chunk_reserve bytes kept free in every
 * chunk. With a page size, each page is filled with whole objects only, and
 * the memory must then start on a page boundary (*align is the page size).
 */
ssize_t rte_mempool_op_calc_mem_size_helper(const struct rte_mempool *mp,
		uint32_t obj_num, uint32_t pg_shift, size_t chunk_reserve,
		size_t *min_chunk_size, size_t *align);

/** The default calc_mem_size handler. */
ssize_t rte_mempool_op_calc_mem_size_default(const struct rte_mempool *mp,
		uint32_t obj_num, uint32_t pg_shift,
		size_t *min_chunk_size, size_t *align);

/** Called for each object a populate handler lays out. */
typedef void (rte_mempool_populate_obj_cb_t)(struct rte_mempool *mp,
		void *opaque, void *vaddr, rte_iova_t iova);

/**
 * Lay out up to @p max_objs objects in [vaddr, vaddr + len), IOVA @p iova
 * for vaddr (or RTE_BAD_IOVA), calling @p obj_cb for each. @return the
 * number of objects or -errno.
 */
typedef int (*rte_mempool_populate_t)(struct rte_mempool *mp,
		unsigned int max_objs,
		void *vaddr, rte_iova_t iova, size_t len,
		rte_mempool_populate_obj_cb_t *obj_cb, void *obj_cb_arg);

/** Align each object (not its header) on the total object size. */
#define RTE_MEMPOOL_POPULATE_F_ALIGN_OBJ 0x0001

/** Default populate, with RTE_MEMPOOL_POPULATE_F_* @p flags. */
int rte_mempool_op_populate_helper(struct rte_mempool *mp,
		unsigned int flags, unsigned int max_objs,
		void *vaddr, rte_iova_t iova, size_t len,
		rte_mempool_populate_obj_cb_t *obj_cb, void *obj_cb_arg);

/** The default populate handler: objects packed one after another. */
int rte_mempool_op_populate_default(struct rte_mempool *mp,
		unsigned int max_objs,
		void *vaddr, rte_iova_t iova, size_t len,
		rte_mempool_populate_obj_cb_t *obj_cb, void *obj_cb_arg);

/** Fill @p info; 0 or -errno. */
typedef int (*rte_mempool_get_info_t)(const struct rte_mempool *mp,
		struct rte_mempool_info *info);

/** A mempool handler. */
struct rte_mempool_ops {
	char name[RTE_MEMPOOL_OPS_NAMESIZE]; /**< handler name */
	rte_mempool_alloc_t alloc;           /**< create the pool (required) */
	rte_mempool_free_t free;             /**< free the pool */
	rte_mempool_enqueue_t enqueue;       /**< store objects (required) */
	rte_mempool_dequeue_t dequeue;       /**< take objects (required) */
	rte_mempool_get_count get_count;     /**< count objects (required) */
	rte_mempool_calc_mem_size_t calc_mem_size; /**< optional */
	rte_mempool_populate_t populate;     /**< optional */
	rte_mempool_get_info_t get_info;     /**< optional */
	rte_mempool_dequeue_contig_blocks_t dequeue_contig_blocks; /**< optional */
} __rte_cache_aligned;

/** Most handlers one process can register. */
#define RTE_MEMPOOL_MAX_OPS_IDX 16

/** The handlers of this process. */
struct rte_mempool_ops_table {
	rte_spinlock_t sl;  /**< protects registration */
	uint32_t num_ops;   /**< registered handlers */
	struct rte_mempool_ops ops[RTE_MEMPOOL_MAX_OPS_IDX]; /**< handlers */
} __rte_cache_aligned;

/** The handler table of this process. */
extern struct rte_mempool_ops_table rte_mempool_ops_table;

/**
 * @return
 *   The handler at @p ops_index.
 */
static inline struct rte_mempool_ops *
rte_mempool_get_ops(int ops_index)
{
	RTE_VERIFY(ops_index >= 0 && ops_index < RTE_MEMPOOL_MAX_OPS_IDX);
	return &rte_mempool_ops_table.ops[ops_index];
}

/** @internal Create the handler's pool. @return 0 or -errno. */
int rte_mempool_ops_alloc(struct rte_mempool *mp);

/** @internal Take @p n objects from the handler. @return 0 or -errno. */
static inline int
rte_mempool_ops_dequeue_bulk(struct rte_mempool *mp, void **obj_table,
		unsigned int n)
{
	return rte_mempool_get_ops(mp->ops_index)->dequeue(mp, obj_table, n);
}

/** @internal Take @p n blocks from the handler. @return 0 or -errno. */
static inline int
rte_mempool_ops_dequeue_contig_blocks(struct rte_mempool *mp,
		void **first_obj_table, unsigned int n)
{
	struct rte_mempool_ops *ops = rte_mempool_get_ops(mp->ops_index);

	if (ops->dequeue_contig_blocks == NULL)
		return -ENOTSUP;
	return ops->dequeue_contig_blocks(mp, first_obj_table, n);
}

/** @internal Give @p n objects to the handler. @return 0 or -errno. */
static inline int
rte_mempool_ops_enqueue_bulk(struct rte_mempool *mp, void * const *obj_table,
		unsigned int n)
{
	return rte_mempool_get_ops(mp->ops_index)->enqueue(mp, obj_table, n);
}

/** @internal @return the objects the handler holds. */
unsigned int rte_mempool_ops_get_count(const struct rte_mempool *mp);

/** @internal The handler's calc_mem_size, or the default one. */
ssize_t rte_mempool_ops_calc_mem_size(const struct rte_mempool *mp,
		uint32_t obj_num, uint32_t pg_shift,
		size_t *min_chunk_size, size_t *align);

/** @internal The handler's populate, or the default one. */
int rte_mempool_ops_populate(struct rte_mempool *mp, unsigned int max_objs,
		void *vaddr, rte_iova_t iova, size_t len,
		rte_mempool_populate_obj_cb_t *obj_cb, void *obj_cb_arg);

/**
 * Ask the handler about the pool.
 *
 * @return
 *   0, -EINVAL (NULL argument) or -ENOTSUP (the handler has no get_info).
 */
int rte_mempool_ops_get_info(const struct rte_mempool *mp,
		struct rte_mempool_info *info);

/** @internal Free the handler's pool. */
void rte_mempool_ops_free(struct rte_mempool *mp);

/**
 * Choose the handler of a pool that has not been populated yet.
 *
 * @param mp
 *   The pool.
 * @param name
 *   Handler name ("ring_mp_mc", "ring_sp_sc", "ring_mp_sc", "ring_sp_mc"
 *   or any registered one).
 * @param pool_config
 *   Argument for the handler's alloc.
 * @return
 *   0, -EEXIST (the pool is already populated) or -EINVAL (unknown name).
 */
int rte_mempool_set_ops_byname(struct rte_mempool *mp, const char *name,
		void *pool_config);

/**
 * Register a handler in this process.
 *
 * @return
 *   Its index, -EINVAL (missing callback, bad name), -EEXIST (name taken)
 *   or -ENOSPC (table full).
 */
int rte_mempool_register_ops(const struct rte_mempool_ops *ops);

/** Register handler @p ops at start-up. */
#define RTE_MEMPOOL_REGISTER_OPS(ops) \
	RTE_INIT(mp_hdlr_init_##ops) \
	{ \
		rte_mempool_register_ops(&ops); \
	}

/** Called for each object by rte_mempool_create() and rte_mempool_obj_iter(). */
typedef void (rte_mempool_obj_cb_t)(struct rte_mempool *mp,
		void *opaque, void *obj, unsigned int obj_idx);
/** Old name of rte_mempool_obj_cb_t. */
typedef rte_mempool_obj_cb_t rte_mempool_obj_ctor_t;

/** Called for each chunk by rte_mempool_mem_iter(). */
typedef void (rte_mempool_mem_cb_t)(struct rte_mempool *mp,
		void *opaque, struct rte_mempool_memhdr *memhdr,
		unsigned int mem_idx);

/** Called once by rte_mempool_create() before the objects are initialised. */
typedef void (rte_mempool_ctor_t)(struct rte_mempool *, void *);

/**
 * Create and populate a mempool of @p n objects of @p elt_size bytes
 * (rte_mempool_create_empty(), the default ring handler for @p flags,
 * rte_mempool_populate_default(), then @p mp_init and @p obj_init).
 *
 * @param name
 *   Pool name, shorter than RTE_MEMPOOL_NAMESIZE.
 * @param n
 *   Number of objects (best 2^q - 1).
 * @param elt_size
 *   Object size.
 * @param cache_size
 *   Per-lcore cache size: 0 (no cache) or up to RTE_MEMPOOL_CACHE_MAX_SIZE
 *   and n / 1.5.
 * @param private_data_size
 *   Bytes of private data after the pool header.
 * @param mp_init
 *   Called once with @p mp_init_arg, or NULL.
 * @param mp_init_arg
 *   Argument of @p mp_init.
 * @param obj_init
 *   Called for every object with @p obj_init_arg, or NULL.
 * @param obj_init_arg
 *   Argument of @p obj_init.
 * @param socket_id
 *   NUMA socket of the memory, or SOCKET_ID_ANY.
 * @param flags
 *   RTE_MEMPOOL_F_NO_SPREAD, _NO_CACHE_ALIGN, _SP_PUT, _SC_GET, _NO_IOVA_CONTIG.
 * @return
 *   The pool, or NULL with rte_errno set: EINVAL (bad cache size, count or
 *   flags), ENAMETOOLONG, EEXIST (name in use), ENOSPC (no memzone slot),
 *   ENOMEM.
 */
struct rte_mempool *
rte_mempool_create(const char *name, unsigned int n, unsigned int elt_size,
		unsigned int cache_size, unsigned int private_data_size,
		rte_mempool_ctor_t *mp_init, void *mp_init_arg,
		rte_mempool_obj_cb_t *obj_init, void *obj_init_arg,
		int socket_id, unsigned int flags);

/**
 * Create a mempool without memory for its objects; add memory with the
 * rte_mempool_populate_*() functions. The handler is the ring one that
 * matches RTE_MEMPOOL_F_SP_PUT / _SC_GET until rte_mempool_set_ops_byname().
 *
 * @return
 *   The pool, or NULL with rte_errno set as for rte_mempool_create().
 */
struct rte_mempool *
rte_mempool_create_empty(const char *name, unsigned int n,
		unsigned int elt_size, unsigned int cache_size,
		unsigned int private_data_size, int socket_id, unsigned int flags);

/**
 * Free a pool: its chunks (through their free callbacks), its handler's
 * pool and its header. Objects must no longer be in use. NULL is a no-op.
 *
 * @param mp
 *   The pool.
 */
void rte_mempool_free(struct rte_mempool *mp);

/**
 * Add an IOVA-contiguous chunk of memory to a pool.
 *
 * @param mp
 *   The pool.
 * @param vaddr
 *   VA of the chunk.
 * @param iova
 *   IOVA of @p vaddr, or RTE_BAD_IOVA.
 * @param len
 *   Length of the chunk.
 * @param free_cb
 *   Called when the pool is freed, or NULL.
 * @param opaque
 *   Argument of @p free_cb.
 * @return
 *   Objects added (> 0); 0 if not even one object fits (the chunk is not
 *   added); -ENOSPC (the pool is full), -ENOMEM, or another -errno from
 *   the handler.
 */
int rte_mempool_populate_iova(struct rte_mempool *mp, char *vaddr,
	rte_iova_t iova, size_t len, rte_mempool_memchunk_free_cb_t *free_cb,
	void *opaque);

/**
 * Add a VA-contiguous area of memory to a pool. The area is split into
 * runs of IOVA-contiguous pages of @p pg_sz bytes, each added with
 * rte_mempool_populate_iova(), so that no object straddles pages whose
 * IOVAs are not consecutive.
 *
 * @param mp
 *   The pool.
 * @param addr
 *   Start of the area.
 * @param len
 *   Length of the area.
 * @param pg_sz
 *   Page size of the area, a power of 2.
 * @param free_cb
 *   Called once for the area when the pool is freed, or NULL.
 * @param opaque
 *   Argument of @p free_cb.
 * @return
 *   Objects added (> 0); 0 if not even one object fits; -EINVAL (bad
 *   page size), -ENOSPC (the pool is full) or -ENOMEM.
 */
int rte_mempool_populate_virt(struct rte_mempool *mp, char *addr,
	size_t len, size_t pg_sz, rte_mempool_memchunk_free_cb_t *free_cb,
	void *opaque);

/**
 * Add memzone memory for every object of the pool: first as one
 * IOVA-contiguous memzone, and if that cannot be had, as memzones filled
 * page by page using the smallest page size (no object straddles pages).
 * With RTE_MEMPOOL_F_NO_IOVA_CONTIG, or in IOVA-as-VA mode, any memory
 * will do.
 *
 * @param mp
 *   The pool.
 * @return
 *   The number of objects of the pool, or -errno: -EEXIST (already
 *   populated), -ENAMETOOLONG, -ENOMEM, -ENOSPC.
 */
int rte_mempool_populate_default(struct rte_mempool *mp);

/**
 * Add memory for every object of the pool from a locked anonymous
 * mapping (not shared with other processes; IOVA per system page).
 *
 * @param mp
 *   The pool.
 * @return
 *   The number of objects of the pool, or 0 with rte_errno set.
 */
int rte_mempool_populate_anon(struct rte_mempool *mp);

/**
 * Call @p obj_cb for every object of the pool, in population order.
 *
 * @return
 *   The number of objects.
 */
uint32_t rte_mempool_obj_iter(struct rte_mempool *mp,
	rte_mempool_obj_cb_t *obj_cb, void *obj_cb_arg);

/**
 * Call @p mem_cb for every memory chunk of the pool.
 *
 * @return
 *   The number of chunks.
 */
uint32_t rte_mempool_mem_iter(struct rte_mempool *mp,
	rte_mempool_mem_cb_t *mem_cb, void *mem_cb_arg);

/**
 * Print a pool's parameters, chunks and counters.
 *
 * @param f
 *   Output stream.
 * @param mp
 *   The pool.
 */
void rte_mempool_dump(FILE *f, struct rte_mempool *mp);

/**
 * Create a cache for use with the rte_mempool_generic_*() functions by a
 * thread that has no lcore cache (or wants its own).
 *
 * @param size
 *   Cache size, 1 to RTE_MEMPOOL_CACHE_MAX_SIZE.
 * @param socket_id
 *   NUMA socket of the memory.
 * @return
 *   The cache, or NULL with rte_errno EINVAL or ENOMEM.
 */
struct rte_mempool_cache *
rte_mempool_cache_create(uint32_t size, int socket_id);

/**
 * Free a cache from rte_mempool_cache_create(); flush it first. NULL is
 * a no-op.
 */
void rte_mempool_cache_free(struct rte_mempool_cache *cache);

/**
 * @return
 *   The cache of lcore @p lcore_id for @p mp, or NULL (no cache, or not
 *   an lcore).
 */
static __rte_always_inline struct rte_mempool_cache *
rte_mempool_default_cache(struct rte_mempool *mp, unsigned int lcore_id)
{
	if (mp->cache_size == 0 || lcore_id >= RTE_MAX_LCORE)
		return NULL;
	return &mp->local_cache[lcore_id];
}

/**
 * Give every object of @p cache back to the pool. NULL @p cache means the
 * calling lcore's cache.
 */
static __rte_always_inline void
rte_mempool_cache_flush(struct rte_mempool_cache *cache, struct rte_mempool *mp)
{
	if (cache == NULL)
		cache = rte_mempool_default_cache(mp, rte_lcore_id());
	if (cache == NULL || cache->len == 0)
		return;
	rte_mempool_ops_enqueue_bulk(mp, cache->objs, cache->len);
	cache->len = 0;
}

/** @internal Put through @p cache (may be NULL). */
static __rte_always_inline void
rte_mempool_do_generic_put(struct rte_mempool *mp, void * const *obj_table,
		unsigned int n, struct rte_mempool_cache *cache)
{
	unsigned int i;
	void **dst;

	/* bursts larger than the cache would only churn it */
	if (cache == NULL || n > cache->flushthresh) {
		rte_mempool_ops_enqueue_bulk(mp, obj_table, n);
		return;
	}
	if (cache->len + n > cache->flushthresh) {
		rte_mempool_ops_enqueue_bulk(mp, cache->objs, cache->len);
		cache->len = 0;
	}
	dst = &cache->objs[cache->len];
	for (i = 0; i < n; i++)
		dst[i] = obj_table[i];
	cache->len += n;
}

/**
 * Put @p n objects back into the pool through @p cache (NULL: straight to
 * the handler).
 */
static __rte_always_inline void
rte_mempool_generic_put(struct rte_mempool *mp, void * const *obj_table,
		unsigned int n, struct rte_mempool_cache *cache)
{
	rte_mempool_do_generic_put(mp, obj_table, n, cache);
}

/** Put @p n objects back through the calling lcore's cache. */
static __rte_always_inline void
rte_mempool_put_bulk(struct rte_mempool *mp, void * const *obj_table,
		unsigned int n)
{
	rte_mempool_generic_put(mp, obj_table, n,
		rte_mempool_default_cache(mp, rte_lcore_id()));
}

/** Put one object back through the calling lcore's cache. */
static __rte_always_inline void
rte_mempool_put(struct rte_mempool *mp, void *obj)
{
	rte_mempool_put_bulk(mp, &obj, 1);
}

/*
 * @internal Refill @p cache so that it holds at least @p n objects, taking
 * enough to bring it back to its size if the pool has them.
 * @return 0 or -ENOENT (the cache is unchanged).
 */
static __rte_always_inline int
rte_mempool_cache_refill(struct rte_mempool *mp, struct rte_mempool_cache *cache,
		unsigned int n)
{
	unsigned int need = n - cache->len;

	if (rte_mempool_ops_dequeue_bulk(mp, &cache->objs[cache->len],
			need + cache->size) == 0) {
		cache->len += need + cache->size;
		return 0;
	}
	if (rte_mempool_ops_dequeue_bulk(mp, &cache->objs[cache->len], need) == 0) {
		cache->len += need;
		return 0;
	}
	return -ENOENT;
}

/** @internal Get through @p cache (may be NULL). @return 0 or -ENOENT. */
static __rte_always_inline int
rte_mempool_do_generic_get(struct rte_mempool *mp, void **obj_table,
		unsigned int n, struct rte_mempool_cache *cache)
{
	unsigned int i, len;

	if (cache == NULL)
		return rte_mempool_ops_dequeue_bulk(mp, obj_table, n) == 0 ? 0 : -ENOENT;
	if (n > cache->size) {
		/*
		 * Too many for a refill: what this lcore has cached counts as
		 * available, so it goes first and the handler supplies the rest.
		 */
		len = RTE_MIN(cache->len, n);
		if (n > len && rte_mempool_ops_dequeue_bulk(mp, obj_table + len, n - len) != 0)
			return -ENOENT;
		for (i = 0; i < len; i++)
			obj_table[i] = cache->objs[cache->len - 1 - i];
		cache->len -= len;
		return 0;
	}
	if (unlikely(cache->len < n) && rte_mempool_cache_refill(mp, cache, n) != 0)
		return -ENOENT;
	/* most recently freed first: they are the likeliest to be in cache */
	len = cache->len;
	for (i = 0; i < n; i++)
		obj_table[i] = cache->objs[len - 1 - i];
	cache->len = len - n;
	return 0;
}

/**
 * Get @p n objects (all or none) through @p cache (NULL: straight from
 * the handler).
 *
 * @return
 *   0, or -ENOENT if the pool (with the cache) has fewer than @p n.
 */
static __rte_always_inline int
rte_mempool_generic_get(struct rte_mempool *mp, void **obj_table,
		unsigned int n, struct rte_mempool_cache *cache)
{
	return rte_mempool_do_generic_get(mp, obj_table, n, cache);
}

/**
 * Get @p n objects (all or none) through the calling lcore's cache.
 *
 * @return
 *   0 or -ENOENT.
 */
static __rte_always_inline int
rte_mempool_get_bulk(struct rte_mempool *mp, void **obj_table, unsigned int n)
{
	return rte_mempool_generic_get(mp, obj_table, n,
		rte_mempool_default_cache(mp, rte_lcore_id()));
}

/**
 * Get one object through the calling lcore's cache.
 *
 * @return
 *   0 or -ENOENT.
 */
static __rte_always_inline int
rte_mempool_get(struct rte_mempool *mp, void **obj_p)
{
	return rte_mempool_get_bulk(mp, obj_p, 1);
}

/**
 * Get @p n contiguous blocks of objects, if the handler supports it.
 *
 * @return
 *   0, -ENOTSUP or another -errno from the handler.
 */
static __rte_always_inline int
rte_mempool_get_contig_blocks(struct rte_mempool *mp,
		void **first_obj_table, unsigned int n)
{
	return rte_mempool_ops_dequeue_contig_blocks(mp, first_obj_table, n);
}

/**
 * @return
 *   Free objects: in the handler plus in every lcore cache.
 */
unsigned int rte_mempool_avail_count(const struct rte_mempool *mp);

/**
 * @return
 *   Objects currently taken from the pool.
 */
unsigned int rte_mempool_in_use_count(const struct rte_mempool *mp);

/**
 * @return
 *   1 if every object is free, else 0.
 */
static inline int
rte_mempool_full(const struct rte_mempool *mp)
{
	return rte_mempool_avail_count(mp) == mp->size;
}

/**
 * @return
 *   1 if no object is free, else 0.
 */
static inline int
rte_mempool_empty(const struct rte_mempool *mp)
{
	return rte_mempool_avail_count(mp) == 0;
}

/**
 * @return
 *   The IOVA of object @p elt, or RTE_BAD_IOVA.
 */
static inline rte_iova_t
rte_mempool_virt2iova(const void *elt)
{
	const struct rte_mempool_objhdr *hdr = (const struct rte_mempool_objhdr *)
		RTE_PTR_SUB(elt, sizeof(*hdr));

	return hdr->iova;
}

/**
 * Check a pool's counters and caches; panics if they are inconsistent.
 */
void rte_mempool_audit(struct rte_mempool *mp);

/**
 * @return
 *   The private data area after the pool header.
 */
static inline void *
rte_mempool_get_priv(struct rte_mempool *mp)
{
	return (char *)mp + RTE_MEMPOOL_HEADER_SIZE(mp, mp->cache_size);
}

/** Print every mempool. */
void rte_mempool_list_dump(FILE *f);

/**
 * Find a mempool by name, in this or another process.
 *
 * @return
 *   The pool, or NULL with rte_errno ENOENT.
 */
struct rte_mempool *rte_mempool_lookup(const char *name);

/**
 * Object sizes for @p elt_size and RTE_MEMPOOL_F_* @p flags.
 *
 * @param sz
 *   If not NULL, receives the header, object and trailer sizes.
 * @return
 *   The total size of one object.
 */
uint32_t rte_mempool_calc_obj_size(uint32_t elt_size, uint32_t flags,
	struct rte_mempool_objsz *sz);

/**
 * Call @p func for every mempool (with the mempool list read-locked: @p
 * func must not create or free pools).
 */
void rte_mempool_walk(void (*func)(struct rte_mempool *, void *arg),
		      void *arg);

/**
 * Page size the default population must respect for @p mp: 0 if objects
 * may straddle pages (RTE_MEMPOOL_F_NO_IOVA_CONTIG or IOVA-as-VA), else
 * the smallest page size of the pool's socket.
 *
 * @return
 *   0 or -EINVAL.
 */
__rte_experimental
int rte_mempool_get_page_size(struct rte_mempool *mp, size_t *pg_sz);

/** Mempool life-cycle events. */
enum rte_mempool_event {
	/** The pool has just been fully populated. */
	RTE_MEMPOOL_EVENT_READY = 0,
	/** The pool is about to be destroyed. */
	RTE_MEMPOOL_EVENT_DESTROY = 1,
};

/**
 * @internal
 * A life-cycle callback. It may register other callbacks (they are not
 * called for the event in progress) and may unregister itself.
 */
typedef void (rte_mempool_event_callback)(enum rte_mempool_event event,
		struct rte_mempool *mp, void *user_data);

/**
 * @internal
 * Call @p func with @p user_data on every life-cycle event of any pool
 * in this process (registration is per process).
 *
 * @return
 *   0, or -EINVAL (NULL func), -EEXIST (already registered) or -ENOMEM,
 *   with rte_errno set.
 */
__rte_internal
int rte_mempool_event_callback_register(rte_mempool_event_callback *func,
		void *user_data);

/**
 * @internal
 * Remove a callback registered with the same @p func and @p user_data.
 *
 * @return
 *   0, or -ENOENT with rte_errno set.
 */
__rte_internal
int rte_mempool_event_callback_unregister(rte_mempool_event_callback *func,
		void *user_data);

#ifdef __cplusplus
}
#endif

#endif /* _RTE_MEMPOOL_H_ */
