// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.posix.DirectAddresses;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The native memory a queue reads and writes through, made on first use: the address of the caller's direct
 * buffers (remembered per buffer in {@link DirectAddresses}, so that reusing a buffer, or the buffers of a
 * batch, costs no JNI call and no allocation), and one scratch buffer per side,
 * for heap buffers, offload and the read overflow segment. Each side is touched only by its own thread.
 */
final class NativeBuffers {
    private final int readScratchSize;
    private final int writeScratchSize;
    /** The read iovecs: the second one points at the read scratch buffer, the overflow segment. */
    private final ByteBuffer readIovecs;
    private final int overflowIovec;

    // Reader side.
    private Memory readScratch;
    private ByteBuffer readScratchView;
    private final DirectAddresses readAddresses = new DirectAddresses();

    // Writer side.
    private Memory writeScratch;
    private ByteBuffer writeScratchView;
    private final DirectAddresses writeAddresses = new DirectAddresses();

    /**
     * @param readScratchSize the reader's scratch: a whole read for heap buffers and offload
     * @param writeScratchSize the writer's scratch: a coalesced batch, or one packet with its header
     * @param readIovecs the read iovec pair, whose second entry (at {@code overflowIovec}) gets the scratch
     */
    NativeBuffers(int readScratchSize, int writeScratchSize, ByteBuffer readIovecs, int overflowIovec) {
        this.readScratchSize = readScratchSize;
        this.writeScratchSize = writeScratchSize;
        this.readIovecs = readIovecs;
        this.overflowIovec = overflowIovec;
    }

    /** The native address of a direct buffer the caller reads into; sets up the overflow segment too. */
    long readAddress(ByteBuffer dst) {
        readScratchAddress(); // the overflow segment
        return readAddresses.of(dst);
    }

    /** The native address of a direct buffer the caller writes from. */
    long writeAddress(ByteBuffer src) {
        return writeAddresses.of(src);
    }

    /** The reader's scratch buffer: the whole read for heap buffers and offload, the overflow otherwise. */
    long readScratchAddress() {
        if (readScratch == null) {
            readScratch = new Memory(readScratchSize);
            readScratchView = readScratch.getByteBuffer(0, readScratchSize).order(ByteOrder.nativeOrder());
            readIovecs.putLong(overflowIovec, Pointer.nativeValue(readScratch))
                    .putLong(overflowIovec + 8, readScratchSize);
        }
        return Pointer.nativeValue(readScratch);
    }

    /** A view of the reader's scratch buffer; valid after {@link #readScratchAddress()}. */
    ByteBuffer readScratchView() {
        return readScratchView;
    }

    /** The size of the reader's scratch buffer. */
    int readScratchSize() {
        return readScratchSize;
    }

    /** The writer's scratch buffer. */
    long writeScratchAddress() {
        if (writeScratch == null) {
            writeScratch = new Memory(writeScratchSize);
            writeScratchView = writeScratch.getByteBuffer(0, writeScratchSize).order(ByteOrder.nativeOrder());
        }
        return Pointer.nativeValue(writeScratch);
    }

    /** A view of the writer's scratch buffer; valid after {@link #writeScratchAddress()}. */
    ByteBuffer writeScratchView() {
        return writeScratchView;
    }

    /** Frees both scratch buffers; only once no call uses them. */
    void close() {
        readAddresses.clear(); // let the caller's buffers go
        writeAddresses.clear();
        if (readScratch != null) {
            readScratch.close();
        }
        if (writeScratch != null) {
            writeScratch.close();
        }
    }
}
