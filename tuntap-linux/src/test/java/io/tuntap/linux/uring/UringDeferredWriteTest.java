// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.uring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.PacketTooLargeException;
import io.tuntap.TunTapException;
import io.tuntap.linux.jna.LinuxLibC;
import io.tuntap.linux.jna.NativeCalls;
import io.tuntap.linux.jna.Sys;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A write that finds no room. A TUN device has room for every packet unless a program limited its send buffer
 * (TUNSETSNDBUF), so its EAGAIN cannot be caused on demand here; a pipe of one page can: with {@code RWF_NOWAIT},
 * the fifth 1000-byte record finds it full and completes with EAGAIN, and so does every record after it in the
 * same submission (nothing drains the pipe meanwhile: the host's wait is the only reader). The batch path must
 * then wait for room and go on from that record, linking its writes from then on, so that the reader sees every
 * record once, in order.
 */
class UringDeferredWriteTest {
    private static final int F_SETPIPE_SZ = 1031;
    private static final int RECORD = 1000;
    private static final int BATCH = 128;
    private static final int BATCHES = 3;

    private final LinuxLibC libc = NativeCalls.libc();
    private final Memory pipeFds = new Memory(8);
    private int readEnd = -1;
    private int writeEnd = -1;

    @BeforeEach
    void pipeOfOnePage() {
        assumeTrue(UringSupport.get().enabled(), () -> "io_uring is not usable here: " + UringSupport.get());
        assertEquals(0, libc.pipe(Pointer.nativeValue(pipeFds)), "pipe");
        readEnd = pipeFds.getInt(0);
        writeEnd = pipeFds.getInt(4);
        assertEquals(4096, libc.fcntl(writeEnd, F_SETPIPE_SZ, 4096), "F_SETPIPE_SZ");
    }

    @AfterEach
    void closePipe() {
        if (readEnd >= 0) {
            libc.close(readEnd);
            libc.close(writeEnd);
        }
        pipeFds.close();
    }

    @Test
    void aWriteDeferredInsideTheRingIsRetriedInOrder() throws Exception {
        WaitingHost host = new WaitingHost();
        ByteBuffer[] records = new ByteBuffer[BATCH];
        for (int i = 0; i < BATCH; i++) {
            records[i] = ByteBuffer.allocateDirect(RECORD);
        }
        try (UringBatchIo io = new UringBatchIo(NativeCalls.ioUring(), libc, writeEnd, 65535, host, "pipe", false)) {
            int sequence = 0;
            for (int b = 0; b < BATCHES; b++) {
                for (ByteBuffer record : records) {
                    record.clear();
                    record.putInt(0, sequence++);
                }
                assertEquals(BATCH, io.writePackets(records, BATCH));
                for (ByteBuffer record : records) {
                    assertEquals(0, record.remaining(), "every record of the batch was sent");
                }
            }
            host.drain();
            assertEquals(BATCH * BATCHES, host.next, "every record came, in order");
            assertTrue(io.writesUseRing(), "the writes went through the ring");
        }
        assertTrue(host.waits > 0, "a pipe of one page must have refused a write of the batch");
    }

    /**
     * The queue's side of the batch path, over the pipe: its wait for room reads what the pipe holds (checking
     * that the records come in sequence) and counts the waits.
     */
    private final class WaitingHost implements UringBatchIo.Host {
        int waits;
        /** The sequence number the next record must carry. */
        int next;
        private final Memory buffer = new Memory(RECORD);
        private final ByteBuffer view = buffer.getByteBuffer(0, RECORD).order(ByteOrder.BIG_ENDIAN); // as written

        @Override
        public void awaitReadable() {
            throw new AssertionError("no reads here");
        }

        @Override
        public void awaitWritable() {
            waits++;
            drain();
        }

        /** Reads every whole record the pipe holds, each of which must be the next in sequence. */
        void drain() {
            long address = Pointer.nativeValue(buffer);
            while (true) {
                try (Memory pollFd = new Memory(Sys.POLLFD_SIZE)) {
                    pollFd.setInt(0, readEnd);
                    pollFd.setShort(4, Sys.POLLIN);
                    pollFd.setShort(6, (short) 0);
                    if (libc.poll(Pointer.nativeValue(pollFd), 1, 0) != 1) {
                        return;
                    }
                }
                int filled = 0;
                while (filled < RECORD) { // a record of at most PIPE_BUF bytes is written whole (pipe(7))
                    long n = libc.read(readEnd, address + filled, RECORD - filled);
                    assertTrue(n > 0, "read from the pipe returned " + n + " (errno " + libc.errno() + ")");
                    filled += (int) n;
                }
                assertEquals(next++, view.getInt(0), "records arrive in the order written");
            }
        }

        @Override
        public void checkWrite(ByteBuffer src) {
        }

        @Override
        public TunTapException ioError(String call, int errno, String context) {
            return new TunTapException(call, errno, call + " failed with errno " + errno + "; " + context);
        }

        @Override
        public PacketTooLargeException tooLarge(int length, int room) {
            throw new AssertionError("no reads here");
        }

        @Override
        public void defer(PacketTooLargeException e) {
            throw new AssertionError("no reads here");
        }
    }
}
