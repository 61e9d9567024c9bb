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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A write that the kernel defers inside the ring. A TUN device takes or drops every packet at once, so its
 * EAGAIN cannot be caused on demand; a pipe of one page can: with {@code RWF_NOWAIT}, the fifth 1000-byte
 * record finds it full and completes with EAGAIN, which cancels the rest of the linked batch. The batch path
 * must then wait for room and go on from that record, so that the reader sees every record once, in order.
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
    /** The reader's outcome: how many records came in order, or why it stopped. */
    private Future<Integer> inOrder;

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
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try (UringBatchIo io = new UringBatchIo(NativeCalls.ioUring(), libc, writeEnd, 65535, host, "pipe")) {
            inOrder = reader.submit(this::readRecordsInOrder);
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
            assertEquals(BATCH * BATCHES, inOrder.get(30, TimeUnit.SECONDS));
            assertTrue(io.writesUseRing(), "the writes went through the ring");
        } finally {
            reader.shutdownNow();
        }
        assertTrue(host.waits.get() > 0, "a pipe of one page must have deferred a write of the batch");
    }

    /** Reads the stream of records and returns how many came in sequence; fails at the first out of place. */
    private int readRecordsInOrder() {
        try (Memory buffer = new Memory(RECORD)) {
            ByteBuffer view = buffer.getByteBuffer(0, RECORD).order(ByteOrder.BIG_ENDIAN); // as the records were written
            long address = Pointer.nativeValue(buffer);
            for (int expected = 0; expected < BATCH * BATCHES; expected++) {
                int filled = 0;
                while (filled < RECORD) {
                    long n = libc.read(readEnd, address + filled, RECORD - filled);
                    if (n <= 0) {
                        throw new AssertionError("read from the pipe returned " + n + " (errno " + libc.errno() + ")");
                    }
                    filled += (int) n;
                }
                assertEquals(expected, view.getInt(0), "records arrive in the order written");
            }
            return BATCH * BATCHES;
        }
    }

    private String outcome() {
        try {
            return "read " + inOrder.get() + " records";
        } catch (Exception e) {
            return String.valueOf(e.getCause());
        }
    }

    /** The queue's side of the batch path, over the pipe: waits for room with poll and counts the waits. */
    private final class WaitingHost implements UringBatchIo.Host {
        final AtomicInteger waits = new AtomicInteger();

        @Override
        public void awaitReadable() {
            throw new AssertionError("no reads here");
        }

        @Override
        public void awaitWritable() throws TunTapException {
            waits.incrementAndGet();
            try (Memory pollFd = new Memory(Sys.POLLFD_SIZE)) {
                pollFd.setInt(0, writeEnd);
                pollFd.setShort(4, Sys.POLLOUT);
                pollFd.setShort(6, (short) 0);
                if (libc.poll(Pointer.nativeValue(pollFd), 1, 10_000) != 1) {
                    String reader = inOrder.isDone() ? "the reader stopped: " + outcome() : "the reader is still reading";
                    throw new TunTapException("poll", libc.errno(), "the pipe did not drain within 10 s; " + reader);
                }
            }
        }

        @Override
        public void checkWriteLength(ByteBuffer src, int length) {
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
