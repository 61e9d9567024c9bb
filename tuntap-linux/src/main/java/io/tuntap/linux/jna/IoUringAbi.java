// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.jna;

/**
 * The io_uring ABI ({@code <linux/io_uring.h>}, kernel 5.1 and later; the values used here exist since 5.6):
 * system call numbers, the layouts of {@code struct io_uring_params}, {@code io_sqring_offsets},
 * {@code io_cqring_offsets}, {@code io_uring_sqe} and {@code io_uring_cqe}, and the flags this backend uses.
 * The system call numbers are the generic ones, the same on x86-64 and arm64 (and every other architecture
 * since 5.1). Every value is checked against the C header by {@code IoUringGoldenTest}.
 */
public final class IoUringAbi {
    private IoUringAbi() {
    }

    public static final long SYS_IO_URING_SETUP = 425;
    public static final long SYS_IO_URING_ENTER = 426;
    public static final long SYS_IO_URING_REGISTER = 427;

    /** {@code sizeof(struct io_uring_params)}. */
    public static final int PARAMS_SIZE = 120;
    public static final int PARAMS_SQ_ENTRIES = 0;
    public static final int PARAMS_CQ_ENTRIES = 4;
    public static final int PARAMS_FLAGS = 8;
    public static final int PARAMS_FEATURES = 20;
    /** {@code struct io_sqring_offsets sq_off}, 40 bytes. */
    public static final int PARAMS_SQ_OFF = 40;
    /** {@code struct io_cqring_offsets cq_off}, 40 bytes. */
    public static final int PARAMS_CQ_OFF = 80;

    // struct io_sqring_offsets (all __u32 offsets into the SQ ring mapping)
    public static final int SQ_OFF_HEAD = 0;
    public static final int SQ_OFF_TAIL = 4;
    public static final int SQ_OFF_RING_MASK = 8;
    public static final int SQ_OFF_RING_ENTRIES = 12;
    public static final int SQ_OFF_FLAGS = 16;
    public static final int SQ_OFF_DROPPED = 20;
    public static final int SQ_OFF_ARRAY = 24;

    // struct io_cqring_offsets (offsets into the CQ ring mapping)
    public static final int CQ_OFF_HEAD = 0;
    public static final int CQ_OFF_TAIL = 4;
    public static final int CQ_OFF_RING_MASK = 8;
    public static final int CQ_OFF_RING_ENTRIES = 12;
    public static final int CQ_OFF_OVERFLOW = 16;
    public static final int CQ_OFF_CQES = 20;

    /** {@code sizeof(struct io_uring_sqe)} without IORING_SETUP_SQE128. */
    public static final int SQE_SIZE = 64;
    public static final int SQE_OPCODE = 0;     // __u8
    public static final int SQE_FLAGS = 1;      // __u8
    public static final int SQE_IOPRIO = 2;     // __u16
    public static final int SQE_FD = 4;         // __s32
    public static final int SQE_OFF = 8;        // __u64
    public static final int SQE_ADDR = 16;      // __u64
    public static final int SQE_LEN = 24;       // __u32
    public static final int SQE_RW_FLAGS = 28;  // __kernel_rwf_t (int)
    public static final int SQE_USER_DATA = 32; // __u64
    public static final int SQE_BUF_INDEX = 40; // __u16

    /** {@code sizeof(struct io_uring_cqe)} without IORING_SETUP_CQE32. */
    public static final int CQE_SIZE = 16;
    public static final int CQE_USER_DATA = 0;  // __u64
    public static final int CQE_RES = 8;        // __s32: the result, or -errno
    public static final int CQE_FLAGS = 12;     // __u32

    /** mmap offsets of the SQ ring, the CQ ring and the SQE array on the ring fd. */
    public static final long IORING_OFF_SQ_RING = 0L;
    public static final long IORING_OFF_CQ_RING = 0x8000000L;
    public static final long IORING_OFF_SQES = 0x10000000L;

    public static final byte IORING_OP_NOP = 0;
    public static final byte IORING_OP_READV = 1;
    public static final byte IORING_OP_WRITEV = 2;
    public static final byte IORING_OP_READ = 22;
    public static final byte IORING_OP_WRITE = 23;

    /** SQE flag: {@code fd} is an index into the registered files. */
    public static final byte IOSQE_FIXED_FILE = 1;
    /** SQE flag: the next SQE starts only once this one succeeded; a failure cancels the rest of the chain. */
    public static final byte IOSQE_IO_LINK = 4;

    /** Setup flag: clamp the entry counts to the maximum instead of failing. */
    public static final int IORING_SETUP_CLAMP = 16;
    /** Setup flag (5.19): no interrupt of the task to run completion work, as it enters the ring anyway. */
    public static final int IORING_SETUP_COOP_TASKRUN = 256;
    public static final int IORING_SETUP_SUBMIT_ALL = 128;

    /** Feature: the SQ and CQ rings share one mapping (5.4). */
    public static final int IORING_FEAT_SINGLE_MMAP = 1;
    public static final int IORING_FEAT_NODROP = 2;
    /** Feature: the data of an SQE is copied at submission, so it may be reused right after (5.5). */
    public static final int IORING_FEAT_SUBMIT_STABLE = 4;

    public static final int IORING_ENTER_GETEVENTS = 1;

    public static final int IORING_REGISTER_FILES = 2;
    public static final int IORING_UNREGISTER_FILES = 3;

    /** {@code RWF_NOWAIT} ({@code <linux/fs.h>}): fail with EAGAIN instead of waiting or deferring the request. */
    public static final int RWF_NOWAIT = 8;

    /** {@code <sys/mman.h>} values on Linux. */
    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int MAP_SHARED = 1;
    public static final int MAP_POPULATE = 0x8000;
    /** What mmap returns on failure: {@code (void *) -1}. */
    public static final long MAP_FAILED = -1L;
}
