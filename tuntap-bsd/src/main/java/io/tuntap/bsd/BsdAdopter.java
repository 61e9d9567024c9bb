// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import io.tuntap.DeviceMode;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.InvalidDescriptorException;
import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;
import io.tuntap.bsd.jna.BsdAbi;
import io.tuntap.bsd.jna.BsdErrno;
import io.tuntap.bsd.jna.CtlInfo;
import io.tuntap.bsd.jna.Ifreq;
import io.tuntap.bsd.jna.Stat;
import io.tuntap.spi.ErrorMessages;

/**
 * Takes over a tun or tap descriptor of FreeBSD, OpenBSD or NetBSD, or a macOS utun control socket, made
 * elsewhere, learning the interface's name and mode from the descriptor with what each kernel answers:
 * <ul>
 * <li>FreeBSD's driver (freebsd/freebsd-src {@code sys/net/if_tuntap.c}, commit 002829ea6139,
 * {@code tunioctl}) answers {@code TUNGIFNAME} ({@code _IOR('t', 93, struct ifreq)}, the value of
 * {@code TAPGIFNAME} too) in its switch common to both modes, with the interface's name; {@code TUNGIFHEAD}
 * ({@code _IOR('t', 97, int)}, {@code sys/net/if_tun.h} commit 039ea811636f) only in the switch for tun, so a
 * tap falls through to the common switch, whose default is ENOTTY.
 * <li>OpenBSD's has no ioctl that names the interface: {@code tun_dev_open} (openbsd/src sys/net/if_tun.c
 * 1.252) names it {@code "%s%u"} of the driver ({@code tunopen}: tun, {@code tapopen}: tap) and the minor number
 * of the device, read here with fstat; {@code TUNGIFINFO} (both drivers, {@code tun_dev_ioctl}) proves the
 * descriptor is one of them and gives the type, {@code IFT_TUNNEL} or {@code IFT_ETHER}.
 * <li>NetBSD's tap answers {@code TAPGIFNAME} (sys/net/if_tap.c tap_dev_ioctl), on the {@code /dev/tap} clone
 * and on {@code /dev/tapN}; its tun has no name ioctl but is unit {@code minor(dev)} (sys/net/if_tun.c 1.173
 * tunopen, tun_find_unit) and answers {@code TUNGIFHEAD} (tunioctl), which proves it is a tun.
 * </ul>
 * A file of another kind has none of these ioctls and refuses them, or is not a character device at all.
 *
 * <p>The device works on a duplicate ({@code F_DUPFD}, then {@code FD_CLOEXEC}) until everything has
 * succeeded, and only then closes the caller's descriptor: a failure leaves it open and as found (the file's
 * O_NONBLOCK, NetBSD's FIONBIO flag of the unit and the address-family header as they were).
 */
final class BsdAdopter {
    /** {@code F_DUPFD}: 0 (freebsd-src@0069e95e and xnu-11417.101.15 {@code sys/fcntl.h}; POSIX). */
    static final int F_DUPFD = 0;

    private BsdAdopter() {
    }

    /** What the descriptor turned out to be: the interface name, "tun", "tap" or "utun", and the header state. */
    private record Learned(String name, String driver, int head) {
    }

    static TunTapDevice adopt(BsdContext ctx, BsdSystem system, int[] fds) throws TunTapException {
        if (fds.length != 1) {
            throw invalid("adopt", 0, fds.length + " descriptors were given, but a " + system.abi + " tun or tap "
                    + "interface has exactly one; pass one");
        }
        int fd = fds[0];
        int fileFlags = ctx.libc.fcntl(fd, BsdAbi.F_GETFL, 0);
        if (fileFlags < 0) {
            int errno = ctx.libc.errno();
            throw invalid("fcntl(F_GETFL) on descriptor " + fd, errno, "descriptor " + fd + " is not open in this "
                    + "process; pass a descriptor it holds (one received with SCM_RIGHTS is renumbered: use the "
                    + "number recvmsg gave)");
        }
        Learned learned = switch (ctx.abi.os) {
            case DARWIN -> utun(ctx, fd);
            case FREEBSD -> freeBsd(ctx, fd);
            case OPENBSD -> openBsd(ctx, fd);
            case NETBSD -> netBsd(ctx, fd);
        };
        String name = learned.name();
        String driver = learned.driver();
        DeviceMode mode = driver.equals("tap") ? DeviceMode.TAP : DeviceMode.TUN;
        int own = ctx.libc.fcntl(fd, F_DUPFD, 0);
        if (own < 0) {
            throw BsdErrors.ofCommon("fcntl(F_DUPFD) on descriptor " + fd, ctx.libc.errno(),
                    "cannot duplicate the descriptor");
        }
        boolean netBsd = ctx.abi.os == BsdAbi.Os.NETBSD;
        DeviceQueue queue = null;
        int socket = -1;
        boolean changedFlags = false;
        boolean changedHead = false;
        try {
            // The queue polls a non-blocking descriptor; O_NONBLOCK belongs to the open file, which the caller's
            // descriptor shares: it is put back if this call fails.
            changedFlags = true;
            if (ctx.libc.fcntl(own, BsdAbi.F_SETFD, BsdAbi.FD_CLOEXEC) < 0
                    || ctx.libc.fcntl(own, BsdAbi.F_SETFL, fileFlags | BsdAbi.O_NONBLOCK) < 0) {
                throw BsdErrors.ofCommon("fcntl on descriptor " + fd, ctx.libc.errno(),
                        "cannot make the descriptor non-blocking and close-on-exec");
            }
            if (netBsd) {
                // NetBSD's drivers read their own flag, which only FIONBIO sets (if_tun.c 1.173 tunread, TUN_NBIO;
                // if_tap.c tap_dev_read, TAP_NBIO); O_NONBLOCK of the file is not looked at.
                Openers.check(ctx.ioctlInt(own, BsdAbi.FIONBIO, 1), "FIONBIO", name,
                        "cannot make reads of " + name + " non-blocking");
            }
            if (driver.equals("tun") && ctx.abi.tunsifhead != 0 && learned.head() == 0) {
                // Without the header the driver takes and gives only IPv4; this library frames every packet.
                changedHead = true;
                Openers.check(ctx.ioctlInt(own, ctx.abi.tunsifhead, 1), "TUNSIFHEAD", name,
                        "cannot turn on the address-family header, without which IPv6 does not pass");
            }
            socket = ctx.socket(BsdAbi.AF_INET, "configures " + name);
            boolean pointToPoint;
            try (BsdContext.Request r = new BsdContext.Request(ctx.abi.ifreqSize)) {
                Ifreq.clear(r.view, ctx.abi, name);
                if (ctx.libc.ioctl(socket, ctx.abi.siocgifflags, r.address) < 0) {
                    throw BsdErrors.ofCommon("ioctl(SIOCGIFFLAGS) on " + name, ctx.libc.errno(),
                            "cannot read the interface flags");
                }
                pointToPoint = (Ifreq.getFlags(r.view, ctx.abi) & BsdAbi.IFF_POINTOPOINT) != 0;
            }
            int index = ctx.index(name);
            if (index == 0) {
                throw new DeviceNotFoundException("if_nametoindex", 0, ErrorMessages.failed(
                        "if_nametoindex(" + name + ")", "the interface of descriptor " + fd + " is not in this "
                                + "system's view (destroyed, or in another jail or vnet)"));
            }
            BsdSystem.Opened opened = new BsdSystem.Opened(own, name, driver, BsdSystem.Ending.PERSISTS,
                    pointToPoint, false);
            queue = system.queue(ctx, opened, mode);
            java.util.Set<io.tuntap.Capability> caps = system.capabilities(mode);
            BsdTunTapDevice device = mode == DeviceMode.TUN
                    ? new BsdTunDevice(ctx, system, opened, queue, index, socket, caps)
                    : new BsdTapDevice(ctx, system, opened, queue, index, socket, caps);
            ctx.libc.close(fd); // the device owns its duplicate now
            return device;
        } catch (TunTapException | RuntimeException e) {
            if (changedHead) {
                ctx.ioctlInt(own, ctx.abi.tunsifhead, 0);
            }
            if (changedFlags) {
                ctx.libc.fcntl(fd, BsdAbi.F_SETFL, fileFlags);
                if (netBsd) {
                    ctx.ioctlInt(fd, BsdAbi.FIONBIO, (fileFlags & BsdAbi.O_NONBLOCK) != 0 ? 1 : 0);
                }
            }
            if (queue != null) {
                queue.close();
            } else {
                ctx.libc.close(own);
            }
            if (socket >= 0) {
                ctx.libc.close(socket);
            }
            throw e;
        }
    }

    /** FreeBSD: the name from TUNGIFNAME, "tun" or "tap" from whether TUNGIFHEAD is answered. */
    private static Learned freeBsd(BsdContext ctx, int fd) throws TunTapException {
        String name;
        try (BsdContext.Request r = new BsdContext.Request(ctx.abi.ifreqSize)) {
            if (ctx.libc.ioctl(fd, ctx.abi.gifname, r.address) < 0) {
                int errno = ctx.libc.errno();
                throw notTunOrTap("ioctl(TUNGIFNAME) on descriptor " + fd, errno, fd, "/dev/tun or /dev/tap");
            }
            name = Ifreq.getName(r.view);
        }
        int[] head = new int[1];
        int e = ioctlIntOut(ctx, fd, ctx.abi.tungifhead, head);
        if (e != 0 && e != BsdErrno.ENOTTY) {
            throw BsdErrors.ofCommon("ioctl(TUNGIFHEAD) on " + name, e, "cannot tell whether " + name
                    + " is a tun or a tap");
        }
        return new Learned(name, e == 0 ? "tun" : "tap", e == 0 ? head[0] : 0);
    }

    /**
     * OpenBSD: a character device that answers TUNGIFINFO; tun or tap from the type it gives, the unit from the
     * minor number.
     */
    private static Learned openBsd(BsdContext ctx, int fd) throws TunTapException {
        long rdev = characterDevice(ctx, fd, "/dev/tunN or /dev/tapN");
        String call = "ioctl(TUNGIFINFO) on descriptor " + fd;
        int type;
        try (BsdContext.Request r = new BsdContext.Request(BsdAbi.TUNINFO_SIZE)) {
            if (ctx.libc.ioctl(fd, ctx.abi.tungifinfo, r.address) < 0) {
                throw notTunOrTap(call, ctx.libc.errno(), fd, "/dev/tunN or /dev/tapN");
            }
            type = r.view.getShort(BsdAbi.TUNINFO_TYPE) & 0xffff;
        }
        String driver = type == BsdAbi.IFT_TUNNEL ? "tun" : type == BsdAbi.IFT_ETHER ? "tap" : null;
        if (driver == null) {
            throw invalid(call, 0, "the device answered with interface type 0x" + Integer.toHexString(type)
                    + ", neither a tun (IFT_TUNNEL) nor a tap (IFT_ETHER); pass a descriptor of /dev/tunN or /dev/tapN");
        }
        return new Learned(driver + Stat.OPENBSD.minor(rdev), driver, 1);
    }

    /** NetBSD: a tap names itself (TAPGIFNAME); a tun is a character device that answers TUNGIFHEAD. */
    private static Learned netBsd(BsdContext ctx, int fd) throws TunTapException {
        try (BsdContext.Request r = new BsdContext.Request(ctx.abi.ifreqSize)) {
            if (ctx.libc.ioctl(fd, ctx.abi.gifname, r.address) == 0) {
                return new Learned(Ifreq.getName(r.view), "tap", 0);
            }
        }
        long rdev = characterDevice(ctx, fd, "/dev/tunN, /dev/tap or /dev/tapN");
        int[] head = new int[1];
        int e = ioctlIntOut(ctx, fd, ctx.abi.tungifhead, head);
        if (e != 0) {
            throw notTunOrTap("ioctl(TUNGIFHEAD) on descriptor " + fd, e, fd, "/dev/tunN, /dev/tap or /dev/tapN");
        }
        return new Learned("tun" + Stat.NETBSD.minor(rdev), "tun", head[0]);
    }

    /** fstat of {@code fd}: its {@code st_rdev} if it is a character device, else an InvalidDescriptorException. */
    private static long characterDevice(BsdContext ctx, int fd, String nodes) throws TunTapException {
        Stat layout = Stat.of(ctx.abi.os);
        String call = "fstat(" + fd + ")";
        try (BsdContext.Request st = new BsdContext.Request(layout.size)) {
            if (ctx.bsd.fstat(fd, st.address) < 0) {
                throw invalid(call, ctx.libc.errno(), "cannot tell what descriptor " + fd + " is; pass an open "
                        + "descriptor of " + nodes);
            }
            int type = st.view.getInt(layout.modeOffset) & BsdAbi.S_IFMT;
            if (type != BsdAbi.S_IFCHR) {
                String kind = switch (type) {
                    case BsdAbi.S_IFSOCK -> "a socket";
                    case BsdAbi.S_IFIFO -> "a pipe";
                    case BsdAbi.S_IFREG -> "a regular file";
                    default -> "not a character device (st_mode type 0" + Integer.toOctalString(type) + ")";
                };
                throw invalid(call, 0, "descriptor " + fd + " is " + kind + ", not a tun or tap device; pass a "
                        + "descriptor of " + nodes);
            }
            return layout.rdevWidth == 8 ? st.view.getLong(layout.rdevOffset) : st.view.getInt(layout.rdevOffset);
        }
    }

    /** An ioctl whose int argument the kernel fills in; returns 0 or the errno. */
    private static int ioctlIntOut(BsdContext ctx, int fd, long request, int[] out) {
        try (BsdContext.Request r = new BsdContext.Request(4)) {
            if (ctx.libc.ioctl(fd, request, r.address) < 0) {
                return ctx.libc.errno();
            }
            out[0] = r.view.getInt(0);
            return 0;
        }
    }

    private static InvalidDescriptorException notTunOrTap(String call, int errno, int fd, String nodes) {
        return invalid(call, errno, "descriptor " + fd + " is not a tun or tap descriptor: it is another kind of "
                + "file (a pipe, a socket, a regular file or another device such as /dev/null); pass a descriptor "
                + "of " + nodes + " (or a unit of them)");
    }

    /**
     * macOS: the name from {@code getsockopt(SYSPROTO_CONTROL, UTUN_OPT_IFNAME)} (xnu-11417.101.15
     * {@code bsd/net/if_utun.h}: 2; {@code bsd/sys/sys_domain.h}: {@code SYSPROTO_CONTROL} 2;
     * {@code bsd/net/if_utun.c} utun_ctl_getopt). Another file is refused by getsockopt with ENOTSOCK
     * ({@code bsd/kern/uipc_syscalls.c} getsockopt, file_socket), an IPv4 or IPv6 socket with EINVAL
     * ({@code bsd/netinet/ip_output.c} ip_ctloutput: a level other than IPPROTO_IP).
     */
    private static Learned utun(BsdContext ctx, int fd) throws TunTapException {
        try (BsdContext.Request name = new BsdContext.Request(BsdAbi.IFNAMSIZ + 4)) {
            name.view.putInt(BsdAbi.IFNAMSIZ, BsdAbi.IFNAMSIZ); // the socklen_t after the name buffer
            if (ctx.bsd.getsockopt(fd, CtlInfo.SYSPROTO_CONTROL, CtlInfo.UTUN_OPT_IFNAME, name.address,
                    name.address + BsdAbi.IFNAMSIZ) < 0) {
                int errno = ctx.libc.errno();
                throw invalid("getsockopt(SYSPROTO_CONTROL, UTUN_OPT_IFNAME) on descriptor " + fd, errno,
                        "descriptor " + fd + " is not a utun control socket: it is another kind of file or socket (a "
                        + "pipe, /dev/null, an IP socket); pass a PF_SYSTEM socket connected to "
                        + CtlInfo.UTUN_CONTROL_NAME + " (a feth pair, the TAP of this library, cannot be adopted)");
            }
            return new Learned(io.tuntap.bsd.jna.Sockaddrs.getName(name.view, 0, BsdAbi.IFNAMSIZ), "utun", 1);
        }
    }

    private static InvalidDescriptorException invalid(String call, int errno, String causeAndFix) {
        return new InvalidDescriptorException(call, errno, errno == 0 ? ErrorMessages.failed(call, causeAndFix)
                : BsdErrno.TABLE.message(call, errno, causeAndFix));
    }
}
