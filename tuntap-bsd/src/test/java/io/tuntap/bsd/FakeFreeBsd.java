// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import static io.tuntap.bsd.jna.BsdErrno.EAFNOSUPPORT;
import static io.tuntap.bsd.jna.BsdErrno.EBUSY;
import static io.tuntap.bsd.jna.BsdErrno.EDESTADDRREQ;
import static io.tuntap.bsd.jna.BsdErrno.EINVAL;
import static io.tuntap.bsd.jna.BsdErrno.EIO;
import static io.tuntap.bsd.jna.BsdErrno.ENOENT;
import static io.tuntap.bsd.jna.BsdErrno.ENOTTY;

import io.tuntap.bsd.jna.BsdAbi;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * FreeBSD's if_tuntap as documented in tun(4), tap(4) and sys/net/if_tuntap.c: {@code /dev/tun} and
 * {@code /dev/tap} clone the lowest free unit, {@code /dev/tunN} creates unit N; interfaces persist after the
 * last close (which brings them down and purges their addresses) unless made transient (FreeBSD 15; older
 * kernels answer ENOTTY); without TUNSIFHEAD only IPv4 passes; a write to a down interface returns 0;
 * TUNSIFMODE only while down (EBUSY); EDESTADDRREQ for an IPv4 address without destination on a
 * point-to-point interface; SIOCIFDESTROY of an interface still open fails.
 */
final class FakeFreeBsd extends FakeKernel {
    private final int release;

    /** @param release 14 (no TUNSTRANSIENT) or 15 */
    FakeFreeBsd(int release) {
        super(BsdAbi.FREEBSD);
        this.release = release;
    }

    /** Units made transient by TUNSTRANSIENT. */
    private final java.util.Set<String> transientUnits = new java.util.HashSet<>();

    /**
     * freebsd/freebsd-src sys/sys/event.h (FreeBSD 12 and later; as in the kenrap/freebsd-src mirror at
     * f30bcb15): struct kevent { __uintptr_t ident; short filter; unsigned short flags; unsigned int fflags;
     * __int64_t data; void *udata; __uint64_t ext[4]; }, 64 bytes; EVFILT_READ (-1), EVFILT_WRITE (-2).
     */
    @Override
    int[] keventLayout() {
        return new int[] {64, -1, -2, 0};
    }

    @Override
    int afInet6() {
        return 28;
    }

    @Override
    int[] eventLayout() {
        // sizeof(struct if_msghdr) 168: 16 bytes of header, then struct if_data of 152 (freebsd/freebsd-src
        // sys/net/if.h: 6 u8 + u16 datalen, u32 mtu and metric, 15 u64 from baudrate to hwassist, the u64
        // epoch union and the 16-byte lastchange union).
        return new int[] {0xc, 0xd, 0xe, 0x11, 168, 4, 8, 12, 24, 4, 20, 4, 12, 24, 4, 22, 6, -1};
    }

    @Override
    int[] rtLayout() {
        return new int[] {152, 5, 8, 12, 8, 4, -1, -1};
    }

    /**
     * freebsd-src sys/sys/socket.h: CMSG_DATA at _ALIGN(12) = 16 (_ALIGNBYTES sizeof(register_t) - 1 on amd64),
     * MSG_NOSIGNAL 0x20000, MSG_CMSG_CLOEXEC 0x40000.
     */
    @Override
    int[] cmsgLayout() {
        return new int[] {16, 8, 0x20000, 0x40000};
    }

    @Override
    int ifreqSize() {
        return 32;
    }

    @Override
    int ifaliasreqSize() {
        return 68;
    }

    @Override
    int in6AliasreqSize() {
        return 136;
    }

    /**
     * freebsd-src@002829ea sys/net/if_tuntap.c tunclone: {@code /dev/tun} and {@code /dev/tap} clone the lowest
     * free unit, {@code /dev/tunN} makes or opens unit N; a renamed unit gets a devfs alias (tunrename).
     */
    @Override
    Iface openNode(String path) throws Err {
        if (!path.startsWith("/dev/")) {
            throw new Err(ENOENT);
        }
        String node = path.substring(5);
        for (String driver : new String[] {"tun", "tap"}) {
            if (node.equals(driver)) {
                return createInterface(freeUnit(driver), driver);
            }
            if (unitOf(driver, node) >= 0) {
                Iface existing = get(node);
                return existing != null ? existing : createInterface(node, driver);
            }
        }
        Iface renamed = get(node); // the devfs alias a rename makes
        if (renamed != null && !renamed.driver.equals("utun")) {
            return renamed;
        }
        throw new Err(ENOENT);
    }

    @Override
    void lastClose(Iface iface) {
        // if_tuntap.c@002829ea tundtor: down, addresses purged, the interface stays (unless transient).
        iface.flags &= ~BsdAbi.IFF_UP;
        iface.addresses.clear();
        iface.ifhead = false;
        if (transientUnits.remove(iface.name)) {
            interfaces.remove(iface.name);
        }
    }

    @Override
    void deviceIoctl(DeviceFd fd, long request, long arg) throws Err {
        Iface i = fd.iface;
        // if_tuntap.c@002829ea tunioctl: TUNSIFHEAD, TUNSIFMODE and TUNSIFPID in the !l2tun switch only.
        if (is(request, abi.tunsifhead, 4) && i.tun()) {
            i.ifhead = at(arg, 4).getInt(0) != 0;
        } else if (is(request, abi.tunsifmode, 4) && i.tun()) {
            // EINVAL unless (value & ~IFF_MULTICAST) is IFF_POINTOPOINT or IFF_BROADCAST; EBUSY while up.
            int mode = at(arg, 4).getInt(0) & ~BsdAbi.IFF_MULTICAST;
            if (mode != BsdAbi.IFF_POINTOPOINT && mode != BsdAbi.IFF_BROADCAST) {
                throw new Err(EINVAL);
            }
            if (i.up()) {
                throw new Err(EBUSY);
            }
            i.flags = (i.flags & ~(BsdAbi.IFF_POINTOPOINT | BsdAbi.IFF_BROADCAST)) | mode | BsdAbi.IFF_MULTICAST;
        } else if (is(request, abi.tunsifpid, 0) && i.tun()) {
            // freebsd/freebsd-src sys/net/if_tuntap.c@002829ea tunioctl: TUNSIFPID is handled in the !l2tun
            // switch only; on a tap it reaches the common switch, whose default is ENOTTY (below).
            return;
        } else if (is(request, abi.tunstransient, 4)) {
            // Before 15 tunioctl has no such case: the common switch answers ENOTTY. The number itself is
            // untraced (see README, Sources).
            if (release < 15) {
                throw new Err(ENOTTY);
            }
            if (at(arg, 4).getInt(0) != 0) {
                transientUnits.add(i.name);
            } else {
                transientUnits.remove(i.name);
            }
        } else if (is(request, abi.tungifhead, 4) && i.tun()) {
            // if_tuntap.c@002829ea tunioctl, !l2tun switch: TUNGIFHEAD gives (tun_flags & TUN_IFHEAD) ? 1 : 0. A
            // tap falls through to the common switch, whose default is ENOTTY (below).
            at(arg, 4).putInt(0, i.ifhead ? 1 : 0);
        } else if (is(request, abi.gifname, 32)) {
            // tunioctl common switch, TUNGIFNAME: strlcpy of if_xname into ifr_name.
            ByteBuffer b = at(arg, 32);
            byte[] n = i.name.getBytes(StandardCharsets.US_ASCII);
            b.put(0, n).put(n.length, (byte) 0);
        } else if (is(request, BsdAbi.FIONBIO, 4)) {
            return; // tunioctl: "case FIONBIO: break"; tunread looks at O_NONBLOCK of the file
        } else {
            throw new Err(ENOTTY);
        }
    }

    @Override
    byte[] frame(Iface iface, byte[] packet) {
        if (!iface.tun()) {
            return packet;
        }
        int family = familyOf(packet);
        // if_tuntap.c@002829ea tunoutput: htonl(af) before the packet with TUN_IFHEAD; without it only AF_INET.
        if (iface.ifhead) {
            return withHeader(family, packet);
        }
        return family == BsdAbi.AF_INET ? packet : null; // tunoutput: EAFNOSUPPORT for anything else
    }

    @Override
    long deviceWrite(Iface iface, byte[] bytes) throws Err {
        if (!iface.up()) {
            return 0; // tunwrite: "silently returns 0" on a down interface
        }
        if (!iface.tun()) {
            // if_tuntap.c@002829ea tunwrite: mru = TAPMRU (65535, sys/net/if_tap.h) for a tap without a
            // virtio-net header; a longer write is EIO.
            if (bytes.length > 65535) {
                throw new Err(EIO);
            }
            iface.fromUser.addLast(bytes);
            return bytes.length;
        }
        byte[] packet = bytes;
        // if_tuntap.c@002829ea tunwrite_l3: with TUN_IFHEAD the family is ntohl of the first 4 bytes; other
        // families than AF_INET and AF_INET6 are EAFNOSUPPORT; tunwrite: more than TUNMRU (+4) is EIO.
        if (iface.ifhead) {
            if (bytes.length < 4) {
                throw new Err(EINVAL);
            }
            int family = headerFamily(bytes);
            if (family != BsdAbi.AF_INET && family != afInet6()) {
                throw new Err(EAFNOSUPPORT);
            }
            packet = afterHeader(bytes);
        }
        if (packet.length > 65535) {
            throw new Err(EIO);
        }
        iface.fromUser.addLast(packet);
        return bytes.length;
    }

    @Override
    int[] mtuRange(Iface iface) {
        // ifhwioctl SIOCSIFMTU: EINVAL below IF_MINMTU (72, freebsd/freebsd-src sys/net/if_var.h@02b199f1) or
        // above IF_MAXMTU (65535).
        return new int[] {72, 65535};
    }

    @Override
    void checkPointToPoint(Iface i, InetAddress dst) throws Err {
        // sys/netinet/in.c: a point-to-point interface needs a destination for an IPv4 address.
        if ((i.flags & BsdAbi.IFF_POINTOPOINT) != 0 && dst == null) {
            throw new Err(EDESTADDRREQ);
        }
    }

    /**
     * freebsd-src sys/dev/null/null.c (commit 039ea811636f) null_ioctl: FIONBIO is 0, anything else but
     * DIOCSKERNELDUMP and FIOASYNC is ENOIOCTL, which devfs (sys/fs/devfs/devfs_vnops.c devfs_ioctl) hands the
     * caller as ENOTTY.
     */
    @Override
    void otherFdIoctl(Fd f, long request, long arg) throws Err {
        if (f instanceof NullFd && is(request, io.tuntap.bsd.jna.BsdAbi.FIONBIO, 4)) {
            return;
        }
        throw new Err(ENOTTY);
    }

    @Override
    void otherSocketIoctl(SocketFd socket, long request, long arg) throws Err {
        if (is(request, abi.siocsifname, 32)) {
            ByteBuffer b = at(arg, 32);
            Iface i = iface(b);
            String to = name(at(b.getLong(16), 16));
            if (to.isEmpty() || get(to) != null) {
                throw new Err(to.isEmpty() ? EINVAL : io.tuntap.bsd.jna.BsdErrno.EEXIST);
            }
            interfaces.remove(i.name);
            i.name = to;
            interfaces.put(to, i);
            return;
        }
        if (is(request, abi.siocifcreate, 32)) {
            ByteBuffer b = at(arg, 32);
            String n = name(b);
            String driver = unitOf("tun", n) >= 0 ? "tun" : unitOf("tap", n) >= 0 ? "tap" : null;
            if (driver == null) {
                throw new Err(EINVAL);
            }
            createInterface(n, driver);
            return;
        }
        throw new Err(ENOTTY);
    }
}
