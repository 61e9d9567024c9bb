// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import static io.tuntap.bsd.jna.BsdErrno.EAFNOSUPPORT;
import static io.tuntap.bsd.jna.BsdErrno.EBUSY;
import static io.tuntap.bsd.jna.BsdErrno.EHOSTDOWN;
import static io.tuntap.bsd.jna.BsdErrno.EINVAL;
import static io.tuntap.bsd.jna.BsdErrno.EIO;
import static io.tuntap.bsd.jna.BsdErrno.ENOENT;
import static io.tuntap.bsd.jna.BsdErrno.ENOTTY;
import static io.tuntap.bsd.jna.BsdErrno.ENXIO;

import io.tuntap.bsd.jna.BsdAbi;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * NetBSD's tun and tap as in sys/net/if_tun.c and if_tap.c: a 144-byte ifreq; {@code /dev/tunN} creates unit
 * N, which persists; {@code /dev/tap} clones a tap destroyed on close, {@code /dev/tapN} needs a unit made by
 * SIOCIFCREATE (ENXIO otherwise); a tun read gives EHOSTDOWN until an address is set, a tap read while the
 * interface is down; MTU 576 to 1500, a tun write of 0 or more than 1500 bytes is EIO; without TUNSIFHEAD only
 * IPv4 passes; TUNSIFMODE gives EBUSY while up.
 *
 * <p>Reads block unless FIONBIO turned on the driver's own non-blocking flag ({@code TUN_NBIO},
 * {@code TAP_NBIO}): O_NONBLOCK at open is not looked at, and the {@code /dev/tap} clone keeps none of the open
 * flags. A read that the kernel would put to sleep fails here with {@link WouldSleep} instead, so that a test
 * sees the hang rather than sits in it.
 */
final class FakeNetBsd extends FakeKernel {
    private final Set<String> cloned = new HashSet<>();
    private final Set<String> addressed = new HashSet<>();
    /**
     * Units whose driver flag TUN_NBIO or TAP_NBIO is set. NetBSD/src sys/net/if_tun.c 1.173: only tunioctl's
     * {@code case FIONBIO} sets or clears TUN_NBIO, and tunclose leaves it; if_tap.c@00e50b6c: only
     * tap_dev_ioctl's {@code case FIONBIO} sets TAP_NBIO, and a cloned tap starts without it.
     */
    private final Set<String> nonBlocking = new HashSet<>();

    /** A read the NetBSD kernel would sleep in: no packet queued and no FIONBIO on the unit. */
    static final class WouldSleep extends RuntimeException {
        private static final long serialVersionUID = 1L;

        WouldSleep(String name) {
            super("a read of " + name + " would sleep in the NetBSD kernel: tunread and tap_dev_read answer "
                    + "EWOULDBLOCK only with TUN_NBIO/TAP_NBIO, which only FIONBIO sets (O_NONBLOCK at open is "
                    + "ignored)");
        }
    }

    /** O_CLOEXEC in NetBSD/src sys/sys/fcntl.h: 0x00400000. */
    private static final int O_CLOEXEC = 0x00400000;

    FakeNetBsd() {
        super(BsdAbi.NETBSD);
    }

    /**
     * NetBSD/src 002a0307 sys/sys/event.h 1.45: struct kevent { uintptr_t ident; uint32_t filter; uint32_t flags;
     * uint32_t fflags; int64_t data; void *udata; }, 40 bytes, behind __kevent50; EVFILT_READ 0U, EVFILT_WRITE 1U.
     */
    @Override
    int[] keventLayout() {
        return new int[] {40, 0, 1, 1};
    }

    /** The same header declares int kqueue1(int); kern_event.c kqueue1 takes O_CLOEXEC (fd_set_exclose). */
    @Override
    int kqueue1Cloexec() {
        return O_CLOEXEC;
    }

    @Override
    int afInet6() {
        return 24;
    }

    @Override
    int[] eventLayout() {
        // sizeof(struct if_msghdr) 152: 16 bytes of header, then struct if_data of 136 (NetBSD/src
        // sys/net/if.h: 3 u_char and int link_state, 14 uint64_t from mtu to noproto, struct timespec).
        return new int[] {0x16, 0x17, 0x14, 0x10, 152, 4, 8, 12, 24, 8, 32, 12, 4, 24, 4, 22, 6, -1};
    }

    @Override
    int[] rtLayout() {
        return new int[] {120, 4, 8, 12, 8, 4, -1, -1};
    }

    /**
     * NetBSD/src sys/sys/socket.h 1.131.4.1: CMSG_DATA at __CMSG_ALIGN(12) = 16 (__ALIGNBYTES 7 on amd64),
     * MSG_NOSIGNAL 0x400, MSG_CMSG_CLOEXEC 0x800.
     */
    @Override
    int[] cmsgLayout() {
        return new int[] {16, 8, 0x400, 0x800};
    }

    @Override
    int ifreqSize() {
        return 144;
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
     * NetBSD/src sys/net/if_tun.c 1.173 tunopen: a missing unit is made (tun_clone_create) and EBUSY if open;
     * sys/net/if_tap.c@00e50b6c tap_cdev_open: {@code /dev/tap} (TAP_CLONER) clones (tap_dev_cloner), a
     * {@code tapN} without a unit is ENXIO, EBUSY if in use.
     */
    @Override
    Iface openNode(String path) throws Err {
        String node = path.startsWith("/dev/") ? path.substring(5) : "";
        if (node.equals("tap")) {
            Iface i = createInterface(freeUnit("tap"), "tap");
            cloned.add(i.name);
            return i;
        }
        if (unitOf("tun", node) >= 0) {
            Iface i = get(node);
            return i != null ? i : createInterface(node, "tun");
        }
        if (unitOf("tap", node) >= 0) {
            Iface i = get(node);
            if (i == null) {
                throw new Err(ENXIO);
            }
            return i;
        }
        throw new Err(ENOENT);
    }

    @Override
    void afterOpen(String path, int flags, DeviceFd f) {
        if (path.equals("/dev/tap")) {
            // if_tap.c@00e50b6c tap_dev_cloner: fd_clone(fp, fd, FREAD | FWRITE, ...) makes the new file with
            // those flags alone: O_NONBLOCK and O_CLOEXEC of the open are lost.
            f.statusFlags = 0;
            f.closeOnExec = false;
        } else {
            f.closeOnExec = (flags & O_CLOEXEC) != 0;
        }
    }

    /** Whether FIONBIO turned on non-blocking reads of the unit (for tests). */
    synchronized boolean nonBlocking(String name) {
        return nonBlocking.contains(name);
    }

    /** if_tap.c tap_fops_close destroys a clone; if_tun.c tunclose brings the tun down and keeps it. */
    @Override
    void lastClose(Iface iface) {
        if (cloned.remove(iface.name)) {
            nonBlocking.remove(iface.name);
            interfaces.remove(iface.name);
            return;
        }
        iface.flags &= ~BsdAbi.IFF_UP;
        iface.ifhead = false;
    }

    @Override
    byte[] deviceRead(Iface iface) throws Err {
        if (!ready(iface)) {
            throw new Err(EHOSTDOWN);
        }
        if (iface.toUser.isEmpty() && !nonBlocking.contains(iface.name)) {
            // if_tun.c 1.173 tunread: cv_wait_sig unless TUN_NBIO; if_tap.c tap_dev_read: cv_wait_sig unless
            // TAP_NBIO.
            throw new WouldSleep(iface.name);
        }
        return super.deviceRead(iface);
    }

    private boolean ready(Iface iface) {
        return iface.tun() ? addressed.contains(iface.name) : iface.up();
    }

    @Override
    boolean readable(Iface iface) {
        return ready(iface) && super.readable(iface);
    }

    @Override
    void addressAdded(Iface i) {
        addressed.add(i.name); // IASET, set in tun_enable
    }

    @Override
    void deviceIoctl(DeviceFd fd, long request, long arg) throws Err {
        Iface i = fd.iface;
        // if_tun.c 1.173 tunioctl (TUNSIFHEAD, TUNSIFMODE with EBUSY while up, FIONBIO, default ENOTTY);
        // if_tap.c@00e50b6c tap_dev_ioctl (TAPGIFNAME, FIONBIO, default ENOTTY).
        if (is(request, abi.tunsifhead, 4) && i.tun()) {
            i.ifhead = at(arg, 4).getInt(0) != 0;
        } else if (is(request, abi.tunsifmode, 4) && i.tun()) {
            if (i.up()) {
                throw new Err(EBUSY);
            }
            int mode = at(arg, 4).getInt(0) & ~BsdAbi.IFF_MULTICAST;
            if (mode != BsdAbi.IFF_POINTOPOINT && mode != BsdAbi.IFF_BROADCAST) {
                throw new Err(EINVAL);
            }
            i.flags = (i.flags & ~(BsdAbi.IFF_POINTOPOINT | BsdAbi.IFF_BROADCAST)) | mode | BsdAbi.IFF_MULTICAST;
        } else if (is(request, abi.gifname, 144) && !i.tun()) {
            ByteBuffer b = at(arg, 144);
            byte[] n = i.name.getBytes(StandardCharsets.US_ASCII);
            b.put(0, n).put(n.length, (byte) 0);
        } else if (is(request, abi.tungifhead, 4) && i.tun()) {
            at(arg, 4).putInt(0, i.ifhead ? 0x0400 : 0); // *(int *)data = tun_flags & TUN_IFHEAD (0x0400, if_tun.h)
        } else if (is(request, BsdAbi.FIONBIO, 4)) {
            // if_tun.c 1.173 tunioctl and if_tap.c@00e50b6c tap_dev_ioctl, case FIONBIO: the flag follows *data.
            if (at(arg, 4).getInt(0) != 0) {
                nonBlocking.add(i.name);
            } else {
                nonBlocking.remove(i.name);
            }
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
        if (iface.ifhead) {
            return withHeader(family, packet);
        }
        return family == BsdAbi.AF_INET ? packet : null; // "silently drops all IPv6 packets on output"
    }

    /**
     * if_tap.c@00e50b6c tap_dev_write: any length, handed to the stack; if_tun.c 1.173 tunwrite: with TUN_IFHEAD
     * the family from the first 4 bytes (EAFNOSUPPORT for others), EIO for 0 or more than TUNMTU bytes.
     */
    @Override
    long deviceWrite(Iface iface, byte[] bytes) throws Err {
        if (!iface.tun()) {
            if (!iface.up()) {
                return bytes.length; // dropped by the stack
            }
            iface.fromUser.addLast(bytes);
            return bytes.length;
        }
        byte[] packet = bytes;
        if (iface.ifhead) {
            int family = bytes.length < 4 ? -1 : headerFamily(bytes);
            if (family != BsdAbi.AF_INET && family != afInet6()) {
                throw new Err(EAFNOSUPPORT);
            }
            packet = afterHeader(bytes);
        }
        if (packet.length == 0 || packet.length > 1500) {
            throw new Err(EIO); // TUNMTU
        }
        if (iface.up()) {
            iface.fromUser.addLast(packet);
        }
        return bytes.length;
    }

    @Override
    int[] mtuRange(Iface iface) {
        // if_tun.c 1.173 tun_ioctl SIOCSIFMTU: EINVAL above TUNMTU (1500) or below 576.
        return new int[] {576, 1500};
    }

    /**
     * NetBSD/src sys/sys/stat.h and sys/sys/types.h (dev_t u64, mode_t u32, ino_t u64, nlink_t u32): st_dev at
     * 0, st_mode at 8, st_rdev at 40, 152 bytes.
     */
    @Override
    int[] statLayout() {
        return new int[] {152, 8, 40, 8};
    }

    /** NetBSD/src sys/sys/types.h makedev. */
    @Override
    long makedev(int major, int minor) {
        return ((major << 8) & 0x000fff00L) | ((minor << 12) & 0xfff00000L) | (minor & 0xffL);
    }

    /** NetBSD/src sys/arch/amd64/conf/majors.amd64: mem 2, tun 40; sys/conf/majors: tap 169. */
    @Override
    int major(String driver) {
        return switch (driver) {
            case "mem" -> 2;
            case "tun" -> 40;
            default -> 169;
        };
    }

    /**
     * NetBSD/src sys/dev/mm.c mm_ioctl (/dev/null): FIONBIO is 0 ("We never block anyway"), FIOSETOWN and the
     * like ENOTTY, anything else EOPNOTSUPP (45).
     */
    @Override
    void otherFdIoctl(Fd f, long request, long arg) throws Err {
        if (f instanceof NullFd && is(request, BsdAbi.FIONBIO, 4)) {
            return;
        }
        throw new Err(f instanceof NullFd ? 45 : ENOTTY);
    }

    @Override
    void otherSocketIoctl(SocketFd socket, long request, long arg) throws Err {
        if (is(request, abi.siocifcreate, 144)) {
            String n = name(at(arg, 144));
            createInterface(n, n.startsWith("tap") ? "tap" : "tun");
            return;
        }
        throw new Err(ENOTTY);
    }
}
