// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.tuntap.TunTapException;
import io.tuntap.linux.jna.Errno;
import io.tuntap.linux.offload.GroCoalescer;
import io.tuntap.linux.offload.GsoSplitter;
import io.tuntap.linux.offload.VirtioNetHdr;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The write side of kernel offload ({@link VnetMode#SPLIT}): {@code writePackets} coalesces segments of one
 * TCP or UDP flow into super-packets in the queue's write scratch buffer, so that one {@code write} carries many.
 * Kernels have shipped offload regressions that refuse valid super-packets with EINVAL (Linux 6.6.44 did): then
 * coalescing stops for this queue and the refused unit goes out again as the plain packets it was made of, so
 * that nothing is lost. Touched only by the writing thread; the counters may be read from any thread.
 */
final class OffloadWriter {
    /** Packets handed to the coalescer at once; bounds its native output buffer. */
    static final int BATCH = 64;
    /** The write scratch size in offload mode: a coalesced batch of MTU-sized packets. */
    static final int SCRATCH_SIZE = 512 * 1024;

    /** Writes native memory to the kernel as one packet, waiting for room. */
    interface Sink {
        void send(long address, int length) throws TunTapException;
    }

    /**
     * Writes units {@code from..to} (unit {@code u}: {@code lengths[u]} bytes at {@code base + offsets[u]}) in
     * order with one system call per batch, stopping at the first the kernel does not take.
     */
    interface BatchSink {
        /** @return how many units went, from {@code from} on */
        int sendUnits(long base, int[] offsets, int[] lengths, int from, int to);
    }

    private final GroCoalescer coalescer;
    /** The queue's write scratch buffer, where the coalescer builds the units: its address and a view. */
    private final LongSupplier scratchAddress;
    private final Supplier<ByteBuffer> scratchView;
    private final Sink sink;
    /** The io_uring path for the units of a batch, or null. */
    private final BatchSink batchSink;
    private final int[] unitOffsets = new int[BATCH];
    private final int[] unitLengths = new int[BATCH];
    private final ByteBuffer[] window = new ByteBuffer[BATCH];
    private final LongAdder segmentsCoalesced = new LongAdder();
    private volatile boolean refused;
    private GsoSplitter refusedSplitter;
    private ByteBuffer refusedSegment;
    private long refusedSegmentAddress;

    /**
     * @param batchSink writes a batch of units with one system call, or null to write them one by one
     * @param udpSegmentation whether the kernel accepted UDP segmentation offload (coalesce UDP too)
     */
    OffloadWriter(LongSupplier scratchAddress, Supplier<ByteBuffer> scratchView, Sink sink, BatchSink batchSink,
            boolean udpSegmentation) {
        this.scratchAddress = scratchAddress;
        this.scratchView = scratchView;
        this.sink = sink;
        this.batchSink = batchSink;
        this.coalescer = new GroCoalescer(BATCH, true, udpSegmentation);
    }

    /**
     * Sends {@code srcs[0..count)}, checked by the caller, coalescing what it can; advances each position to its
     * limit.
     */
    void writePackets(ByteBuffer[] srcs, int count) throws TunTapException {
        long scratch = scratchAddress.getAsLong();
        ByteBuffer view = scratchView.get();
        int done = 0;
        while (done < count) {
            int chunk = Math.min(BATCH, count - done);
            // The coalescer takes a batch from index 0: a window over the caller's array.
            System.arraycopy(srcs, done, window, 0, chunk);
            int units;
            // Large packets may not all fit the native buffer at once: take fewer (the coalescer checks).
            while ((units = coalescer.coalesce(window, chunk, view.clear(), unitOffsets, unitLengths))
                    == GroCoalescer.NO_ROOM) {
                chunk /= 2;
            }
            // Through the ring where there is one; a unit it did not get through goes again one by one, which
            // waits, retries or splits it as it must (a refused write took nothing, so writing it again is safe).
            int u = 0;
            while (u < units) {
                if (batchSink != null && !refused) {
                    u += batchSink.sendUnits(scratch, unitOffsets, unitLengths, u, units);
                    if (u == units) {
                        break;
                    }
                }
                writeUnit(scratch, view, unitOffsets[u], unitLengths[u]);
                u++;
            }
            segmentsCoalesced.add(chunk - units);
            for (int i = 0; i < chunk; i++) {
                window[i].position(window[i].limit());
                window[i] = null;
            }
            done += chunk;
        }
    }

    private void writeUnit(long scratch, ByteBuffer view, int offset, int length) throws TunTapException {
        try {
            sink.send(scratch + offset, length);
        } catch (TunTapException e) {
            if (e.errorCode() != Errno.EINVAL || VirtioNetHdr.gsoType(view, offset) == VirtioNetHdr.GSO_NONE) {
                throw e;
            }
            refused = true;
            resendSplit(view, offset, length);
        }
    }

    private void resendSplit(ByteBuffer view, int offset, int length) throws TunTapException {
        if (refusedSplitter == null) {
            refusedSplitter = new GsoSplitter();
            refusedSegment = ByteBuffer.allocateDirect(GsoSplitter.MAX_READ_SIZE).order(ByteOrder.nativeOrder());
            refusedSegmentAddress = Pointer.nativeValue(Native.getDirectBufferPointer(refusedSegment));
        }
        if (refusedSplitter.start(view, offset, length) < 0) {
            throw new IllegalStateException("the coalescer produced a packet it cannot split again (" + length
                    + " bytes at " + offset + "); this is a bug in tuntap");
        }
        while (true) {
            refusedSegment.clear().position(VirtioNetHdr.SIZE);
            if (refusedSplitter.next(refusedSegment) < 0) {
                return;
            }
            VirtioNetHdr.putPlain(refusedSegment, 0);
            refusedSegment.flip();
            sink.send(refusedSegmentAddress, refusedSegment.limit());
        }
    }

    /** True once the kernel refused a coalesced packet: from then on the queue writes packets one by one. */
    boolean refused() {
        return refused;
    }

    /** Packets merged into another one's super-packet. */
    long segmentsCoalesced() {
        return segmentsCoalesced.sum();
    }
}
