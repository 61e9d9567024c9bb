// SPDX-License-Identifier: Apache-2.0
package io.tuntap.spi;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.Objects;

/**
 * The argument checks of {@link io.tuntap.PacketChannel#readPackets} and
 * {@link io.tuntap.PacketChannel#writePackets}, so that every backend rejects the same calls with the same
 * words. Allocation-free unless the arguments are wrong.
 */
public final class BatchChecks {
    private BatchChecks() {
    }

    /**
     * Checks a read batch: {@code count} in {@code 1..dsts.length}, no null buffer among the first
     * {@code count}, none read-only.
     *
     * @param dsts the buffers of a {@link io.tuntap.PacketChannel#readPackets} call
     * @param count how many of them the call may fill
     * @throws IllegalArgumentException if {@code count} is out of range
     * @throws NullPointerException if {@code dsts} or one of the buffers used is null
     * @throws ReadOnlyBufferException if one of the buffers used is read-only
     */
    public static void checkReadBatch(ByteBuffer[] dsts, int count) {
        Objects.requireNonNull(dsts, "dsts");
        if (count < 1 || count > dsts.length) {
            throw new IllegalArgumentException("readPackets count " + count + " is not in 1.." + dsts.length
                    + " (the number of buffers)");
        }
        for (int i = 0; i < count; i++) {
            if (dsts[i] == null) {
                throw new NullPointerException("readPackets buffer " + i + " is null");
            }
            if (dsts[i].isReadOnly()) {
                throw new ReadOnlyBufferException();
            }
        }
    }

    /**
     * Checks a write batch: {@code count} in {@code 0..srcs.length}, no null buffer among the first
     * {@code count}.
     *
     * @param srcs the packets of a {@link io.tuntap.PacketChannel#writePackets} call
     * @param count how many of them to send
     * @throws IllegalArgumentException if {@code count} is out of range
     * @throws NullPointerException if {@code srcs} or one of the buffers used is null
     */
    public static void checkWriteBatch(ByteBuffer[] srcs, int count) {
        Objects.requireNonNull(srcs, "srcs");
        if (count < 0 || count > srcs.length) {
            throw new IllegalArgumentException("writePackets count " + count + " is not in 0.." + srcs.length
                    + " (the number of buffers)");
        }
        for (int i = 0; i < count; i++) {
            if (srcs[i] == null) {
                throw new NullPointerException("writePackets buffer " + i + " is null");
            }
        }
    }
}
