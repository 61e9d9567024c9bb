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
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.sun.jna.Pointer;
import io.tuntap.DeviceClosedException;
import io.tuntap.DeviceInterruptedException;
import io.tuntap.DeviceNotFoundException;
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
    void aBufferWithRoomForAnyPacketGetsAPlainRead() throws Exception {
        when(libc.read(eq(FD), anyLong(), eq(65535L))).thenAnswer(i -> {
            new Pointer(i.getArgument(1)).write(0, PACKET, 0, PACKET.length);
            return (long) PACKET.length;
        });
        ByteBuffer dst = ByteBuffer.allocateDirect(65535);
        assertEquals(5, queue().read(dst));
        assertEquals(5, dst.position());
        verify(libc, times(0)).readv(anyInt(), anyLong(), anyInt());
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
    void aBatchStopsBeforeAPacketTooLargeAndTheNextCallReportsIt() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        when(libc.readv(eq(FD), anyLong(), eq(2))).thenAnswer(i -> switch (calls.getAndIncrement()) {
            case 0, 1 -> deliver(i.getArgument(1), PACKET);
            case 2 -> deliver(i.getArgument(1), new byte[500]);
            default -> {
                errno.set(Errno.EAGAIN);
                yield -1L;
            }
        });
        ByteBuffer[] batch = {ByteBuffer.allocateDirect(100), ByteBuffer.allocateDirect(100), ByteBuffer.allocateDirect(100)};
        LinuxQueue q = queue();
        assertEquals(2, q.readPackets(batch, 3));
        assertEquals(5, batch[0].position());
        assertEquals(5, batch[1].position());
        assertEquals(0, batch[2].position());
        PacketTooLargeException e = assertThrows(PacketTooLargeException.class, () -> q.read(ByteBuffer.allocateDirect(100)));
        assertEquals(500, e.packetLength());
        assertEquals(0, q.read(ByteBuffer.allocateDirect(100), Duration.ZERO), "reported once");
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
        when(libc.write(eq(FD), anyLong(), anyLong())).thenAnswer(i -> {
            errno.set(Errno.EIO);
            return -1L;
        });
        TunTapException e = assertThrows(TunTapException.class, () -> queue().write(ByteBuffer.wrap(PACKET)));
        assertTrue(e.getMessage().contains("link is down") && e.getMessage().contains("setUp(true)"), e.getMessage());
        assertEquals(Errno.EIO, e.errorCode());
    }

    @Test
    void writeSendsTheWholeRemainingBufferAndAdvancesIt() throws Exception {
        when(libc.write(eq(FD), anyLong(), anyLong())).thenAnswer(i -> i.getArgument(2));
        ByteBuffer heap = ByteBuffer.wrap(PACKET);
        assertEquals(5, queue().write(heap));
        assertEquals(5, heap.position());
        assertThrows(TunTapException.class, () -> queue().write(ByteBuffer.allocate(0)));
    }

    /** A TCP/IPv4 segment of one flow: 20-byte IP and TCP headers, ACK set, DF set, valid checksums. */
    private static ByteBuffer tcpSegment(int seq, int payload) {
        ByteBuffer p = ByteBuffer.allocateDirect(40 + payload);
        p.put(0, (byte) 0x45).putShort(2, (short) (40 + payload)).putShort(6, (short) 0x4000).put(8, (byte) 64)
                .put(9, (byte) 6).putInt(12, 0x0a000001).putInt(16, 0x0a000002);
        p.putShort(20, (short) 40000).putShort(22, (short) 443).putInt(24, seq).putInt(28, 5000)
                .put(32, (byte) 0x50).put(33, (byte) 0x10).putShort(34, (short) 512);
        // Valid checksums: the coalescer merges only segments that verify.
        io.tuntap.linux.offload.Checksums.putIpv4HeaderChecksum(p, 0, 20);
        int pseudo = io.tuntap.linux.offload.Checksums.pseudoHeaderSumV4(p, 0, 6, 20 + payload);
        p.putShort(36, (short) io.tuntap.linux.offload.Checksums.finish(io.tuntap.linux.offload.Checksums.add(pseudo,
                io.tuntap.linux.offload.Checksums.sum(p, 20, 20 + payload))));
        return p;
    }

    @Test
    void aKernelThatRefusesCoalescedPacketsGetsThemSplitAgainAndNoMore() throws Exception {
        java.util.List<Integer> accepted = new java.util.ArrayList<>();
        when(libc.writev(eq(FD), anyLong(), anyInt())).thenAnswer(i -> {
            Pointer iov = new Pointer(i.getArgument(1));
            int count = i.getArgument(2);
            long total = 0;
            for (int v = 0; v < count; v++) {
                total += iov.getLong(16L * v + 8);
            }
            accepted.add((int) total); // a plain write from writePackets' fallback: [zero header][packet]
            return total;
        });
        when(libc.write(eq(FD), anyLong(), anyLong())).thenAnswer(i -> {
            long length = i.getArgument(2);
            if (new Pointer(i.getArgument(1)).getByte(1) != 0) { // gso_type: a coalesced super-packet
                errno.set(Errno.EINVAL);
                return -1L;
            }
            accepted.add((int) length);
            return length;
        });
        LinuxQueue q = LinuxQueue.open(libc, FD, "tun9", 0, io.tuntap.DeviceMode.TUN, VnetMode.SPLIT, false);
        ByteBuffer[] flow = {tcpSegment(1000, 100), tcpSegment(1100, 100), tcpSegment(1200, 100)};
        assertEquals(3, q.writePackets(flow, 3));
        assertTrue(q.coalescingRefused());
        assertEquals(java.util.List.of(150, 150, 150), accepted, "three plain packets, each with a 10-byte header");
        for (ByteBuffer b : flow) {
            assertFalse(b.hasRemaining());
        }
        accepted.clear();
        ByteBuffer[] more = {tcpSegment(1300, 100), tcpSegment(1400, 100)};
        q.writePackets(more, 2);
        assertEquals(java.util.List.of(150, 150), accepted, "no more coalescing on this queue");
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

    @Test
    void aReadOnAnInterruptedThreadThrowsAtOnceWithoutASystemCall() throws Exception {
        LinuxQueue q = queue();
        ByteBuffer dst = ByteBuffer.allocateDirect(100);
        Thread.currentThread().interrupt();
        try {
            assertThrows(DeviceInterruptedException.class, () -> q.read(dst));
            assertThrows(DeviceInterruptedException.class, () -> q.read(dst, Duration.ofSeconds(5)));
            assertThrows(DeviceInterruptedException.class, () -> q.readPackets(new ByteBuffer[] {dst}, 1));
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status stays set");
        } finally {
            Thread.interrupted();
        }
        // No poll, hence no wait: the exception cannot depend on a timer.
        verify(libc, never()).poll(anyLong(), anyInt(), anyInt());
        verify(libc, never()).read(anyInt(), anyLong(), anyLong());
        verify(libc, never()).readv(anyInt(), anyLong(), anyInt());
        assertTrue(q.isOpen());
    }

    private static ByteBuffer ipPacket(int version, int length) {
        ByteBuffer b = ByteBuffer.allocateDirect(length);
        b.put(0, (byte) (version << 4 | (version == 4 ? 5 : 0)));
        return b;
    }

    @Test
    void tunWritesLongerThanAnIpPacketAreRejectedBeforeAnySystemCall() throws Exception {
        when(libc.write(eq(FD), anyLong(), anyLong())).thenAnswer(i -> i.getArgument(2));
        LinuxQueue q = queue();
        PacketTooLargeException e = assertThrows(PacketTooLargeException.class, () -> q.write(ipPacket(4, 65536)));
        assertEquals(0, e.errorCode());
        assertTrue(e.getMessage().contains("65535"), e.getMessage());
        assertThrows(PacketTooLargeException.class, () -> q.write(ipPacket(6, 65576)));
        assertThrows(PacketTooLargeException.class, () -> q.write(ipPacket(4, 65600)));
        verify(libc, never()).write(anyInt(), anyLong(), anyLong());
        // The longest of each: 65535 bytes of IPv4; 40 + 65535 of IPv6 (its payload length excludes the header).
        assertEquals(65535, q.write(ipPacket(4, 65535)));
        assertEquals(65575, q.write(ipPacket(6, 65575)));
        verify(libc, times(2)).write(eq(FD), anyLong(), anyLong());
    }

    @Test
    void aWriteAfterTheInterfaceWasDeletedIsDeviceNotFound() throws Exception {
        when(libc.write(eq(FD), anyLong(), anyLong())).thenAnswer(i -> {
            errno.set(Errno.EBADFD);
            return -1L;
        });
        DeviceNotFoundException e = assertThrows(DeviceNotFoundException.class,
                () -> queue().write(ByteBuffer.allocateDirect(PACKET.length).put(0, PACKET)));
        assertEquals(Errno.EBADFD, e.errorCode());
        assertTrue(e.getMessage().contains("deleted"), e.getMessage());
    }
}
