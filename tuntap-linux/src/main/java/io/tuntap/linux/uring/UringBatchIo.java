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
 * <p><b>Writes</b> go unlinked, all of a batch in one pass of the kernel's submission loop: each request is
 * issued inline in SQ order ({@code io_submit_sqes} → {@code io_queue_sqe} with {@code IO_URING_F_NONBLOCK},
 * torvalds/linux 001b76b7e755, io_uring/io_uring.c), and with {@code RWF_NOWAIT} a write the device cannot take
 * yet completes with -EAGAIN instead of moving to a poll or a kernel worker ({@code io_write}: "no retry on
 * NONBLOCK nor RWF_NOWAIT", torvalds/linux 003f82b58c99, io_uring/rw.c; {@code io_queue_async} fails a
 * {@code REQ_F_NOWAIT} request with its result), so no request overtakes another. Linking them
 * ({@code IOSQE_IO_LINK}) would make each wait until the one before it completed and was freed, which costs C's
 * own loop a fifth of its speed. What links gave, a failure ending the batch, comes from two rules instead:
 * <ul>
 *   <li>A refusal that a packet's own bytes decide (empty or too long, as the single write checks; on TUN an
 *       IP version other than 4 or 6, on TAP shorter than an Ethernet header, as the kernel checks in
 *       {@code tun_get_user}, gregkh/linux 010eee265d6b, drivers/net/tun.c) is found by
 *       {@link Host#checkWrite} before anything is submitted: the batch ends before that packet, which
 *       and those after it keep their positions, and its exception is thrown once the packets before it went.
 *   <li>What is left is the device's state (its link down: EIO; its queue detached: EBADFD; memory), which
 *       every request meets on its own. A buffer whose request succeeded has its position at its limit, the
 *       others keep theirs, and the first failure is thrown with what went in its message.
 * </ul>
 * EAGAIN (the device's send buffer full: a TUN/TAP device has one only if a program set it with
 * {@code TUNSETSNDBUF}, as {@code tun_chr_open} starts it at {@code INT_MAX}: gregkh/linux 010eee265d6b,
 * drivers/net/tun.c) waits for room with the queue's
 * poll and sends the packets not yet sent again, in order. Room that comes back while a submission runs could
 * let a later packet go before one that found none, so from the first EAGAIN on the queue links its writes.
 * Packets behind the caller's own virtio_net_hdr (RAW mode) are linked too: whether the kernel takes such a
 * header ({@code virtio_net_hdr_to_skb}: torvalds/linux 03ab8e6297ac, include/linux/virtio_net.h) depends on
 * what the kernel's flow dissector finds in the packet, which Java does not repeat.
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

        /**
         * Checks a packet about to be written, from its position to its limit, for what its own bytes decide
         * (empty, too long, not what the device takes); throws as the single write would.
         */
        void checkWrite(ByteBuffer src) throws TunTapException;

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
    /** Whether writes go as linked chains (packets behind the caller's own virtio_net_hdr) or unlinked. */
    private final boolean linkWrites;
    /** Set once a write found the device full (EAGAIN): from then on writes go as linked chains. */
    private boolean writesMetNoRoom;

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
    /** The packet of each request of an unlinked submission, by its slot. */
    private final int[] writeSlots = new int[RING_ENTRIES];

    /**
     * A batch path for the queue whose device fd is {@code fd}; rings are made on first use.
     *
     * @param largestPacket the longest packet a read can return on this queue
     * @param name the queue's name for messages, e.g. {@code "tun0 queue 0"}
     * @param linkWrites whether {@link #writePackets} links its requests, for packets whose refusals the
     *     Java side cannot foresee (behind the caller's own virtio_net_hdr)
     */
    public UringBatchIo(IoUringSys sys, PosixLibC libc, int fd, int largestPacket, Host host, String name,
            boolean linkWrites) {
        this.sys = sys;
        this.libc = libc;
        this.fd = fd;
        this.largestPacket = largestPacket;
        this.host = host;
        this.name = name;
        this.linkWrites = linkWrites;
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
     * checked the arguments. Every packet is first checked as the single write checks it; the first that fails
     * ends the batch before it. The packets before it go as unlinked requests (or, with {@code linkWrites}, as
     * one chain); a buffer whose request succeeded has its position at its limit, the others keep theirs, and
     * the first failure is thrown.
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
        // Refusals that the packet's own bytes decide: the batch ends before the first such packet.
        int valid = 0;
        TunTapException invalid = null;
        for (; valid < count; valid++) {
            ByteBuffer src = srcs[valid];
            try {
                host.checkWrite(src);
            } catch (TunTapException e) {
                invalid = e;
                break;
            }
        }
        if (linkWrites || writesMetNoRoom) {
            writeLinked(ring, srcs, 0, valid, count);
        } else {
            writeUnlinked(ring, srcs, valid, count);
        }
        if (invalid != null) {
            throw invalid;
        }
        return count;
    }

    /**
     * Sends {@code srcs[0..valid)} as unlinked requests, {@link IoUring#entries()} at a time. What is left
     * after the checks is the device's state (link down, memory, no room), which each request meets on its
     * own: every packet whose request succeeded is marked sent, and the first failure is thrown, unless it is
     * EAGAIN (or EINTR), when the queue's poll waits for room (EAGAIN) and the packets not yet sent go again
     * from there, in order.
     */
    private void writeUnlinked(IoUring ring, ByteBuffer[] srcs, int valid, int count) throws TunTapException {
        int from = 0;
        while (from < valid) {
            int k = 0;
            int end = from;
            for (; end < valid && k < ring.entries(); end++) {
                ByteBuffer src = srcs[end];
                if (src.hasRemaining()) { // not sent yet: every packet checked has at least one byte
                    long address = address(writeBuffers, writeAddresses, end, src) + src.position();
                    ring.prepare(IoUringAbi.IORING_OP_WRITE, (byte) 0, address, src.remaining(),
                            IoUringAbi.RWF_NOWAIT, k);
                    writeSlots[k++] = end;
                }
            }
            int errno = ring.submitAndWait();
            if (errno != 0) {
                throw host.ioError("io_uring_enter", errno, batchContext(srcs, from, count));
            }
            collect(ring, writeResults);
            int again = -1; // the first packet that found no room (EAGAIN) or was interrupted (EINTR)
            boolean noRoom = false;
            int failed = -1; // the first packet refused for another reason
            int failure = 0;
            for (int j = 0; j < k; j++) {
                int res = writeResults[j];
                int packet = writeSlots[j];
                if (res >= 0) {
                    ByteBuffer src = srcs[packet];
                    src.position(src.limit());
                } else if (res == -Errno.EAGAIN || res == -Errno.EINTR) {
                    again = again < 0 ? packet : again;
                    noRoom |= res == -Errno.EAGAIN;
                } else if (failed < 0) {
                    failed = packet;
                    failure = -res;
                }
            }
            if (failed >= 0 && (again < 0 || failed < again)) {
                throw host.ioError("write", failure, batchContext(srcs, failed, count));
            }
            if (again >= 0) {
                if (noRoom) {
                    // Room can come back while a submission runs, letting a later packet overtake one that found
                    // none: from now on this queue links its writes.
                    writesMetNoRoom = true;
                    host.awaitWritable();
                    writeLinked(ring, srcs, again, valid, count);
                    return;
                }
                from = again; // the packets sent since are skipped: their buffers have nothing left
            } else {
                from = end;
            }
        }
    }

    /**
     * Sends the packets of {@code srcs[from..valid)} not sent yet as chains linked with {@code IOSQE_IO_LINK}:
     * each request starts only once the one before it was taken whole, and the first failure cancels the rest,
     * so nothing overtakes a packet that failed. For packets behind a virtio_net_hdr of the caller's own, whose
     * refusals the Java side cannot foresee, and for a queue whose device has been found full.
     */
    private void writeLinked(IoUring ring, ByteBuffer[] srcs, int from, int valid, int count) throws TunTapException {
        int done = from;
        while (done < valid) {
            int k = 0;
            for (int i = done; i < valid && k < ring.entries(); i++) {
                ByteBuffer src = srcs[i];
                if (src.hasRemaining()) { // not sent yet: every packet checked has at least one byte
                    long address = address(writeBuffers, writeAddresses, i, src) + src.position();
                    ring.prepare(IoUringAbi.IORING_OP_WRITE, IoUringAbi.IOSQE_IO_LINK, address, src.remaining(),
                            IoUringAbi.RWF_NOWAIT, k);
                    writeSlots[k++] = i;
                }
            }
            if (k == 0) {
                return;
            }
            ring.unlinkLast();
            int errno = ring.submitAndWait();
            if (errno != 0) {
                throw host.ioError("io_uring_enter", errno, batchContext(srcs, done, count));
            }
            collect(ring, writeResults);
            int sent = 0;
            while (sent < k && writeResults[sent] >= 0) {
                ByteBuffer src = srcs[writeSlots[sent]];
                src.position(src.limit());
                sent++;
            }
            if (sent == k) {
                done = writeSlots[k - 1] + 1;
                continue;
            }
            done = writeSlots[sent];
            int failure = -writeResults[sent];
            if (failure == Errno.EAGAIN) {
                host.awaitWritable();
            } else if (failure != Errno.EINTR && failure != Errno.ECANCELED) {
                throw host.ioError("write", failure, batchContext(srcs, done, count));
            }
        }
    }

    /**
     * Writes the coalesced units {@code from..to} of the offload path, unit {@code u} being
     * {@code lengths[u]} bytes at {@code base + offsets[u]}, as one linked chain. Stops at the first unit the
     * kernel does not take and leaves it to the caller, which knows what a refusal means for a coalesced packet:
     * it sends that unit again as the plain packets it was made of, which is in order only if no unit after it
     * went. And whether the kernel takes a unit's GSO header depends on the kernel (some releases refused valid
     * ones), not on bytes Java can check, so these stay linked.
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

    /** Where a batch stands when packet {@code failed} fails: which buffers went, for the message. */
    private static String batchContext(ByteBuffer[] srcs, int failed, int count) {
        int sent = 0;
        for (int i = 0; i < count; i++) {
            sent += srcs[i].hasRemaining() ? 0 : 1;
        }
        return "writePackets stopped at packet " + failed + " of " + count + ", which was not sent; " + sent
                + " packets were sent (their positions are at their limits), the others keep their positions";
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
