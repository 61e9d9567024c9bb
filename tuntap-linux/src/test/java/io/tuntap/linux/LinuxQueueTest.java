// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.sun.jna.Pointer;
import io.tuntap.DeviceClosedException;
import io.tuntap.PacketTooLargeException;
import io.tuntap.TunTapException;
import io.tuntap.linux.jna.Errno;
import io.tuntap.linux.jna.LinuxLibC;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The packet path and close semantics against a mocked libc: errno handling without a kernel. */
class LinuxQueueTest {
    private static final int FD = 40;
    private static final int WAKE_FD = 41;
    private static final byte[] PACKET = {0x45, 0, 0, 5, 1};

    private LinuxLibC libc;
    private final AtomicInteger errno = new AtomicInteger();

    @BeforeEach
    void mockLibc() {
        libc = mock(LinuxLibC.class);
        when(libc.eventfd(anyInt(), anyInt())).thenReturn(WAKE_FD);
        when(libc.errno()).thenAnswer(i -> errno.get());
    }

    private LinuxQueue queue() throws TunTapException {
        return LinuxQueue.open(libc, FD, "tun9", 0);
    }

    /** readv delivers {@code packet} through the iovecs, as the kernel does: caller's segment first. */
    private long deliver(long iovecs, byte[] packet) {
        Pointer iov = new Pointer(iovecs);
        long room = iov.getLong(8);
        int first = (int) Math.min(room, packet.length);
        new Pointer(iov.getLong(0)).write(0, packet, 0, first);
        if (first < packet.length) {
            new Pointer(iov.getLong(16)).write(0, packet, first, packet.length - first);
        }
        return packet.length;
    }

    @Test
    void readsAWholePacketIntoADirectBufferAtItsPosition() throws Exception {
        when(libc.readv(eq(FD), anyLong(), eq(2))).thenAnswer(i -> deliver(i.getArgument(1), PACKET));
        ByteBuffer dst = ByteBuffer.allocateDirect(100).position(10);
        assertEquals(5, queue().read(dst));
        assertEquals(15, dst.position());
        byte[] got = new byte[5];
        dst.get(10, got);
        assertArrayEquals(PACKET, got);
    }

    @Test
    void aPacketLongerThanTheBufferIsReportedNotTruncated() throws Exception {
        when(libc.readv(eq(FD), anyLong(), eq(2))).thenAnswer(i -> deliver(i.getArgument(1), new byte[300]));
        ByteBuffer dst = ByteBuffer.allocateDirect(100);
        PacketTooLargeException e = assertThrows(PacketTooLargeException.class, () -> queue().read(dst));
        assertEquals(300, e.packetLength());
        assertEquals(100, e.bufferCapacity());
        assertEquals(0, dst.position());
    }

    @Test
    void eagainWaitsInPollAndEintrRetries() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        when(libc.readv(eq(FD), anyLong(), eq(2))).thenAnswer(i -> {
            switch (calls.getAndIncrement()) {
                case 0 -> errno.set(Errno.EAGAIN);
                case 1 -> errno.set(Errno.EINTR);
                default -> {
                    return deliver(i.getArgument(1), PACKET);
                }
            }
            return -1L;
        });
        when(libc.poll(anyLong(), eq(2L), anyInt())).thenReturn(1);
        assertEquals(5, queue().read(ByteBuffer.allocateDirect(100)));
        verify(libc, times(1)).poll(anyLong(), eq(2L), anyInt());
    }

    @Test
    void aTimedReadReturnsZeroWhenNothingComes() throws Exception {
        when(libc.readv(eq(FD), anyLong(), anyInt())).thenAnswer(i -> {
            errno.set(Errno.EAGAIN);
            return -1L;
        });
        when(libc.poll(anyLong(), eq(2L), anyInt())).thenReturn(0);
        assertEquals(0, queue().read(ByteBuffer.allocateDirect(100), Duration.ofMillis(30)));
        assertEquals(0, queue().read(ByteBuffer.allocateDirect(100), Duration.ZERO));
    }

    @Test
    void closeWakesTheBlockedReaderAndClosesEachFdOnceAfterItLeft() throws Exception {
        CountDownLatch woken = new CountDownLatch(1);
        CountDownLatch polling = new CountDownLatch(1);
        when(libc.readv(eq(FD), anyLong(), eq(2))).thenAnswer(i -> {
            errno.set(Errno.EAGAIN);
            return -1L;
        });
        when(libc.poll(anyLong(), eq(2L), anyInt())).thenAnswer(i -> {
            polling.countDown();
            return woken.await(5, TimeUnit.SECONDS) ? 1 : 0;
        });
        when(libc.write(eq(WAKE_FD), anyLong(), eq(8L))).thenAnswer(i -> {
            woken.countDown();
            return 8L;
        });
        LinuxQueue q = queue();
        CompletableFuture<Throwable> reader = new CompletableFuture<>();
        new Thread(() -> {
            try {
                q.read(ByteBuffer.allocateDirect(100));
                reader.complete(null);
            } catch (Throwable e) {
                reader.complete(e);
            }
        }).start();
        assertTrue(polling.await(5, TimeUnit.SECONDS));
        q.close();
        q.close();
        assertInstanceOf(DeviceClosedException.class, reader.get(5, TimeUnit.SECONDS));
        assertFalse(q.isOpen());
        verify(libc, times(1)).close(FD);
        verify(libc, times(1)).close(WAKE_FD);
        assertThrows(DeviceClosedException.class, () -> q.write(ByteBuffer.wrap(PACKET)));
    }

    @Test
    void writeOnADownLinkSaysToBringItUp() throws Exception {
        when(libc.writev(eq(FD), anyLong(), eq(1))).thenAnswer(i -> {
            errno.set(Errno.EIO);
            return -1L;
        });
        TunTapException e = assertThrows(TunTapException.class, () -> queue().write(ByteBuffer.wrap(PACKET)));
        assertTrue(e.getMessage().contains("link is down") && e.getMessage().contains("setUp(true)"), e.getMessage());
        assertEquals(Errno.EIO, e.errorCode());
    }

    @Test
    void writeSendsTheWholeRemainingBufferAndAdvancesIt() throws Exception {
        when(libc.writev(eq(FD), anyLong(), eq(1))).thenAnswer(i -> new Pointer(i.getArgument(1)).getLong(8));
        ByteBuffer heap = ByteBuffer.wrap(PACKET);
        assertEquals(5, queue().write(heap));
        assertEquals(5, heap.position());
        assertThrows(TunTapException.class, () -> queue().write(ByteBuffer.allocate(0)));
    }

    @Test
    void eventfdFailureClosesTheDeviceFd() {
        when(libc.eventfd(anyInt(), anyInt())).thenAnswer(i -> {
            errno.set(Errno.EMFILE);
            return -1;
        });
        TunTapException e = assertThrows(TunTapException.class, this::queue);
        assertTrue(e.getMessage().contains("ulimit"), e.getMessage());
        verify(libc).close(FD);
    }
}
