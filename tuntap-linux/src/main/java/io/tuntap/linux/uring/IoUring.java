// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.uring;

import static io.tuntap.linux.jna.IoUringAbi.CQE_RES;
import static io.tuntap.linux.jna.IoUringAbi.CQE_SIZE;
import static io.tuntap.linux.jna.IoUringAbi.CQE_USER_DATA;
import static io.tuntap.linux.jna.IoUringAbi.IORING_ENTER_GETEVENTS;
import static io.tuntap.linux.jna.IoUringAbi.IORING_FEAT_SINGLE_MMAP;
import static io.tuntap.linux.jna.IoUringAbi.IORING_FEAT_SUBMIT_STABLE;
import static io.tuntap.linux.jna.IoUringAbi.IORING_OFF_CQ_RING;
import static io.tuntap.linux.jna.IoUringAbi.IORING_OFF_SQES;
import static io.tuntap.linux.jna.IoUringAbi.IORING_OFF_SQ_RING;
import static io.tuntap.linux.jna.IoUringAbi.IORING_REGISTER_FILES;
import static io.tuntap.linux.jna.IoUringAbi.IORING_SETUP_CLAMP;
import static io.tuntap.linux.jna.IoUringAbi.IORING_SETUP_COOP_TASKRUN;
import static io.tuntap.linux.jna.IoUringAbi.IORING_UNREGISTER_FILES;
import static io.tuntap.linux.jna.IoUringAbi.MAP_FAILED;
import static io.tuntap.linux.jna.IoUringAbi.MAP_POPULATE;
import static io.tuntap.linux.jna.IoUringAbi.MAP_SHARED;
import static io.tuntap.linux.jna.IoUringAbi.PROT_READ;
import static io.tuntap.linux.jna.IoUringAbi.PROT_WRITE;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.TunTapException;
import io.tuntap.linux.jna.Errno;
import io.tuntap.linux.jna.IoUringAbi;
import io.tuntap.linux.jna.IoUringSys;
import io.tuntap.posix.PosixLibC;
import io.tuntap.spi.ErrorMessages;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One io_uring with one registered file, driven from Java: the SQ ring, the CQ ring and the SQE array are
 * mapped once when the ring is made, SQEs are written in place through buffer views of that memory, and one
 * {@code io_uring_enter} submits a batch and waits for its completions. Nothing is allocated per request.
 *
 * <p>The SQ array maps slot {@code i} to SQE {@code i} once and for all, so a request's SQE is the one at the
 * ring's tail. The ring's own head and tail words are shared with the kernel: the tail of the SQ ring is
 * published with release semantics, the tail of the CQ ring read with acquire semantics and its head
 * published with release semantics, as {@code io_uring(7)} requires.
 *
 * <p>Not thread-safe: one thread at a time submits and reaps (a queue has one ring per direction).
 */
public final class IoUring implements AutoCloseable {
    /** What follows a refusal: the caller falls back, so the fix is only for whoever wants io_uring. */
    private static final String FALLBACK = "batches go through one call per packet instead";

    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final System.Logger LOG = System.getLogger("io.tuntap.linux");

    private final IoUringSys sys;
    private final PosixLibC libc;
    private final int ringFd;
    private final int entries;
    private final long sqAddress;
    private final long sqLength;
    private final long cqAddress;
    private final long cqLength;
    private final long sqesAddress;
    private final long sqesLength;
    private final ByteBuffer sq;
    private final ByteBuffer cq;
    private final ByteBuffer sqes;
    private final int sqTailOffset;
    private final int sqMask;
    private final int cqHeadOffset;
    private final int cqTailOffset;
    private final int cqMask;
    private final int cqesOffset;
    /** The SQ tail as this side last wrote it: the kernel only reads it. */
    private int sqTail;
    /** SQEs written since the last submission. */
    private int pending;
    /** The CQ head as this side last wrote it: the kernel only reads it. */
    private int cqHead;
    private boolean closed;

    private IoUring(IoUringSys sys, PosixLibC libc, int ringFd, int entries, long sqAddress, long sqLength,
            long cqAddress, long cqLength, long sqesAddress, long sqesLength, Memory params) {
        this.sys = sys;
        this.libc = libc;
        this.ringFd = ringFd;
        this.entries = entries;
        this.sqAddress = sqAddress;
        this.sqLength = sqLength;
        this.cqAddress = cqAddress;
        this.cqLength = cqLength;
        this.sqesAddress = sqesAddress;
        this.sqesLength = sqesLength;
        this.sq = new Pointer(sqAddress).getByteBuffer(0, sqLength).order(ByteOrder.nativeOrder());
        this.cq = new Pointer(cqAddress).getByteBuffer(0, cqLength).order(ByteOrder.nativeOrder());
        this.sqes = new Pointer(sqesAddress).getByteBuffer(0, sqesLength).order(ByteOrder.nativeOrder());
        int sqOff = IoUringAbi.PARAMS_SQ_OFF;
        int cqOff = IoUringAbi.PARAMS_CQ_OFF;
        this.sqTailOffset = params.getInt(sqOff + IoUringAbi.SQ_OFF_TAIL);
        this.sqMask = sq.getInt(params.getInt(sqOff + IoUringAbi.SQ_OFF_RING_MASK));
        this.cqHeadOffset = params.getInt(cqOff + IoUringAbi.CQ_OFF_HEAD);
        this.cqTailOffset = params.getInt(cqOff + IoUringAbi.CQ_OFF_TAIL);
        this.cqMask = cq.getInt(params.getInt(cqOff + IoUringAbi.CQ_OFF_RING_MASK));
        this.cqesOffset = params.getInt(cqOff + IoUringAbi.CQ_OFF_CQES);
        int array = params.getInt(sqOff + IoUringAbi.SQ_OFF_ARRAY);
        for (int i = 0; i < entries; i++) {
            sq.putInt(array + 4 * i, i);
        }
        this.sqTail = (int) INT.getAcquire(sq, sqTailOffset);
        this.cqHead = (int) INT.getAcquire(cq, cqHeadOffset);
        // A fresh ring starts at 0 for both; the SQE slots follow the tail from here on.
    }

    /**
     * Makes a ring of {@code entries} SQEs (rounded up to a power of two by the kernel) with {@code fileFd}
     * registered as file 0.
     *
     * @throws TunTapException with the errno of the step that failed; nothing is left open then
     */
    public static IoUring open(IoUringSys sys, PosixLibC libc, int entries, int fileFd) throws TunTapException {
        try (Memory params = new Memory(IoUringAbi.PARAMS_SIZE)) {
            int fd = setup(sys, entries, params, IORING_SETUP_CLAMP | IORING_SETUP_COOP_TASKRUN);
            if (fd < 0 && sys.errno() == Errno.EINVAL) {
                // Kernels before 5.19 refuse COOP_TASKRUN: it only saves work, so go without.
                fd = setup(sys, entries, params, IORING_SETUP_CLAMP);
            }
            if (fd < 0) {
                throw failure("io_uring_setup", sys.errno());
            }
            long sqAddress = MAP_FAILED;
            long cqAddress = MAP_FAILED;
            long sqesAddress = MAP_FAILED;
            long sqLength = 0;
            long cqLength = 0;
            long sqesLength = 0;
            boolean done = false;
            try {
                int features = params.getInt(IoUringAbi.PARAMS_FEATURES);
                if ((features & IORING_FEAT_SUBMIT_STABLE) == 0) {
                    // Before 5.5 the kernel could read an SQE after io_uring_enter returned; the batch code
                    // reuses SQE slots at once, so it needs the guarantee.
                    throw new TunTapException("io_uring_setup", 0, ErrorMessages.failed("io_uring_setup",
                            "this kernel lacks IORING_FEAT_SUBMIT_STABLE (Linux 5.5); " + FALLBACK));
                }
                int sqEntries = params.getInt(IoUringAbi.PARAMS_SQ_ENTRIES);
                int cqEntries = params.getInt(IoUringAbi.PARAMS_CQ_ENTRIES);
                sqLength = params.getInt(IoUringAbi.PARAMS_SQ_OFF + IoUringAbi.SQ_OFF_ARRAY) + 4L * sqEntries;
                cqLength = params.getInt(IoUringAbi.PARAMS_CQ_OFF + IoUringAbi.CQ_OFF_CQES) + (long) CQE_SIZE * cqEntries;
                boolean single = (features & IORING_FEAT_SINGLE_MMAP) != 0;
                if (single) {
                    sqLength = Math.max(sqLength, cqLength);
                    cqLength = sqLength;
                }
                sqAddress = map(sys, sqLength, fd, IORING_OFF_SQ_RING);
                cqAddress = single ? sqAddress : map(sys, cqLength, fd, IORING_OFF_CQ_RING);
                sqesLength = (long) IoUringAbi.SQE_SIZE * sqEntries;
                sqesAddress = map(sys, sqesLength, fd, IORING_OFF_SQES);
                try (Memory files = new Memory(4)) {
                    files.setInt(0, fileFd);
                    if (sys.io_uring_register(fd, IORING_REGISTER_FILES, Pointer.nativeValue(files), 1) < 0) {
                        throw failure("io_uring_register(IORING_REGISTER_FILES)", sys.errno());
                    }
                }
                IoUring ring = new IoUring(sys, libc, fd, sqEntries, sqAddress, sqLength, cqAddress, cqLength,
                        sqesAddress, sqesLength, params);
                done = true;
                return ring;
            } finally {
                if (!done) {
                    unmap(sys, sqesAddress, sqesLength);
                    if (cqAddress != sqAddress) {
                        unmap(sys, cqAddress, cqLength);
                    }
                    unmap(sys, sqAddress, sqLength);
                    libc.close(fd);
                }
            }
        }
    }

    private static int setup(IoUringSys sys, int entries, Memory params, int flags) {
        params.clear();
        params.setInt(IoUringAbi.PARAMS_FLAGS, flags);
        return sys.io_uring_setup(entries, Pointer.nativeValue(params));
    }

    private static long map(IoUringSys sys, long length, int fd, long offset) throws TunTapException {
        long address = sys.mmap(0, length, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, offset);
        if (address == MAP_FAILED) {
            throw failure("mmap(io_uring, 0x" + Long.toHexString(offset) + ")", sys.errno());
        }
        return address;
    }

    private static void unmap(IoUringSys sys, long address, long length) {
        if (address != MAP_FAILED) {
            sys.munmap(address, length);
        }
    }

    private static TunTapException failure(String call, int errno) {
        return new TunTapException(call, errno, Errno.TABLE.message(call, errno,
                "io_uring is refused here (a seccomp filter, kernel.io_uring_disabled, or a memory lock limit); "
                        + FALLBACK));
    }

    /** The number of SQEs: the most requests one submission can carry. */
    public int entries() {
        return entries;
    }

    /**
     * Writes the next SQE: a read or write ({@code opcode}) of {@code length} bytes (or iovecs, for READV and
     * WRITEV) at {@code address} on registered file 0. At most {@link #entries()} may wait for a submission.
     */
    public void prepare(byte opcode, byte flags, long address, int length, int rwFlags, long userData) {
        int at = (sqTail & sqMask) * IoUringAbi.SQE_SIZE;
        ByteBuffer s = sqes;
        s.put(at + IoUringAbi.SQE_OPCODE, opcode);
        s.put(at + IoUringAbi.SQE_FLAGS, (byte) (flags | IoUringAbi.IOSQE_FIXED_FILE));
        s.putShort(at + IoUringAbi.SQE_IOPRIO, (short) 0);
        s.putInt(at + IoUringAbi.SQE_FD, 0);
        s.putLong(at + IoUringAbi.SQE_OFF, -1L); // the file's own position: a character device has none
        s.putLong(at + IoUringAbi.SQE_ADDR, address);
        s.putInt(at + IoUringAbi.SQE_LEN, length);
        s.putInt(at + IoUringAbi.SQE_RW_FLAGS, rwFlags);
        s.putLong(at + IoUringAbi.SQE_USER_DATA, userData);
        s.putLong(at + IoUringAbi.SQE_BUF_INDEX, 0L); // buf_index, personality, splice_fd_in
        s.putLong(at + 48, 0L); // addr3
        s.putLong(at + 56, 0L); // __pad2
        sqTail++;
        pending++;
    }

    /** Clears {@code IOSQE_IO_LINK} on the SQE prepared last, which ends a chain. */
    public void unlinkLast() {
        int at = ((sqTail - 1) & sqMask) * IoUringAbi.SQE_SIZE + IoUringAbi.SQE_FLAGS;
        sqes.put(at, (byte) (sqes.get(at) & ~IoUringAbi.IOSQE_IO_LINK));
    }

    /**
     * Submits the SQEs prepared since the last call and waits until as many completions are in the CQ ring.
     * Requests made with {@code RWF_NOWAIT} complete within the call, so the wait is for nothing else.
     *
     * @return 0, or the errno of {@code io_uring_enter} (after which the prepared SQEs that it did not take
     *     stay prepared)
     */
    public int submitAndWait() {
        int toSubmit = pending;
        int wanted = toSubmit;
        INT.setRelease(sq, sqTailOffset, sqTail);
        while (true) {
            int waitFor = wanted - ready();
            if (toSubmit == 0 && waitFor <= 0) {
                pending = 0;
                return 0;
            }
            int n = sys.io_uring_enter(ringFd, toSubmit, Math.max(waitFor, 0), IORING_ENTER_GETEVENTS);
            if (n < 0) {
                int errno = sys.errno();
                if (errno != Errno.EINTR) {
                    pending = toSubmit;
                    return errno;
                }
            } else {
                toSubmit -= n;
            }
        }
    }

    /** Completions waiting in the CQ ring. */
    public int ready() {
        return (int) INT.getAcquire(cq, cqTailOffset) - cqHead;
    }

    /** The {@code user_data} of the {@code i}-th waiting completion ({@code i < ready()}). */
    public long userData(int i) {
        return cq.getLong(cqesOffset + ((cqHead + i) & cqMask) * CQE_SIZE + CQE_USER_DATA);
    }

    /** The result of the {@code i}-th waiting completion: a byte count, or -errno. */
    public int result(int i) {
        return cq.getInt(cqesOffset + ((cqHead + i) & cqMask) * CQE_SIZE + CQE_RES);
    }

    /** Hands {@code n} completions back to the kernel. */
    public void consume(int n) {
        cqHead += n;
        INT.setRelease(cq, cqHeadOffset, cqHead);
    }

    /**
     * Gives the registered file back, then unmaps the rings and closes the ring fd. Idempotent. When this
     * returns, the ring holds no reference to the file: the caller's own fd is then the file's last one, and
     * closing it releases the device before {@code close(2)} returns.
     *
     * <p>Closing the ring fd alone would not do that. The ring's release only starts its teardown and hands the
     * rest to a kernel worker: {@code io_uring_release} calls {@code io_ring_ctx_wait_and_kill}, which queues
     * {@code io_ring_exit_work} on the {@code iou_exit} workqueue; that work waits for the ring's references in
     * steps of {@code HZ / 20} and only then reaches {@code io_ring_ctx_free}, which calls
     * {@code io_sqe_files_unregister} (torvalds/linux 001b76b7e755, io_uring/io_uring.c). And a last
     * {@code fput} made by a kernel thread is deferred once more to {@code delayed_fput_work}, where one made
     * by a user task runs as task work before the system call returns (fs/file_table.c, {@code fput}). So a
     * device whose file a ring held stayed attached some 50 to 80 ms after its queue was closed, and a new
     * open of the same name failed with EBUSY meanwhile.
     *
     * <p>{@code IORING_UNREGISTER_FILES} runs {@code io_sqe_files_unregister} in the calling thread under the
     * ring's lock (io_uring/register.c, {@code __io_uring_register}), which drops each file's node and puts
     * the file there ({@code io_rsrc_data_free}, {@code io_free_rsrc_node}: io_uring/rsrc.c). Every request of
     * this ring was reaped before it was closed (requests carry {@code RWF_NOWAIT} and complete within
     * {@code io_uring_enter}), so no request holds the node any longer. Older kernels first wait there for
     * requests that still use the table ({@code io_rsrc_ref_quiesce}, which a signal can interrupt): EINTR is
     * retried.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        while (sys.io_uring_register(ringFd, IORING_UNREGISTER_FILES, 0L, 0) < 0) {
            int errno = sys.errno();
            if (errno != Errno.EINTR) {
                // Nothing else is expected (ENXIO would mean no file was registered). Closing the ring still
                // releases the file, later, from the kernel's worker.
                LOG.log(Level.WARNING, "io_uring_register(IORING_UNREGISTER_FILES) failed with {0}: the device "
                        + "file is released only when the kernel has torn the ring down", Errno.name(errno));
                break;
            }
        }
        sys.munmap(sqesAddress, sqesLength);
        if (cqAddress != sqAddress) {
            sys.munmap(cqAddress, cqLength);
        }
        sys.munmap(sqAddress, sqLength);
        libc.close(ringFd);
    }
}
