// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import io.tuntap.PacketChannel;
import io.tuntap.TunTapException;
import java.nio.ByteBuffer;

/**
 * The packet loop of the allocation tests, its buffers made once: two single reads (a direct buffer, then a
 * heap one), two single writes (an IPv4 packet from a direct buffer, an IPv6 one from a heap buffer) and a
 * batch read of two packets into direct buffers. Each buffer is reused from pass to pass, as the callers of a
 * queue do, so that the queue's own allocations are all that a pass can show.
 */
final class PacketLoop {
    private final ByteBuffer directIn;
    private final ByteBuffer heapIn = ByteBuffer.allocate(2000);
    private final ByteBuffer directOut = ByteBuffer.allocateDirect(60);
    private final ByteBuffer heapOut = ByteBuffer.allocate(60);
    private final ByteBuffer[] batch = {ByteBuffer.allocateDirect(100), ByteBuffer.allocateDirect(100)};

    /** @param directInSize the room of the direct read buffer: under a packet's longest, the read takes readv */
    PacketLoop(int directInSize) {
        directIn = ByteBuffer.allocateDirect(directInSize);
        directOut.put(0, (byte) 0x45);
        heapOut.put(0, (byte) 0x60);
    }

    /** One pass through {@code queue}; returns the sum of the calls' results (bytes, and packets of the batch). */
    long pass(PacketChannel queue) throws TunTapException {
        long sink = queue.read(directIn.clear());
        sink += queue.read(heapIn.clear());
        sink += queue.write(directOut.clear());
        sink += queue.write(heapOut.clear());
        batch[0].clear();
        batch[1].clear();
        return sink + queue.readPackets(batch, 2);
    }
}
