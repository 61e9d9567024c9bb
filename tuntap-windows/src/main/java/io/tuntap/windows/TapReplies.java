// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import io.tuntap.MacAddress;
import io.tuntap.TunTapException;
import io.tuntap.spi.ErrorMessages;
import io.tuntap.windows.win32.TapIoctl;
import java.nio.ByteBuffer;

/**
 * Takes apart what a tap-windows6 driver answers to the control codes read at open: {@code GET_VERSION} (three
 * {@code ULONG}s: major, minor, debug), {@code GET_MTU} (a {@code ULONG}) and {@code GET_MAC} (six bytes). Each
 * reply is exactly the bytes the driver said it wrote, little-endian; a reply shorter than its fields is not
 * one a tap-windows6-compatible driver sends, and is reported instead of read past.
 */
final class TapReplies {
    private TapReplies() {
    }

    /** A driver version, {@code major.minor}. */
    record Version(int major, int minor) {
    }

    /** The version in a {@code TAP_WIN_IOCTL_GET_VERSION} reply. */
    static Version version(ByteBuffer reply, String call) throws TunTapException {
        need(reply, TapIoctl.VERSION_MINOR + 4, call);
        return new Version(reply.getInt(TapIoctl.VERSION_MAJOR), reply.getInt(TapIoctl.VERSION_MINOR));
    }

    /** The MTU in a {@code TAP_WIN_IOCTL_GET_MTU} reply. */
    static int mtu(ByteBuffer reply, String call) throws TunTapException {
        need(reply, TapIoctl.MTU_SIZE, call);
        return reply.getInt(0);
    }

    /** The MAC address in a {@code TAP_WIN_IOCTL_GET_MAC} reply. */
    static MacAddress mac(ByteBuffer reply, String call) throws TunTapException {
        need(reply, TapIoctl.MAC_SIZE, call);
        byte[] mac = new byte[TapIoctl.MAC_SIZE];
        reply.get(0, mac);
        return MacAddress.of(mac);
    }

    private static void need(ByteBuffer reply, int bytes, String call) throws TunTapException {
        if (reply.limit() < bytes) {
            throw new TunTapException(call, 0, ErrorMessages.failed(call, "the driver answered with " + reply.limit()
                    + " bytes, fewer than the " + bytes + " of a tap-windows6 reply; it is not a "
                    + "tap-windows6-compatible driver, or a broken one: reinstall the adapter's driver"));
        }
    }
}
