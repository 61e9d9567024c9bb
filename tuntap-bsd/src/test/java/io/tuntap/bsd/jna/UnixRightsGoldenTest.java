// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd.jna;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The bytes of a descriptor-passing message as each system's {@code sys/socket.h} lays it out, written down
 * by hand from the headers (little-endian, LP64): {@code struct msghdr} of 48 bytes with {@code msg_iov} at
 * 16, {@code msg_iovlen} at 24, {@code msg_control} at 32, {@code msg_controllen} at 40; {@code struct
 * cmsghdr} of 12 bytes; the descriptors at {@code CMSG_DATA}, 16 on the BSDs ({@code _ALIGN} to 8) and 12 on
 * macOS ({@code __DARWIN_ALIGN32}, to 4). Independent of {@link UnixRights}: no value here is computed by it.
 */
class UnixRightsGoldenTest {

    private static final long BASE = 0x10000;

    private static ByteBuffer encode(UnixRights abi, int[] fds) {
        ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        abi.putMessage(b, BASE, (byte) 'T', fds, 0);
        return b;
    }

    private static byte[] bytes(ByteBuffer b, int from, int length) {
        byte[] out = new byte[length];
        b.get(from, out);
        return out;
    }

    private static byte[] hex(String s) {
        String[] parts = s.trim().split("\\s+");
        byte[] out = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return out;
    }

    /** The msghdr: no name, one iovec at BASE + 48 holding one byte at BASE + 64, control at BASE + 72. */
    private static void assertHeader(ByteBuffer b, int controllen) {
        assertArrayEquals(hex("""
                00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00
                30 00 01 00 00 00 00 00  01 00 00 00 00 00 00 00
                48 00 01 00 00 00 00 00"""), bytes(b, 0, 40), "msg_name, msg_namelen, msg_iov, msg_iovlen, msg_control");
        assertEquals(controllen, b.getInt(40), "msg_controllen");
        assertEquals(0, b.getInt(44), "msg_flags");
        assertArrayEquals(hex("40 00 01 00 00 00 00 00  01 00 00 00 00 00 00 00  54"), bytes(b, 48, 17),
                "iov_base, iov_len and the byte 'T'");
    }

    @Test
    void theBsdsPutTheDescriptorsAt16AndRoundTo8() {
        for (UnixRights abi : new UnixRights[] {UnixRights.FREEBSD, UnixRights.OPENBSD, UnixRights.NETBSD}) {
            ByteBuffer one = encode(abi, new int[] {7});
            // CMSG_LEN(4) = 16 + 4 = 20; CMSG_SPACE(4) = 16 + 8 = 24.
            assertHeader(one, 24);
            assertArrayEquals(hex("14 00 00 00  ff ff 00 00  01 00 00 00  00 00 00 00  07 00 00 00  00 00 00 00"),
                    bytes(one, 72, 24));
            ByteBuffer two = encode(abi, new int[] {7, 9});
            // CMSG_LEN(8) = 24 = CMSG_SPACE(8).
            assertHeader(two, 24);
            assertArrayEquals(hex("18 00 00 00  ff ff 00 00  01 00 00 00  00 00 00 00  07 00 00 00  09 00 00 00"),
                    bytes(two, 72, 24));
        }
    }

    @Test
    void macosPutsTheDescriptorsAt12AndRoundsTo4() {
        ByteBuffer one = encode(UnixRights.DARWIN, new int[] {7});
        // CMSG_LEN(4) = 12 + 4 = 16 = CMSG_SPACE(4): cmsg_len equals msg_controllen, as xnu's unp_internalize wants.
        assertHeader(one, 16);
        assertArrayEquals(hex("10 00 00 00  ff ff 00 00  01 00 00 00  07 00 00 00"), bytes(one, 72, 16));
        ByteBuffer two = encode(UnixRights.DARWIN, new int[] {7, 9});
        assertHeader(two, 20);
        assertArrayEquals(hex("14 00 00 00  ff ff 00 00  01 00 00 00  07 00 00 00  09 00 00 00"), bytes(two, 72, 20));
    }

    @Test
    void flagsOfEachSystem() {
        // freebsd-src sys/sys/socket.h; openbsd/src sys/sys/socket.h 1.108; NetBSD/src 1.131.4.1; xnu :637.
        assertEquals(0x20000, UnixRights.FREEBSD.msgNoSignal);
        assertEquals(0x40000, UnixRights.FREEBSD.msgCmsgCloexec);
        assertEquals(0x400, UnixRights.OPENBSD.msgNoSignal);
        assertEquals(0x800, UnixRights.OPENBSD.msgCmsgCloexec);
        assertEquals(0x400, UnixRights.NETBSD.msgNoSignal);
        assertEquals(0x800, UnixRights.NETBSD.msgCmsgCloexec);
        assertEquals(0x80000, UnixRights.DARWIN.msgNoSignal);
        assertEquals(0, UnixRights.DARWIN.msgCmsgCloexec);
    }

    @Test
    void receivedDescriptorsAreReadWhereEachKernelWritesThem() {
        ByteBuffer bsd = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        bsd.putInt(40, 24);
        bsd.put(72, hex("18 00 00 00  ff ff 00 00  01 00 00 00  00 00 00 00  0b 00 00 00  0c 00 00 00"));
        assertEquals("[11, 12]", Arrays.toString(UnixRights.NETBSD.receivedFds(bsd)));
        ByteBuffer mac = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        mac.putInt(40, 16);
        mac.put(72, hex("10 00 00 00  ff ff 00 00  01 00 00 00  0d 00 00 00"));
        assertEquals("[13]", Arrays.toString(UnixRights.DARWIN.receivedFds(mac)));
    }

    @Test
    void sockaddrUnIsLengthFamilyAndPath() {
        ByteBuffer b = ByteBuffer.allocate(UnixRights.SOCKADDR_UN_SIZE);
        // sun_len = 2 + strlen("/var/run/t.sock") = 17, sun_family AF_UNIX 1, the path, NUL after it.
        assertEquals(17, UnixRights.putSockaddr(b, "/var/run/t.sock"));
        assertArrayEquals(hex("11 01 2f 76 61 72 2f 72 75 6e 2f 74 2e 73 6f 63 6b 00"), bytes(b, 0, 18));
        assertEquals(106, UnixRights.SOCKADDR_UN_SIZE, "u_char sun_len, sa_family_t (u8), char sun_path[104]");
    }
}
