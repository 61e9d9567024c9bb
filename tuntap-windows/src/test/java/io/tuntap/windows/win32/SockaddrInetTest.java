// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows.win32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** {@code SOCKADDR_INET} in memory as Windows reads it: family little-endian, addresses in network order. */
class SockaddrInetTest {

    @Test
    void ipv4IsWrittenInNetworkOrderAtOffset4() throws Exception {
        SockaddrInet s = new SockaddrInet();
        s.set(InetAddress.getByName("10.1.2.3"));
        s.write();
        byte[] raw = s.getPointer().getByteArray(0, 28);
        assertArrayEquals(new byte[] {2, 0}, new byte[] {raw[0], raw[1]}, "AF_INET = 2, little-endian USHORT");
        assertArrayEquals(new byte[] {10, 1, 2, 3}, new byte[] {raw[4], raw[5], raw[6], raw[7]}, "sin_addr");
        SockaddrInet back = new SockaddrInet(s.getPointer());
        back.read();
        assertEquals(InetAddress.getByName("10.1.2.3"), back.address());
    }

    @Test
    void ipv6IsWrittenAtOffset8() throws Exception {
        SockaddrInet s = new SockaddrInet();
        InetAddress a = InetAddress.getByName("fd00::1:2");
        s.set(a);
        s.write();
        byte[] raw = s.getPointer().getByteArray(0, 28);
        assertEquals(23, raw[0], "AF_INET6 is 23 on Windows");
        byte[] addr = new byte[16];
        System.arraycopy(raw, 8, addr, 0, 16);
        assertArrayEquals(a.getAddress(), addr);
        SockaddrInet back = new SockaddrInet(s.getPointer());
        back.read();
        assertEquals(a, back.address());
    }
}
