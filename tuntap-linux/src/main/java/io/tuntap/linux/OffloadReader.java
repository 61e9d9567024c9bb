// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import io.tuntap.PacketTooLargeException;
import io.tuntap.TunTapException;
import io.tuntap.linux.offload.GsoSplitter;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The read side of kernel offload ({@link VnetMode#SPLIT}): one read from the kernel takes a packet or a TCP/UDP
 * super-packet of up to 64 KB with its {@code virtio_net_hdr} into the queue's read scratch buffer, and the
 * following reads hand it out as MTU-sized packets without further system calls. Touched only by the reading
 * thread; the counters may be read from any thread.
 */
final class OffloadReader {
    /** Reads the next packet from the kernel into the scratch buffer. */
    interface Source {
        /** @return its length, or 0 if none came within the timeout (negative: wait for ever) */
        int receive(long timeoutNanos) throws TunTapException;
    }

    /** Makes the exception for a packet longer than the caller's buffer. */
    interface TooLarge {
        PacketTooLargeException of(int length, int room);
    }

    private final GsoSplitter splitter = new GsoSplitter();
    /** The queue's read scratch buffer, which {@link #source} fills. */
    private final Supplier<ByteBuffer> scratch;
    private final Source source;
    private final TooLarge tooLarge;
    private final LongAdder malformed = new LongAdder();
    private final LongAdder superPacketsRead = new LongAdder();
    private boolean splitting;

    OffloadReader(Supplier<ByteBuffer> scratch, Source source, TooLarge tooLarge) {
        this.scratch = scratch;
        this.source = source;
        this.tooLarge = tooLarge;
    }

    /** The next packet of the current super-packet, reading the next one from the kernel when it is used up. */
    int read(ByteBuffer dst, long timeoutNanos) throws TunTapException {
        while (true) {
            if (splitting) {
                int needed = splitter.nextLength();
                if (needed != GsoSplitter.DONE) {
                    int room = dst.limit() - dst.position();
                    if (needed > room) {
                        splitter.skip();
                        throw tooLarge.of(needed, room);
                    }
                    return splitter.next(dst);
                }
                splitting = false;
            }
            int n = source.receive(timeoutNanos);
            if (n == 0) {
                return 0;
            }
            int segments = splitter.start(scratch.get(), 0, n);
            if (segments < 0) {
                // The kernel's header and packet disagree: drop it, as the kernel drops a malformed packet.
                malformed.increment();
                continue;
            }
            if (segments > 1) {
                superPacketsRead.increment();
            }
            splitting = true;
        }
    }

    /** Packets read whole from the kernel that were malformed and dropped. */
    long malformedDropped() {
        return malformed.sum();
    }

    /** Kernel super-packets (GSO) read and split. */
    long superPacketsRead() {
        return superPacketsRead.sum();
    }
}
