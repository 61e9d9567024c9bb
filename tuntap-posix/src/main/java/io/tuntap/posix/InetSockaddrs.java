// SPDX-License-Identifier: Apache-2.0
package io.tuntap.posix;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * The address inside a {@code struct sockaddr_in} or {@code struct sockaddr_in6}, read the same way on every
 * Unix backend: {@code sin_addr} at byte 4 and {@code sin6_addr} at byte 8, in network order. Only the two bytes
 * before the port differ (a length and a family byte on the BSDs and macOS, a 16-bit family on illumos), so the
 * callers read the family their way and the address here.
 */
public final class InetSockaddrs {
    /** The offset of {@code sin_addr} in {@code sockaddr_in}. */
    public static final int IN_ADDR = 4;
    /** The offset of {@code sin6_addr} in {@code sockaddr_in6}. */
    public static final int IN6_ADDR = 8;

    private InetSockaddrs() {
    }

    /**
     * The address bytes of the sockaddr at {@code offset}, leaving the buffer's position alone.
     *
     * @param ipv6 whether it is a {@code sockaddr_in6}
     * @return 4 or 16 bytes, a new array
     */
    public static byte[] addressBytes(ByteBuffer b, int offset, boolean ipv6) {
        byte[] raw = new byte[ipv6 ? 16 : 4];
        b.get(offset + (ipv6 ? IN6_ADDR : IN_ADDR), raw);
        return raw;
    }

    /**
     * The address of 4 or 16 bytes.
     *
     * @param raw the bytes, from {@link #addressBytes}
     * @return the address
     */
    public static InetAddress address(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }
}
