// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.jna;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Recomputes each ioctl number from its definition in {@code <linux/if_tun.h>} (asm-generic encoding). */
class IfTunGoldenTest {
    private static final int WRITE = 1;
    private static final int READ = 2;

    /** {@code _IOC(dir, type, nr, size)}: dir in bits 30-31, size 16-29, type 8-15, nr 0-7. */
    private static long ioc(int dir, char type, int nr, int size) {
        return ((long) dir << 30) | ((long) size << 16) | ((long) type << 8) | nr;
    }

    @Test
    void ioctlNumbersMatchTheirDefinitions() {
        assertEquals(ioc(WRITE, 'T', 202, 4), IfTun.TUNSETIFF);
        assertEquals(ioc(WRITE, 'T', 203, 4), IfTun.TUNSETPERSIST);
        assertEquals(ioc(WRITE, 'T', 204, 4), IfTun.TUNSETOWNER);
        assertEquals(ioc(WRITE, 'T', 206, 4), IfTun.TUNSETGROUP);
        assertEquals(ioc(READ, 'T', 207, 4), IfTun.TUNGETFEATURES);
        assertEquals(ioc(WRITE, 'T', 208, 4), IfTun.TUNSETOFFLOAD);
        assertEquals(ioc(READ, 'T', 210, 4), IfTun.TUNGETIFF);
        assertEquals(ioc(READ, 'T', 215, 4), IfTun.TUNGETVNETHDRSZ);
        assertEquals(ioc(WRITE, 'T', 216, 4), IfTun.TUNSETVNETHDRSZ);
        assertEquals(ioc(WRITE, 'T', 217, 4), IfTun.TUNSETQUEUE);
    }

    @Test
    void flagValuesMatchTheHeader() {
        assertEquals(0x0001, IfTun.IFF_TUN);
        assertEquals(0x0002, IfTun.IFF_TAP);
        assertEquals(0x0100, IfTun.IFF_MULTI_QUEUE);
        assertEquals(0x1000, IfTun.IFF_NO_PI);
        assertEquals(0x4000, IfTun.IFF_VNET_HDR);
        assertEquals((short) 0x8000, IfTun.IFF_TUN_EXCL);
        assertEquals(0x67, IfTun.TUN_F_CSUM | IfTun.TUN_F_TSO4 | IfTun.TUN_F_TSO6 | IfTun.TUN_F_USO4 | IfTun.TUN_F_USO6);
    }

    @Test
    void structSizesAreThoseOfLp64Linux() {
        assertEquals(40, Sys.IFREQ_SIZE, "struct ifreq: 16-byte name + 24-byte union (struct ifmap)");
        assertEquals(16, Sys.IFREQ_UNION_OFFSET);
        assertEquals(8, Sys.POLLFD_SIZE);
        assertEquals(16, Rtnl.NLMSGHDR_SIZE);
        assertEquals(16, Rtnl.IFINFOMSG_SIZE);
        assertEquals(8, Rtnl.IFADDRMSG_SIZE);
        assertEquals(10, IfTun.VIRTIO_NET_HDR_SIZE);
    }
}
