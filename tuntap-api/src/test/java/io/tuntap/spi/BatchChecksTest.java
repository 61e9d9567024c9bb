// SPDX-License-Identifier: Apache-2.0
package io.tuntap.spi;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.Test;

class BatchChecksTest {
    private final ByteBuffer[] two = {ByteBuffer.allocate(10), ByteBuffer.allocate(10)};

    @Test
    void readBatchesNeedOneToAllBuffersWritable() {
        assertDoesNotThrow(() -> BatchChecks.checkReadBatch(two, 1));
        assertDoesNotThrow(() -> BatchChecks.checkReadBatch(two, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BatchChecks.checkReadBatch(two, 0));
        assertTrue(e.getMessage().contains("count 0 is not in 1..2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BatchChecks.checkReadBatch(two, 3));
        assertThrows(NullPointerException.class, () -> BatchChecks.checkReadBatch(new ByteBuffer[] {null}, 1));
        assertThrows(ReadOnlyBufferException.class,
                () -> BatchChecks.checkReadBatch(new ByteBuffer[] {ByteBuffer.allocate(1).asReadOnlyBuffer()}, 1));
    }

    @Test
    void writeBatchesMayBeEmpty() {
        assertDoesNotThrow(() -> BatchChecks.checkWriteBatch(two, 0));
        assertDoesNotThrow(() -> BatchChecks.checkWriteBatch(new ByteBuffer[] {null, two[0]}, 0));
        assertThrows(IllegalArgumentException.class, () -> BatchChecks.checkWriteBatch(two, -1));
        assertThrows(IllegalArgumentException.class, () -> BatchChecks.checkWriteBatch(two, 3));
        assertThrows(NullPointerException.class, () -> BatchChecks.checkWriteBatch(new ByteBuffer[] {two[0], null}, 2));
    }
}
