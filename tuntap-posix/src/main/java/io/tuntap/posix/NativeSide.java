// SPDX-License-Identifier: Apache-2.0
package io.tuntap.posix;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The native memory of one side of a {@link PosixQueue}, read or write: the addresses of the caller's direct
 * buffers ({@link DirectAddresses}) and a scratch buffer for heap buffers, made at first use. Touched only by
 * that side's thread.
 */
final class NativeSide {
    private final int scratchSize;
    private final DirectAddresses addresses = new DirectAddresses();
    private Memory scratch;
    private ByteBuffer scratchView;

    NativeSide(int scratchSize) {
        this.scratchSize = scratchSize;
    }

    /** The address of the direct {@code buffer}'s first byte. */
    long address(ByteBuffer buffer) {
        return addresses.of(buffer);
    }

    /** The scratch buffer's address. */
    long scratchAddress() {
        if (scratch == null) {
            scratch = new Memory(scratchSize);
            scratchView = scratch.getByteBuffer(0, scratchSize).order(ByteOrder.nativeOrder());
        }
        return Pointer.nativeValue(scratch);
    }

    /** A view of the scratch buffer in native order; valid after {@link #scratchAddress()}. */
    ByteBuffer scratchView() {
        return scratchView;
    }

    int scratchSize() {
        return scratchSize;
    }

    /** Frees the scratch buffer and lets the caller's buffers go; only once no call uses them. */
    void close() {
        if (scratch != null) {
            scratch.close();
        }
        addresses.clear();
    }
}
