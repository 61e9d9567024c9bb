// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tuntap.DeviceAddress;
import io.tuntap.IpPrefix;
import io.tuntap.Route;
import io.tuntap.linux.jna.Rtnl;
import io.tuntap.linux.jna.Sys;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Decoding of rtnetlink address and route messages, without a kernel. */
class RtnetlinkParsingTest {
    private static byte[] ip(String text) throws Exception {
        return InetAddress.getByName(text).getAddress();
    }

    @Test
    void addressesWithAndWithoutPeer() throws Exception {
        assertEquals(DeviceAddress.parse("10.0.0.1/24"),
                RtnetlinkReplies.toDeviceAddress(Sys.AF_INET, 24, ip("10.0.0.1"), ip("10.0.0.1")));
        assertEquals(DeviceAddress.parse("10.0.0.1/32 peer 10.0.0.2"),
                RtnetlinkReplies.toDeviceAddress(Sys.AF_INET, 32, ip("10.0.0.1"), ip("10.0.0.2")));
        assertEquals(DeviceAddress.parse("fd00::1/64"), RtnetlinkReplies.toDeviceAddress(Sys.AF_INET6, 64, null, ip("fd00::1")),
                "IPv6 without a peer has IFA_ADDRESS only");
        assertEquals(DeviceAddress.parse("fd00::1/128 peer fd00::2"),
                RtnetlinkReplies.toDeviceAddress(Sys.AF_INET6, 128, ip("fd00::1"), ip("fd00::2")));
        assertNull(RtnetlinkReplies.toDeviceAddress(17, 0, new byte[6], null), "other families are skipped");
        assertNull(RtnetlinkReplies.toDeviceAddress(Sys.AF_INET, 33, ip("10.0.0.1"), null), "a bad prefix is skipped");
    }

    /** An RTM_NEWROUTE body: rtmsg then attributes. */
    private static ByteBuffer route(int family, int dstLength, int table, int type, int flags, Object... attrs) {
        ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
        b.put((byte) family).put((byte) dstLength).put((byte) 0).put((byte) 0).put((byte) table).put((byte) 4)
                .put((byte) 0).put((byte) type).putInt(flags);
        for (int i = 0; i < attrs.length; i += 2) {
            short attr = (short) (int) (Integer) attrs[i];
            if (attrs[i + 1] instanceof byte[] bytes) {
                b.putShort((short) (4 + bytes.length)).putShort(attr).put(bytes);
            } else {
                b.putShort((short) 8).putShort(attr).putInt((Integer) attrs[i + 1]);
            }
        }
        b.flip();
        return b;
    }

    @Test
    void routesThroughTheInterfaceInTheMainTableAreDecoded() throws Exception {
        ByteBuffer via = route(Sys.AF_INET, 16, Rtnl.RT_TABLE_MAIN, Rtnl.RTN_UNICAST, 0,
                (int) Rtnl.RTA_DST, ip("10.8.0.0"), (int) Rtnl.RTA_OIF, 7, (int) Rtnl.RTA_GATEWAY, ip("10.7.0.2"),
                (int) Rtnl.RTA_PRIORITY, 50);
        assertEquals(Route.via(IpPrefix.parse("10.8.0.0/16"), InetAddress.getByName("10.7.0.2")).withMetric(50),
                RtnetlinkRoutes.parse(via, 0, via.limit(), 7));
        assertNull(RtnetlinkRoutes.parse(via, 0, via.limit(), 8), "another interface's route");

        ByteBuffer defaultV6 = route(Sys.AF_INET6, 0, Rtnl.RT_TABLE_MAIN, Rtnl.RTN_UNICAST, 0,
                (int) Rtnl.RTA_TABLE, Rtnl.RT_TABLE_MAIN, (int) Rtnl.RTA_OIF, 7, (int) Rtnl.RTA_PRIORITY, 1024);
        assertEquals(Route.onLink(IpPrefix.parse("::/0")).withMetric(1024),
                RtnetlinkRoutes.parse(defaultV6, 0, defaultV6.limit(), 7), "no RTA_DST: the default route");

        ByteBuffer local = route(Sys.AF_INET, 32, 255, Rtnl.RTN_UNICAST, 0, (int) Rtnl.RTA_OIF, 7);
        assertNull(RtnetlinkRoutes.parse(local, 0, local.limit(), 7), "the local table is not listed");
        ByteBuffer cloned = route(Sys.AF_INET6, 128, Rtnl.RT_TABLE_MAIN, Rtnl.RTN_UNICAST, Rtnl.RTM_F_CLONED,
                (int) Rtnl.RTA_OIF, 7);
        assertNull(RtnetlinkRoutes.parse(cloned, 0, cloned.limit(), 7), "cached clones are not routes");
        ByteBuffer broadcast = route(Sys.AF_INET, 32, Rtnl.RT_TABLE_MAIN, 3, 0, (int) Rtnl.RTA_OIF, 7);
        assertNull(RtnetlinkRoutes.parse(broadcast, 0, broadcast.limit(), 7), "only unicast routes");
    }
}
