/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Prints the io_uring ABI as this machine's <linux/io_uring.h> and <sys/syscall.h> define it, one
 * "name value" pair a line; IoUringGoldenTest compiles and runs it and compares every value with the Java
 * constants of io.tuntap.linux.jna.IoUringAbi.
 */
#include <linux/fs.h>
#include <linux/io_uring.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#define V(name) printf("%s %lld\n", #name, (long long)(name))
#define SIZE(type) printf("sizeof_%s %zu\n", #type, sizeof(struct type))
#define OFF(type, field) printf("%s.%s %zu\n", #type, #field, offsetof(struct type, field))

int main(void) {
    V(__NR_io_uring_setup);
    V(__NR_io_uring_enter);
    V(__NR_io_uring_register);

    SIZE(io_uring_params);
    OFF(io_uring_params, sq_entries);
    OFF(io_uring_params, cq_entries);
    OFF(io_uring_params, flags);
    OFF(io_uring_params, features);
    OFF(io_uring_params, sq_off);
    OFF(io_uring_params, cq_off);

    SIZE(io_sqring_offsets);
    OFF(io_sqring_offsets, head);
    OFF(io_sqring_offsets, tail);
    OFF(io_sqring_offsets, ring_mask);
    OFF(io_sqring_offsets, ring_entries);
    OFF(io_sqring_offsets, flags);
    OFF(io_sqring_offsets, dropped);
    OFF(io_sqring_offsets, array);

    SIZE(io_cqring_offsets);
    OFF(io_cqring_offsets, head);
    OFF(io_cqring_offsets, tail);
    OFF(io_cqring_offsets, ring_mask);
    OFF(io_cqring_offsets, ring_entries);
    OFF(io_cqring_offsets, overflow);
    OFF(io_cqring_offsets, cqes);

    SIZE(io_uring_sqe);
    OFF(io_uring_sqe, opcode);
    OFF(io_uring_sqe, flags);
    OFF(io_uring_sqe, ioprio);
    OFF(io_uring_sqe, fd);
    OFF(io_uring_sqe, off);
    OFF(io_uring_sqe, addr);
    OFF(io_uring_sqe, len);
    OFF(io_uring_sqe, rw_flags);
    OFF(io_uring_sqe, user_data);
    OFF(io_uring_sqe, buf_index);

    SIZE(io_uring_cqe);
    OFF(io_uring_cqe, user_data);
    OFF(io_uring_cqe, res);
    OFF(io_uring_cqe, flags);

    V(IORING_OFF_SQ_RING);
    V(IORING_OFF_CQ_RING);
    V(IORING_OFF_SQES);

    V(IORING_OP_NOP);
    V(IORING_OP_READV);
    V(IORING_OP_WRITEV);
    V(IORING_OP_READ);
    V(IORING_OP_WRITE);

    V(IOSQE_FIXED_FILE);
    V(IOSQE_IO_LINK);

    V(IORING_SETUP_CLAMP);
    V(IORING_SETUP_COOP_TASKRUN);
    V(IORING_SETUP_SUBMIT_ALL);

    V(IORING_FEAT_SINGLE_MMAP);
    V(IORING_FEAT_NODROP);
    V(IORING_FEAT_SUBMIT_STABLE);

    V(IORING_ENTER_GETEVENTS);

    V(RWF_NOWAIT);
    V(IORING_REGISTER_FILES);
    V(IORING_UNREGISTER_FILES);

    V(PROT_READ);
    V(PROT_WRITE);
    V(MAP_SHARED);
    V(MAP_POPULATE);
    return 0;
}
