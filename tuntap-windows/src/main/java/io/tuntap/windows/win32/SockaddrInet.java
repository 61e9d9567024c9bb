// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows.win32;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * {@code SOCKADDR_INET} ({@code ws2ipdef.h}): a union of {@code SOCKADDR_IN} and {@code SOCKADDR_IN6}, 28
 * bytes, 4-byte aligned. Written out as the IPv6 member, whose fields cover the IPv4 one: {@code si_family}
 * at 0, the port at 2, {@code sin_addr} (IPv4) or {@code sin6_flowinfo} at 4, {@code sin6_addr} at 8,
 * {@code sin6_scope_id} at 24. Use {@link #set} and {@link #address()} rather than the fields.
 */
@FieldOrder({"si_family", "sin_port", "sin_addr_or_sin6_flowinfo", "sin6_addr", "sin6_scope_id"})
public class SockaddrInet extends Structure {
    /** {@code AF_INET}. */
    public static final short AF_INET = 2;
    /** {@code AF_INET6} on Windows. */
    public static final short AF_INET6 = 23;
    /** {@code AF_UNSPEC}. */
    public static final short AF_UNSPEC = 0;

    /** {@code ADDRESS_FAMILY}: {@link #AF_INET} or {@link #AF_INET6}. */
    public short si_family;
    /** The port, in network byte order. */
    public short sin_port;
    /** IPv4: {@code sin_addr}, in network byte order; IPv6: {@code sin6_flowinfo}. */
    public int sin_addr_or_sin6_flowinfo;
    /** IPv6: {@code sin6_addr}; IPv4: {@code sin_zero} then unused. */
    public byte[] sin6_addr = new byte[16];
    /** IPv6: {@code sin6_scope_id}. */
    public int sin6_scope_id;

    /** An empty address. */
    public SockaddrInet() {
    }

    /** A view of the structure at {@code p}. */
    public SockaddrInet(Pointer p) {
        super(p);
    }

    /** Sets the family and address (port, flow and scope 0). */
    public void set(InetAddress address) {
        sin_port = 0;
        sin6_scope_id = 0;
        java.util.Arrays.fill(sin6_addr, (byte) 0);
        byte[] raw = address.getAddress();
        if (address instanceof Inet4Address) {
            si_family = AF_INET;
            // In memory the four bytes in network order; read back as a little-endian int on x64 and ARM64.
            sin_addr_or_sin6_flowinfo = (raw[0] & 0xff) | (raw[1] & 0xff) << 8 | (raw[2] & 0xff) << 16
                    | (raw[3] & 0xff) << 24;
        } else {
            si_family = AF_INET6;
            sin_addr_or_sin6_flowinfo = 0;
            System.arraycopy(raw, 0, sin6_addr, 0, 16);
            if (address instanceof Inet6Address v6 && v6.getScopeId() != 0) {
                sin6_scope_id = v6.getScopeId();
            }
        }
    }

    /** The address, or null if the family is neither IPv4 nor IPv6. */
    public InetAddress address() {
        try {
            if (si_family == AF_INET) {
                int v = sin_addr_or_sin6_flowinfo;
                return InetAddress.getByAddress(new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16),
                        (byte) (v >>> 24)});
            } else if (si_family == AF_INET6) {
                return InetAddress.getByAddress(sin6_addr.clone());
            }
            return null;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // lengths are always 4 or 16
        }
    }
}
