// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.tuntap.bsd.jna.BsdAbi;
import io.tuntap.posix.PosixCalls;
import io.tuntap.posix.PosixLibC;
import io.tuntap.testkit.ThreadAllocations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The BSD packet path allocates nothing per packet with the binding this JVM picks ({@link PosixCalls}: the
 * foreign function API on Java 22 and later, JNA before; the build runs this class on both): a {@link BsdQueue}
 * framing FreeBSD's address-family header makes its real read, readv, write, writev and poll calls on this
 * Linux host, on one end of a {@code SOCK_SEQPACKET} socket pair that stands in for the tun fd (one record
 * per packet, a longer record cut to the buffer as a tun read cuts it). The test thread plays the kernel's
 * side on the other end through the same binding. What this shows beyond {@code AllocationTest} (whose fake
 * kernel replaces the binding): the binding's per-call work on the queue's calls (downcall handles, the
 * thread's errno segment) allocates nothing. What it does not: FreeBSD's own kernel answers (errno values
 * differ on Linux, so the loop keeps a packet waiting for every read and never meets EAGAIN).
 *
 * <p>Linux values (torvalds/linux): AF_UNIX 1 (include/linux/socket.h), SOCK_SEQPACKET 5 (include/linux/net.h),
 * F_GETFL 3, F_SETFL 4, O_NONBLOCK 00004000 (include/uapi/asm-generic/fcntl.h). FreeBSD's AF_INET 2 and
 * AF_INET6 28 (sys/sys/socket.h) in the header.
 */
@EnabledOnOs(OS.LINUX)
class HostCallsAllocationIT {
    private static final int AF_UNIX = 1;
    private static final int SOCK_SEQPACKET = 5;
    private static final int F_GETFL = 3;
    private static final int F_SETFL = 4;
    private static final int O_NONBLOCK = 04000;
    private static final int ROUNDS = 50_000;

    /** socketpair(2), which the backends never call: set-up only. */
    interface Sockets extends Library {
        int socketpair(int domain, int type, int protocol, int[] sv);
    }

    @Test
    void readsAndWritesOnRealDescriptorsAllocateNothingPerPacket() throws Exception {
        ThreadAllocations allocations = ThreadAllocations.orSkip();

        PosixLibC libc = PosixCalls.libc();
        if (Runtime.version().feature() >= 22 && !"false".equalsIgnoreCase(System.getProperty(PosixCalls.PROPERTY))) {
            assertTrue(PosixCalls.foreign(), "the foreign function binding on Java 22+: " + PosixCalls.binding());
        }
        int[] sv = new int[2];
        Sockets sockets = Native.load("c", Sockets.class);
        assertEquals(0, sockets.socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), "socketpair");
        int device = sv[0];
        int peer = sv[1];
        // Non-blocking, as the backend opens a tun fd: a read that found nothing would fail the test at once.
        assertEquals(0, libc.fcntl(device, F_SETFL, libc.fcntl(device, F_GETFL, 0) | O_NONBLOCK));
        BsdQueue q = BsdQueue.open(libc, BsdAbi.FREEBSD, device, "tun0", true, 65535);
        try (Memory in = new Memory(64); Memory out = new Memory(2048)) {
            in.clear();
            in.setByte(3, (byte) 28); // big-endian AF_INET6, then an IPv6 packet of 60 bytes
            in.setByte(4, (byte) 0x60);
            long inAddress = Pointer.nativeValue(in);
            long outAddress = Pointer.nativeValue(out);
            PacketLoop loop = new PacketLoop(100); // shorter than a packet can be: readv
            long sink = 0;
            int framed = 0;
            for (int round = 0; round < 2; round++) { // the first round warms up (thread state, JIT)
                long before = allocations.bytes();
                for (int i = 0; i < ROUNDS; i++) {
                    for (int p = 0; p < 4; p++) {
                        sink += libc.write(peer, inAddress, 64);
                    }
                    sink += loop.pass(q);
                    sink += libc.read(peer, outAddress, 2048);
                    framed += out.getByte(3) == 2 && out.getByte(4) == 0x45 ? 1 : 0;
                    sink += libc.read(peer, outAddress, 2048);
                    framed += out.getByte(3) == 28 && out.getByte(4) == 0x60 ? 1 : 0;
                }
                long allocated = allocations.bytes() - before;
                if (round == 1) {
                    assertTrue(allocated / (double) (ROUNDS * 6) < 0.01, allocated + " bytes allocated over "
                            + ROUNDS * 6 + " packets through the queue (" + PosixCalls.binding() + ")");
                }
            }
            // Each round: 4 records of 64 written by the peer; read 60 + 60 + a batch of 2; written 60 + 60, each
            // read by the peer as 64 with its header (AF_INET 2, then AF_INET6 28, big-endian).
            assertEquals(2L * ROUNDS * (4 * 64 + 60 + 60 + 2 + 60 + 64 + 60 + 64), sink);
            long control = allocations.bytes();
            byte[] megabyte = new byte[1 << 20];
            assertTrue(allocations.bytes() - control >= megabyte.length, "the counter sees an allocation");
            assertEquals(2 * 2 * ROUNDS, framed, "packets written with the header of their family");
        } finally {
            q.close();
            libc.close(peer);
        }
    }
}
