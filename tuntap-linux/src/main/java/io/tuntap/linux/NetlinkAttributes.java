// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import io.tuntap.linux.jna.Rtnl;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * Walks the {@code rtattr} list of a netlink message body: one loop for every parser, stopping at the first
 * malformed attribute as the kernel's own {@code nla_ok} does.
 */
final class NetlinkAttributes {
    private NetlinkAttributes() {
    }

    /** Receives one attribute: its type (without the nested flag) and its payload. */
    interface Visitor {
        void visit(int type, int data, int length);
    }

    /** Calls {@code visitor} for every attribute from {@code start} to {@code end}. */
    static void forEach(ByteBuffer buf, int start, int end, Visitor visitor) {
        for (int a = start; a + Rtnl.RTATTR_SIZE <= end; ) {
            int len = buf.getShort(a) & 0xffff;
            if (len < Rtnl.RTATTR_SIZE || a + len > end) {
                return;
            }
            visitor.visit(buf.getShort(a + 2) & 0xffff & ~Rtnl.NLA_F_NESTED, a + Rtnl.RTATTR_SIZE,
                    len - Rtnl.RTATTR_SIZE);
            a += (len + 3) & ~3;
        }
    }

    /** The bytes of an attribute's payload. */
    static byte[] bytes(ByteBuffer buf, int at, int length) {
        byte[] b = new byte[length];
        buf.get(at, b);
        return b;
    }

    /** An address attribute (4 or 16 bytes), or null if it has another length. */
    static InetAddress address(ByteBuffer buf, int at, int length) {
        if (length != 4 && length != 16) {
            return null;
        }
        try {
            return InetAddress.getByAddress(bytes(buf, at, length));
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
