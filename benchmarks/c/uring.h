/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A minimal io_uring for the C baseline, on the raw system calls (no liburing): one ring, its SQ and CQ
 * mapped once, SQEs filled in place, one io_uring_enter per batch that submits and waits for all of it.
 */
#ifndef BENCH_URING_H
#define BENCH_URING_H

#include <errno.h>
#include <linux/io_uring.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

struct ring {
    int fd;
    unsigned entries;
    unsigned *sq_head, *sq_tail, *sq_mask, *sq_array;
    unsigned *cq_head, *cq_tail, *cq_mask;
    struct io_uring_sqe *sqes;
    struct io_uring_cqe *cqes;
};

static inline int ring_init(struct ring *r, unsigned entries, int tun_fd) {
    struct io_uring_params p = {0};
    r->fd = (int)syscall(__NR_io_uring_setup, entries, &p);
    if (r->fd < 0) return -1;
    r->entries = p.sq_entries;
    size_t sq_size = p.sq_off.array + p.sq_entries * sizeof(unsigned);
    size_t cq_size = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
    if (cq_size > sq_size) sq_size = cq_size; /* IORING_FEAT_SINGLE_MMAP: one mapping holds both rings */
    uint8_t *sq = mmap(0, sq_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQ_RING);
    if (sq == MAP_FAILED) return -1;
    uint8_t *cq = sq;
    if (!(p.features & IORING_FEAT_SINGLE_MMAP)) {
        cq = mmap(0, cq_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_CQ_RING);
        if (cq == MAP_FAILED) return -1;
    }
    r->sqes = mmap(0, p.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
                   r->fd, IORING_OFF_SQES);
    if (r->sqes == MAP_FAILED) return -1;
    r->sq_head = (unsigned *)(sq + p.sq_off.head);
    r->sq_tail = (unsigned *)(sq + p.sq_off.tail);
    r->sq_mask = (unsigned *)(sq + p.sq_off.ring_mask);
    r->sq_array = (unsigned *)(sq + p.sq_off.array);
    r->cq_head = (unsigned *)(cq + p.cq_off.head);
    r->cq_tail = (unsigned *)(cq + p.cq_off.tail);
    r->cq_mask = (unsigned *)(cq + p.cq_off.ring_mask);
    r->cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
    /* The SQ array maps slot i to SQE i once and for all. */
    for (unsigned i = 0; i < p.sq_entries; i++) r->sq_array[i] = i;
    /* The device as registered file 0: no file reference taken per request. */
    if (syscall(__NR_io_uring_register, r->fd, IORING_REGISTER_FILES, &tun_fd, 1) < 0) return -1;
    return 0;
}

/* Queues one read or write of LEN bytes at BUF on registered file 0, with the SQE flags FLAGS besides
 * IOSQE_FIXED_FILE (IOSQE_IO_LINK: the next request starts only once this one completed whole). */
static inline void ring_prep_flags(struct ring *r, uint8_t opcode, uint8_t flags, void *buf, unsigned len, int rw_flags,
                                   uint64_t user_data) {
    unsigned tail = *r->sq_tail;
    struct io_uring_sqe *sqe = &r->sqes[tail & *r->sq_mask];
    sqe->opcode = opcode;
    sqe->flags = IOSQE_FIXED_FILE | flags;
    sqe->ioprio = 0;
    sqe->fd = 0;
    sqe->off = (uint64_t)-1; /* the file's own position: none for a character device */
    sqe->addr = (uint64_t)(uintptr_t)buf;
    sqe->len = len;
    sqe->rw_flags = rw_flags;
    sqe->user_data = user_data;
    sqe->buf_index = 0;
    sqe->personality = 0;
    sqe->splice_fd_in = 0;
    sqe->addr3 = 0;
    sqe->__pad2[0] = 0;
    __atomic_store_n(r->sq_tail, tail + 1, __ATOMIC_RELEASE);
}

/* Queues one read or write of LEN bytes at BUF on registered file 0; returns nothing, the caller counts. */
static inline void ring_prep(struct ring *r, uint8_t opcode, void *buf, unsigned len, int rw_flags, uint64_t user_data) {
    ring_prep_flags(r, opcode, 0, buf, len, rw_flags, user_data);
}

/* Submits N queued requests and waits for all N completions; returns io_uring_enter's result. */
static inline int ring_submit_wait(struct ring *r, unsigned n) {
    return (int)syscall(__NR_io_uring_enter, r->fd, n, n, IORING_ENTER_GETEVENTS, NULL, 0);
}

/* Takes the next completion: its result; *user_data gets its tag. Call only when one is there. */
static inline int ring_reap(struct ring *r, uint64_t *user_data) {
    unsigned head = *r->cq_head;
    struct io_uring_cqe *cqe = &r->cqes[head & *r->cq_mask];
    *user_data = cqe->user_data;
    int res = cqe->res;
    __atomic_store_n(r->cq_head, head + 1, __ATOMIC_RELEASE);
    return res;
}

static inline unsigned ring_ready(struct ring *r) {
    return __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE) - *r->cq_head;
}

/*
 * Gives the registered file back, then closes the ring. Closing the ring fd alone (or exiting) leaves the file
 * to a kernel worker that tears the ring down tens of milliseconds later (io_uring_release queues
 * io_ring_exit_work, which ends in io_sqe_files_unregister: io_uring/io_uring.c), and meanwhile the device's
 * single queue is still attached: the next program's TUNSETIFF fails with EBUSY. IORING_UNREGISTER_FILES puts
 * the file in this thread at once (io_uring/register.c, io_uring/rsrc.c), as the Java library does on close.
 */
static inline void ring_exit(struct ring *r) {
    while (syscall(__NR_io_uring_register, r->fd, IORING_UNREGISTER_FILES, NULL, 0) < 0 && errno == EINTR) {
    }
    close(r->fd);
}

#endif
