// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import static io.tuntap.linux.jna.Rtnl.NLM_F_ACK;
import static io.tuntap.linux.jna.Rtnl.NLM_F_REQUEST;

import io.tuntap.DeviceInfo;
import io.tuntap.DeviceMode;
import io.tuntap.TunTapException;
import io.tuntap.linux.jna.IfTun;
import io.tuntap.linux.jna.LinuxLibC;
import io.tuntap.linux.jna.Rtnl;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Link-level requests beyond what {@link Rtnetlink} needs to open a device: listing every TUN and TAP device
 * of the namespace, and the transmit queue length.
 */
final class LinuxDevices {
    private LinuxDevices() {
    }

    /**
     * Every TUN and TAP interface in the calling thread's network namespace, made by any program: the links
     * whose {@code IFLA_INFO_KIND} is {@code "tun"}; the mode from {@code IFLA_TUN_TYPE} (Linux 4.15+), else
     * from {@code /sys/class/net/NAME/tun_flags}.
     */
    static List<DeviceInfo> list(LinuxLibC libc, String provider) throws TunTapException {
        try (Rtnetlink netlink = Rtnetlink.open(libc)) {
            List<DeviceInfo> devices = new ArrayList<>();
            for (LinkInfo link : netlink.links()) {
                if (!link.isTun()) {
                    continue;
                }
                int type = link.tunType() != 0 ? link.tunType() : sysfsTunType(link.name());
                if (type != 0) {
                    devices.add(new DeviceInfo(link.name(), link.index(),
                            type == IfTun.IFF_TAP ? DeviceMode.TAP : DeviceMode.TUN, provider));
                }
            }
            return List.copyOf(devices);
        }
    }

    /** IFF_TUN or IFF_TAP from sysfs, or 0 if it cannot be read (the interface went away). */
    private static int sysfsTunType(String name) {
        try {
            String flags = Files.readString(Path.of("/sys/class/net", name, "tun_flags"), StandardCharsets.US_ASCII)
                    .trim();
            int value = Integer.decode(flags);
            return value & (IfTun.IFF_TUN | IfTun.IFF_TAP);
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** The transmit queue length of the interface, or -1 if the kernel did not report one. */
    static int txQueueLength(Rtnetlink netlink, int index) throws TunTapException {
        ByteBuffer b = netlink.begin(Rtnl.RTM_GETLINK, NLM_F_REQUEST);
        b.put((byte) 0).put((byte) 0).putShort((short) 0).putInt(index).putInt(0).putInt(0);
        int[] found = {-1};
        int errno = netlink.exchange((buf, type, start, end) -> {
            if (type == Rtnl.RTM_NEWLINK) {
                found[0] = txQueueLength(buf, start, end);
                return false;
            }
            return true;
        });
        if (errno != 0) {
            throw LinuxErrors.ofCommon("rtnetlink RTM_GETLINK #" + index, errno, "cannot read the transmit queue "
                    + "length of interface #" + index);
        }
        return found[0];
    }

    /** {@code IFLA_TXQLEN} of the {@code RTM_NEWLINK} body from {@code start} to {@code end}, or -1 without one. */
    static int txQueueLength(ByteBuffer buf, int start, int end) {
        int[] found = {-1};
        NetlinkAttributes.forEach(buf, start + Rtnl.IFINFOMSG_SIZE, end, (attr, data, length) -> {
            if (attr == Rtnl.IFLA_TXQLEN && length >= 4) {
                found[0] = buf.getInt(data);
            }
        });
        return found[0];
    }

    /** Sets the transmit queue length; returns 0 or the kernel's errno. */
    static int setTxQueueLength(Rtnetlink netlink, int index, int packets) throws TunTapException {
        ByteBuffer b = netlink.begin(Rtnl.RTM_SETLINK, (short) (NLM_F_REQUEST | NLM_F_ACK));
        b.put((byte) 0).put((byte) 0).putShort((short) 0).putInt(index).putInt(0).putInt(0);
        netlink.putIntAttribute(Rtnl.IFLA_TXQLEN, packets);
        return netlink.exchange((buf, type, start, end) -> true);
    }
}
