// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import static io.tuntap.bsd.jna.BsdErrno.EINVAL;
import static io.tuntap.bsd.jna.BsdErrno.EMSGSIZE;
import static io.tuntap.bsd.jna.BsdErrno.ENOENT;
import static io.tuntap.bsd.jna.BsdErrno.ENOTTY;

import io.tuntap.bsd.jna.BsdAbi;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;

/**
 * OpenBSD's tun and tap as in sys/net/if_tun.c 1.252: no clone node; only the nodes tun0–tun3 and tap0–tap3
 * exist unless more are made (ENOENT otherwise); opening a node creates its unit if missing, and such a unit
 * is destroyed on close, while one made by SIOCIFCREATE stays; a unit open elsewhere gives EBUSY; open sets
 * the interface up and running; tun always carries the header; a write shorter than the header is EMSGSIZE,
 * one of another family is dropped; TUNSIFMODE only accepts the current mode; SIOCSIFMTU takes 46 to 16384.
 */
final class FakeOpenBsd extends FakeKernel {
    /** Device nodes present in /dev. */
    final Set<String> nodes = new HashSet<>(Set.of("tun0", "tun1", "tun2", "tun3", "tap0", "tap1", "tap2", "tap3"));

    FakeOpenBsd() {
        super(BsdAbi.OPENBSD);
    }

    /**
     * openbsd/src sys/sys/event.h 1.56 (as in the semarie/openbsd-src mirror at 72019f22): struct kevent {
     * __uintptr_t ident; short filter; unsigned short flags; unsigned int fflags; __int64_t data; void *udata; },
     * 32 bytes; EVFILT_READ (-1), EVFILT_WRITE (-2); no kqueue1 declared.
     */
    @Override
    int[] keventLayout() {
        return new int[] {32, -1, -2, 0};
    }

    @Override
    int afInet6() {
        return 24;
    }

    @Override
    int[] eventLayout() {
        return new int[] {0xc, 0xd, 0xe, 0xf, 168, 12, 16, 6, 28, 4, 24, 12, 6, 26, 6, 8, 10, 4};
    }

    @Override
    int[] rtLayout() {
        // openbsd/src sys/net/route.h 1.218: rt_msghdr is 40 bytes up to rtm_inits, then struct rt_metrics of
        // 56 (u64 pksent, i64 expire, 10 u_int): 96.
        return new int[] {96, 5, 16, 12, 8, 6, 10, 4};
    }

    /**
     * openbsd/src sys/sys/socket.h 1.108: CMSG_DATA at _ALIGN(12) = 16 (_ALIGNBYTES 7 on amd64), MSG_NOSIGNAL
     * 0x400, MSG_CMSG_CLOEXEC 0x800.
     */
    @Override
    int[] cmsgLayout() {
        return new int[] {16, 8, 0x400, 0x800};
    }

    @Override
    int ifreqSize() {
        return 32;
    }

    @Override
    int ifaliasreqSize() {
        return 64;
    }

    @Override
    int in6AliasreqSize() {
        return 128;
    }

    /**
     * openbsd/src sys/net/if_tun.c 1.252 tun_dev_open: a missing unit is made and destroyed again on close (no
     * TUN_STAYUP), EBUSY while open; the interface goes up and running on open.
     */
    @Override
    Iface openNode(String path) throws Err {
        String node = path.startsWith("/dev/") ? path.substring(5) : "";
        if (!nodes.contains(node)) {
            throw new Err(ENOENT);
        }
        Iface i = get(node);
        if (i == null) {
            i = createInterface(node, node.startsWith("tap") ? "tap" : "tun");
            i.destroyOnClose = true; // made by open: TUN_STAYUP clear
        }
        if (i.owner == null) {
            i.flags |= BsdAbi.IFF_UP | BsdAbi.IFF_RUNNING;
        }
        return i;
    }

    @Override
    void lastClose(Iface iface) {
        if (iface.destroyOnClose) {
            interfaces.remove(iface.name);
        } else {
            iface.flags &= ~(BsdAbi.IFF_UP | BsdAbi.IFF_RUNNING);
        }
    }

    /**
     * openbsd/src sys/sys/stat.h 1.26 with the types of sys/sys/_types.h (mode_t u32, dev_t i32, ino_t u64,
     * nlink_t u32, blksize_t i32): st_mode at 0, st_rdev at 28, 128 bytes with __st_birthtim at 112.
     */
    @Override
    int[] statLayout() {
        return new int[] {128, 0, 28, 4};
    }

    /** openbsd/src sys/sys/types.h 1.49 makedev. */
    @Override
    long makedev(int major, int minor) {
        return ((major & 0xff) << 8) | (minor & 0xff) | ((minor & 0xffff00L) << 8);
    }

    /** openbsd/src sys/arch/amd64/amd64/conf.c cdevsw: 2 mem (/dev/null minor 2), 40 tun, 93 tap. */
    @Override
    int major(String driver) {
        return switch (driver) {
            case "mem" -> 2;
            case "tun" -> 40;
            default -> 93;
        };
    }

    @Override
    void deviceIoctl(DeviceFd fd, long request, long arg) throws Err {
        if (is(request, abi.tungifinfo, 12)) {
            // if_tun.c 1.252 tun_dev_ioctl TUNGIFINFO: mtu, if_type (IFT_TUNNEL 0x83 from tun_create, IFT_ETHER 6
            // from ether_ifattach for a tap), if_flags & TUN_IFF_FLAGS, baudrate (struct tuninfo, if_tun.h 1.18).
            ByteBuffer b = at(arg, 12);
            b.putInt(0, fd.iface.mtu);
            b.putShort(4, (short) (fd.iface.tun() ? 0x83 : 0x6));
            b.putShort(6, (short) (fd.iface.flags & (BsdAbi.IFF_POINTOPOINT | BsdAbi.IFF_MULTICAST
                    | BsdAbi.IFF_BROADCAST)));
            b.putInt(8, 0);
            return;
        }
        if (is(request, abi.tunsifmode, 4)) {
            // 1.252: only validates; the flags are fixed.
            int wanted = at(arg, 4).getInt(0);
            int current = fd.iface.flags & (BsdAbi.IFF_POINTOPOINT | BsdAbi.IFF_BROADCAST | BsdAbi.IFF_MULTICAST);
            if (wanted != current) {
                throw new Err(EINVAL);
            }
            return;
        }
        throw new Err(ENOTTY);
    }

    @Override
    byte[] frame(Iface iface, byte[] packet) {
        return iface.tun() ? withHeader(familyOf(packet), packet) : packet;
    }

    @Override
    long deviceWrite(Iface iface, byte[] bytes) throws Err {
        if (!iface.tun()) {
            // openbsd/src sys/net/if_tun.c 1.252 tun_dev_write: EMSGSIZE below if_hdrlen or above if_hdrlen +
            // MAXMCLBYTES; a tap's if_hdrlen is ETHER_HDR_LEN (14, ether_ifattach), MAXMCLBYTES 64 KiB
            // (sys/sys/param.h).
            if (bytes.length < 14 || bytes.length > 14 + 65536) {
                throw new Err(EMSGSIZE);
            }
            iface.fromUser.addLast(bytes);
            return bytes.length;
        }
        if (bytes.length < 4 || bytes.length > 4 + 65536) {
            throw new Err(EMSGSIZE);
        }
        int family = headerFamily(bytes);
        if (family == BsdAbi.AF_INET || family == afInet6()) {
            iface.fromUser.addLast(afterHeader(bytes));
        }
        return bytes.length; // tun_input frees other families silently
    }

    @Override
    int[] mtuRange(Iface iface) {
        // if_tun.c 1.252 tun_ioctl SIOCSIFMTU: ETHERMIN (46) to TUNMRU (16384).
        return new int[] {46, 16384};
    }

    /**
     * openbsd/src sys/net/rtsock.c 1.388 rtm_xaddrs: an AF_LINK RTA_GATEWAY must provide sizeof(struct
     * sockaddr_dl), 32 bytes (sys/net/if_dl.h: 8 bytes of fields and sdl_data[24]), else EINVAL; RTA_IFP needs
     * only 4 ("route(8) has a bug and provides less memory").
     */
    @Override
    int minLinkLength(boolean gateway) {
        return gateway ? 32 : 4;
    }

    /** openbsd/src sys/arch/amd64/amd64/mem.c mmioctl: FIOASYNC is 0, anything else ENOTTY. */
    @Override
    void otherFdIoctl(Fd f, long request, long arg) throws Err {
        throw new Err(ENOTTY);
    }

    @Override
    void otherSocketIoctl(SocketFd socket, long request, long arg) throws Err {
        if (is(request, abi.siocifcreate, 32)) {
            ByteBuffer b = at(arg, 32);
            String n = name(b);
            createInterface(n, n.startsWith("tap") ? "tap" : "tun"); // TUN_STAYUP: persists
            return;
        }
        throw new Err(ENOTTY);
    }
}
