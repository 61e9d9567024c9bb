// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.uring;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.tuntap.PacketTooLargeException;
import io.tuntap.TunTapException;
import io.tuntap.linux.jna.Errno;
import io.tuntap.linux.jna.IoUringAbi;
import io.tuntap.linux.jna.IoUringSys;
import io.tuntap.posix.PosixLibC;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The batch calls of one queue over io_uring: {@link #readPackets} and {@link #writePackets} put one request
 * per packet into a ring and hand the whole batch to the kernel with one {@code io_uring_enter}, instead of
 * one system call per packet. Each direction has its own ring (one reader and one writer may run at once),
 * made on first use with the device fd as registered file 0; the caller's direct buffers are read and written
 * in place; nothing is allocated per packet (buffer addresses are cached per slot while the same buffers come
 * back).
 *
 * <p>Every request carries {@code RWF_NOWAIT}: the kernel runs it at once in the calling thread, and a read
 * with nothing queued, or a write the device cannot take yet, completes with EAGAIN instead of waiting in the
 * ring (where {@code close()} could not reach it) or moving to a kernel worker thread (where it could
 * overtake its neighbours).
 *
 * <p><b>Reads</b> wait like {@code read()}: the batch goes in; if nothing came, the queue's own wait (poll on
 * the device and the close eventfd, with interrupt checks) runs and the batch goes in again. Requests run in
 * order, so packets arrive in the order of their slots; a slot that found the queue empty while a later one
 * got a packet (one arrived in between) is closed up by moving the packet down, so the caller sees packets
 * in order in {@code dsts[0..n)}. The number of reads submitted adapts to what the queue held the last time
 * (at least {@value #MIN_READS}, doubling while batches come back full), so that a trickle of packets does not
 * pay for a full batch of empty reads. A buffer with less room than the largest packet gets a {@code readv}
 * with an overflow segment, as the single read does, so that a packet too large is reported, never cut: it is
 * dropped and its {@link PacketTooLargeException} thrown at once if no packet came with it, else by the next
 * call through {@link Host#defer} (the packets read with it are returned first). A read error (the device
 * went away, say) is thrown if no packet came, else it comes back at the next call.
 *
 * <p><b>Writes</b> are linked ({@code IOSQE_IO_LINK}): each starts only once the one before it was taken
 * whole, and the first failure cancels the rest of the batch. So packets never overtake each other, and the
 * outcome is always a prefix: packets {@code 0..k-1} sent (their positions moved to their limits), packet
 * {@code k} failed, the rest untouched. EAGAIN waits for room with the queue's poll and submits again from
 * packet {@code k}; any other failure is thrown with the batch position in its message.
 *
 * <p>Batches with a heap buffer return {@link #NOT_HANDLED}: the caller takes its plain path.
 *
 * <p>Not thread-safe per direction: one reader and one writer, as the queue allows.
 */
public final class UringBatchIo implements AutoCloseable {
    /** Returned when the batch is not for this path (a heap buffer, or no ring): take the plain path. */
    public static final int NOT_HANDLED = -1;
    /** SQEs per ring: the most requests one io_uring_enter carries. */
    static final int RING_ENTRIES = 128;
    /** The fewest reads submitted at once. */
    static final int MIN_READS = 4;
    private static final int IOVEC_SIZE = 16;
    private static final System.Logger LOG = System.getLogger("io.tuntap.linux");

    /** What the queue provides: its waits and its exceptions, so that both paths behave the same. */
    public interface Host {
        /** Waits until the device may have a packet; throws if the queue closes or the thread is interrupted. */
        void awaitReadable() throws TunTapException;

        /** Waits until the device may take a packet; throws if the queue closes or the thread is interrupted. */
        void awaitWritable() throws TunTapException;

        /** Checks a packet about to be written (length limits); throws as the single write would. */
        void checkWriteLength(ByteBuffer src, int length) throws TunTapException;

        /** The exception for a failed read or write, as the single-packet path words it, with {@code context}. */
        TunTapException ioError(String call, int errno, String context);

        /** The exception for a packet longer than its buffer. */
        PacketTooLargeException tooLarge(int length, int room);

        /** Keeps an exception for the next call on the read side, so that the packets read with it are not lost. */
        void defer(PacketTooLargeException e);
    }

    private final IoUringSys sys;
    private final PosixLibC libc;
    private final int fd;
    private final int largestPacket;
    private final Host host;
    private final String name;

    // Read side.
    private IoUring readRing;
    private boolean readRingFailed;
    private Memory readIovecs;
    private long readIovecsAddress;
    private ByteBuffer readIovecsView;
    private Memory overflow;
    private long overflowAddress;
    private final ByteBuffer[] readBuffers = new ByteBuffer[RING_ENTRIES];
    private final long[] readAddresses = new long[RING_ENTRIES];
    private final int[] readResults = new int[RING_ENTRIES];
    private int readWindow = MIN_READS;

    // Write side.
    private IoUring writeRing;
    private boolean writeRingFailed;
    /** Address cache by position in the batch; grows to the largest batch seen. */
    private ByteBuffer[] writeBuffers = new ByteBuffer[RING_ENTRIES];
    private long[] writeAddresses = new long[RING_ENTRIES];
    private final int[] writeResults = new int[RING_ENTRIES];

    /**
     * A batch path for the queue whose device fd is {@code fd}; rings are made on first use.
     *
     * @param largestPacket the longest packet a read can return on this queue
     * @param name the queue's name for messages, e.g. {@code "tun0 queue 0"}
     */
    public UringBatchIo(IoUringSys sys, PosixLibC libc, int fd, int largestPacket, Host host, String name) {
        this.sys = sys;
        this.libc = libc;
        this.fd = fd;
        this.largestPacket = largestPacket;
        this.host = host;
        this.name = name;
    }

    /** True while the read side uses io_uring (false once its ring could not be made). */
    public boolean readsUseRing() {
        return !readRingFailed;
    }

    /** True while the write side uses io_uring (false once its ring could not be made). */
    public boolean writesUseRing() {
        return !writeRingFailed;
    }

    // ---- reading ----------------------------------------------------------------------------------

    /**
     * Reads up to {@code count} packets into {@code dsts[0..count)}, waiting for the first, as
     * {@code PacketChannel.readPackets} specifies; the caller has checked the arguments.
     *
     * @return the number of packets read (at least 1), or {@link #NOT_HANDLED}
     */
    public int readPackets(ByteBuffer[] dsts, int count) throws TunTapException {
        for (int i = 0; i < count; i++) {
            if (!dsts[i].isDirect()) {
                return NOT_HANDLED;
            }
        }
        IoUring ring = readRing();
        if (ring == null) {
            return NOT_HANDLED;
        }
        while (true) {
            int n = readOnce(ring, dsts, count);
            if (n > 0) {
                return n;
            }
            host.awaitReadable();
        }
    }

    private int readOnce(IoUring ring, ByteBuffer[] dsts, int count) throws TunTapException {
        int k = Math.min(Math.min(count, readWindow), ring.entries());
        for (int i = 0; i < k; i++) {
            ByteBuffer dst = dsts[i];
            int position = dst.position();
            int room = dst.limit() - position;
            long address = address(readBuffers, readAddresses, i, dst) + position;
            if (room >= largestPacket) {
                ring.prepare(IoUringAbi.IORING_OP_READ, (byte) 0, address, room, IoUringAbi.RWF_NOWAIT, i);
            } else {
                int at = i * 2 * IOVEC_SIZE;
                readIovecsView.putLong(at, address).putLong(at + 8, room);
                ring.prepare(IoUringAbi.IORING_OP_READV, (byte) 0, readIovecsAddress + at, 2, IoUringAbi.RWF_NOWAIT, i);
            }
        }
        int errno = ring.submitAndWait();
        if (errno != 0) {
            throw host.ioError("io_uring_enter", errno, "submitting a batch of " + k + " reads");
        }
        collect(ring, readResults);
        int out = 0;
        PacketTooLargeException tooLarge = null;
        int failure = 0;
        for (int i = 0; i < k; i++) {
            int res = readResults[i];
            if (res <= 0) {
                if (res != -Errno.EAGAIN && res != -Errno.EINTR && res != 0 && failure == 0) {
                    failure = -res;
                }
                continue;
            }
            ByteBuffer from = dsts[i];
            int room = from.limit() - from.position();
            if (res > room) {
                tooLarge = tooLarge != null ? tooLarge : host.tooLarge(res, room);
                continue;
            }
            if (out != i) {
                // An earlier slot found the queue empty before this packet came: close the gap.
                ByteBuffer to = dsts[out];
                int toRoom = to.limit() - to.position();
                if (res > toRoom) {
                    tooLarge = tooLarge != null ? tooLarge : host.tooLarge(res, toRoom);
                    continue;
                }
                to.put(to.position(), from, from.position(), res);
            }
            ByteBuffer filled = dsts[out];
            filled.position(filled.position() + res);
            out++;
        }
        // Next time ask for about twice what the queue held, within MIN_READS..RING_ENTRIES.
        readWindow = Math.max(MIN_READS, Math.min(RING_ENTRIES, out == k ? 2 * k : out + MIN_READS));
        if (tooLarge != null) {
            if (out == 0) {
                throw tooLarge;
            }
            host.defer(tooLarge);
        }
        if (failure != 0 && out == 0) {
            throw host.ioError("read", failure, "in a batch of " + k + " reads through io_uring");
        }
        return out;
    }

    private IoUring readRing() {
        if (readRing == null && !readRingFailed) {
            try {
                readRing = IoUring.open(sys, libc, RING_ENTRIES, fd);
                readIovecs = new Memory(2L * IOVEC_SIZE * readRing.entries());
                readIovecsAddress = Pointer.nativeValue(readIovecs);
                readIovecsView = readIovecs.getByteBuffer(0, readIovecs.size()).order(ByteOrder.nativeOrder());
                // One overflow segment behind every buffer: a packet that spills into it is dropped anyway,
                // so the slots may share it.
                overflow = new Memory(largestPacket);
                overflowAddress = Pointer.nativeValue(overflow);
                for (int i = 0; i < readRing.entries(); i++) {
                    readIovecsView.putLong(i * 2 * IOVEC_SIZE + IOVEC_SIZE, overflowAddress)
                            .putLong(i * 2 * IOVEC_SIZE + IOVEC_SIZE + 8, largestPacket);
                }
            } catch (TunTapException e) {
                readRingFailed = true;
                LOG.log(Level.WARNING, "{0}: readPackets falls back to one read per packet: {1}", name, e.getMessage());
            }
        }
        return readRing;
    }

    // ---- writing ----------------------------------------------------------------------------------

    /**
     * Sends {@code srcs[0..count)} in order, as {@code PacketChannel.writePackets} specifies; the caller has
     * checked the arguments. On failure, the packets before the failed one are sent (positions at their
     * limits), it and those after it are not (positions unchanged), and the exception says which.
     *
     * @return {@code count}, or {@link #NOT_HANDLED}
     */
    public int writePackets(ByteBuffer[] srcs, int count) throws TunTapException {
        for (int i = 0; i < count; i++) {
            if (!srcs[i].isDirect()) {
                return NOT_HANDLED;
            }
        }
        if (count == 0) {
            return 0;
        }
        IoUring ring = writeRing();
        if (ring == null) {
            return NOT_HANDLED;
        }
        if (count > writeBuffers.length) {
            writeBuffers = java.util.Arrays.copyOf(writeBuffers, count);
            writeAddresses = java.util.Arrays.copyOf(writeAddresses, count);
        }
        int done = 0;
        while (done < count) {
            int k = Math.min(count - done, ring.entries());
            int valid = 0;
            TunTapException invalid = null;
            for (int j = 0; j < k; j++) {
                ByteBuffer src = srcs[done + j];
                int length = src.remaining();
                try {
                    host.checkWriteLength(src, length);
                } catch (TunTapException e) {
                    invalid = e;
                    break;
                }
                valid++;
            }
            for (int j = 0; j < valid; j++) {
                ByteBuffer src = srcs[done + j];
                long address = address(writeBuffers, writeAddresses, done + j, src) + src.position();
                byte link = j < valid - 1 ? IoUringAbi.IOSQE_IO_LINK : 0;
                ring.prepare(IoUringAbi.IORING_OP_WRITE, link, address, src.remaining(), IoUringAbi.RWF_NOWAIT, j);
            }
            int sent = 0;
            int failure = 0;
            if (valid > 0) {
                int errno = ring.submitAndWait();
                if (errno != 0) {
                    throw host.ioError("io_uring_enter", errno, batchContext(done, count));
                }
                collect(ring, writeResults);
                while (sent < valid && writeResults[sent] >= 0) {
                    ByteBuffer src = srcs[done + sent];
                    src.position(src.limit());
                    sent++;
                }
                if (sent < valid) {
                    failure = -writeResults[sent];
                }
            }
            done += sent;
            if (sent < valid) {
                if (failure == Errno.EAGAIN) {
                    host.awaitWritable();
                } else if (failure != Errno.EINTR && failure != Errno.ECANCELED) {
                    throw host.ioError("write", failure, batchContext(done, count));
                }
                continue; // submit again from the packet that did not go
            }
            if (invalid != null) {
                throw invalid;
            }
        }
        return count;
    }

    /**
     * Writes the coalesced units {@code from..to} of the offload path, unit {@code u} being
     * {@code lengths[u]} bytes at {@code base + offsets[u]}, linked as {@link #writePackets} links packets.
     * Stops at the first unit the kernel does not take and leaves it to the caller, which knows what a refusal
     * means for a coalesced packet.
     *
     * @return the number of units written, from {@code from} on; {@code to - from} if all went, 0 if there is no
     *     ring (then the caller writes them itself)
     */
    public int writeUnits(long base, int[] offsets, int[] lengths, int from, int to) {
        IoUring ring = writeRing();
        if (ring == null) {
            return 0;
        }
        int done = from;
        while (done < to) {
            int k = Math.min(to - done, ring.entries());
            for (int j = 0; j < k; j++) {
                byte link = j < k - 1 ? IoUringAbi.IOSQE_IO_LINK : 0;
                ring.prepare(IoUringAbi.IORING_OP_WRITE, link, base + offsets[done + j], lengths[done + j],
                        IoUringAbi.RWF_NOWAIT, j);
            }
            if (ring.submitAndWait() != 0) {
                return done - from;
            }
            collect(ring, writeResults);
            int sent = 0;
            while (sent < k && writeResults[sent] >= 0) {
                sent++;
            }
            done += sent;
            if (sent < k) {
                break;
            }
        }
        return done - from;
    }

    private static String batchContext(int failed, int count) {
        return "writePackets sent packets 0.." + (failed - 1) + " of " + count + " (their positions are at their "
                + "limits); packet " + failed + " failed and it and the ones after it were not sent";
    }

    private IoUring writeRing() {
        if (writeRing == null && !writeRingFailed) {
            try {
                writeRing = IoUring.open(sys, libc, RING_ENTRIES, fd);
            } catch (TunTapException e) {
                writeRingFailed = true;
                LOG.log(Level.WARNING, "{0}: writePackets falls back to one write per packet: {1}", name, e.getMessage());
            }
        }
        return writeRing;
    }

    // ---- shared -----------------------------------------------------------------------------------

    /** Moves the completions of the batch just submitted into {@code results}, indexed by their slot. */
    private static void collect(IoUring ring, int[] results) {
        int n = ring.ready();
        for (int i = 0; i < n; i++) {
            results[(int) ring.userData(i)] = ring.result(i);
        }
        ring.consume(n);
    }

    /** The address of {@code buffer}, cached for its slot while the same buffer comes back. */
    private static long address(ByteBuffer[] buffers, long[] addresses, int slot, ByteBuffer buffer) {
        if (buffers[slot] != buffer) {
            addresses[slot] = Pointer.nativeValue(Native.getDirectBufferPointer(buffer));
            buffers[slot] = buffer;
        }
        return addresses[slot];
    }

    /**
     * Closes the rings (which gives their reference to the device file back at once: see {@link IoUring#close})
     * and frees the native memory. Call only when no batch call runs, before closing the device fd.
     */
    @Override
    public void close() {
        if (readRing != null) {
            readRing.close();
            readIovecs.close();
            overflow.close();
        }
        if (writeRing != null) {
            writeRing.close();
        }
        java.util.Arrays.fill(readBuffers, null);
        java.util.Arrays.fill(writeBuffers, null);
    }
}
