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
import io.tuntap.spi.ErrorMessages;

/**
 * Takes over a FreeBSD tun or tap descriptor, or a macOS utun control socket, made elsewhere. FreeBSD's driver (freebsd/freebsd-src
 * {@code sys/net/if_tuntap.c}, commit 002829ea6139, {@code tunioctl}) answers {@code TUNGIFNAME}
 * ({@code _IOR('t', 93, struct ifreq)}, the value of {@code TAPGIFNAME} too) in its switch common to both
 * modes, with the interface's name; {@code TUNGIFHEAD} ({@code _IOR('t', 97, int)}, {@code sys/net/if_tun.h}
 * commit 039ea811636f) only in the switch for tun, so a tap falls through to the common switch, whose default
 * is ENOTTY. A file of another kind has no such ioctl and refuses it.
 *
 * <p>The device works on a duplicate ({@code F_DUPFD}, then {@code FD_CLOEXEC}) until everything has
 * succeeded, and only then closes the caller's descriptor: a failure leaves it open and as found.
 */
final class BsdAdopter {
    /** {@code F_DUPFD}: 0 (freebsd-src@0069e95e and xnu-11417.101.15 {@code sys/fcntl.h}; POSIX). */
    static final int F_DUPFD = 0;

    private BsdAdopter() {
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
        String[] learned = ctx.abi.os == BsdAbi.Os.DARWIN ? utun(ctx, fd) : tunOrTap(ctx, fd);
        String name = learned[0];
        String driver = learned[1];
        DeviceMode mode = driver.equals("tap") ? DeviceMode.TAP : DeviceMode.TUN;
        int own = ctx.libc.fcntl(fd, F_DUPFD, 0);
        if (own < 0) {
            throw BsdErrors.ofCommon("fcntl(F_DUPFD) on descriptor " + fd, ctx.libc.errno(),
                    "cannot duplicate the descriptor");
        }
        DeviceQueue queue = null;
        int socket = -1;
        boolean changedFlags = false;
        try {
            // The queue polls a non-blocking descriptor; O_NONBLOCK belongs to the open file, which the caller's
            // descriptor shares: it is put back if this call fails.
            if (ctx.libc.fcntl(own, BsdAbi.F_SETFD, BsdAbi.FD_CLOEXEC) < 0
                    || ctx.libc.fcntl(own, BsdAbi.F_SETFL, fileFlags | BsdAbi.O_NONBLOCK) < 0) {
                throw BsdErrors.ofCommon("fcntl on descriptor " + fd, ctx.libc.errno(),
                        "cannot make the descriptor non-blocking and close-on-exec");
            }
            changedFlags = true;
            if (driver.equals("tun")) {
                // Without the header the driver takes and gives only IPv4; this library frames every packet.
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
                throw new DeviceNotFoundException("if_nametoindex", BsdErrno.ENXIO, ErrorMessages.failed(
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
            if (queue != null) {
                queue.close();
            } else {
                ctx.libc.close(own);
            }
            if (socket >= 0) {
                ctx.libc.close(socket);
            }
            if (changedFlags) {
                ctx.libc.fcntl(fd, BsdAbi.F_SETFL, fileFlags);
            }
            throw e;
        }
    }

    /** FreeBSD: the name from TUNGIFNAME, "tun" or "tap" from whether TUNGIFHEAD is answered. */
    private static String[] tunOrTap(BsdContext ctx, int fd) throws TunTapException {
        String name;
        try (BsdContext.Request r = new BsdContext.Request(ctx.abi.ifreqSize)) {
            if (ctx.libc.ioctl(fd, ctx.abi.gifname, r.address) < 0) {
                int errno = ctx.libc.errno();
                throw invalid("ioctl(TUNGIFNAME) on descriptor " + fd, errno, "descriptor " + fd + " is not a tun "
                        + "or tap descriptor: it is another kind of file (a pipe, a socket, a regular file or another "
                        + "device such as /dev/null); pass a descriptor of /dev/tun or /dev/tap (or a unit of them)");
            }
            name = Ifreq.getName(r.view);
        }
        int head = ctx.ioctlInt(fd, ctx.abi.tungifhead, 0);
        if (head != 0 && head != BsdErrno.ENOTTY) {
            throw BsdErrors.ofCommon("ioctl(TUNGIFHEAD) on " + name, head, "cannot tell whether " + name
                    + " is a tun or a tap");
        }
        return new String[] {name, head == 0 ? "tun" : "tap"};
    }

    /**
     * macOS: the name from {@code getsockopt(SYSPROTO_CONTROL, UTUN_OPT_IFNAME)} (xnu-11417.101.15
     * {@code bsd/net/if_utun.h}: 2; {@code bsd/sys/sys_domain.h}: {@code SYSPROTO_CONTROL} 2;
     * {@code bsd/net/if_utun.c} utun_ctl_getopt). Another file is refused by getsockopt with ENOTSOCK
     * ({@code bsd/kern/uipc_syscalls.c} getsockopt, file_socket), an IPv4 or IPv6 socket with EINVAL
     * ({@code bsd/netinet/ip_output.c} ip_ctloutput: a level other than IPPROTO_IP).
     */
    private static String[] utun(BsdContext ctx, int fd) throws TunTapException {
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
            return new String[] {io.tuntap.bsd.jna.Sockaddrs.getName(name.view, 0, BsdAbi.IFNAMSIZ), "utun"};
        }
    }

    private static InvalidDescriptorException invalid(String call, int errno, String causeAndFix) {
        return new InvalidDescriptorException(call, errno, errno == 0 ? ErrorMessages.failed(call, causeAndFix)
                : ErrorMessages.osError(call, BsdErrno.name(errno), "errno", errno, causeAndFix));
    }
}
