// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceMode;
import io.tuntap.TunTapException;
import io.tuntap.solaris.jna.Errno;
import io.tuntap.solaris.jna.IfTun;
import io.tuntap.solaris.jna.Lifreq;
import io.tuntap.solaris.jna.Sockio;
import io.tuntap.solaris.jna.Stropts;
import io.tuntap.solaris.jna.Sys;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One unit of the tun/tap driver, plumbed under IPv4 and IPv6: the control stream that carries its packets,
 * and the {@code /dev/udp} and {@code /dev/udp6} streams its IP streams are persistently linked under.
 *
 * <p>{@link #plumb} makes the unit and its interface in the order the driver and IP require (the order ifconfig
 * and OpenVPN use):
 * <ol>
 * <li>open {@code /dev/udp} and {@code /dev/udp6} (the IP multiplexors) and the control stream {@code /dev/tun}
 *     or {@code /dev/tap};</li>
 * <li>{@code I_STR TUNNEWPPA} on the control stream: the unit asked for, or the first one that does not answer
 *     EEXIST;</li>
 * <li>IPv4: open the device again, {@code I_PUSH "ip"}; TUN: {@code IF_UNITSEL} with the unit; TAP:
 *     {@code SIOCSLIFNAME}, {@code I_PUSH "arp"}, the {@code /dev/udp} stream emptied and given {@code "arp"},
 *     and a third stream with {@code "arp"} named with {@code I_STR SIOCSLIFNAME};</li>
 * <li>{@code I_PLINK} the IP stream (and for TAP the ARP stream) under {@code /dev/udp}; {@code SIOCSLIFMUXID}
 *     records the mux ids under the interface's name;</li>
 * <li>IPv6: the same with {@code SIOCSLIFNAME} and {@code IFF_IPV6} under {@code /dev/udp6};</li>
 * <li>the control stream becomes non-blocking.</li>
 * </ol>
 * Persistent links outlive the file descriptors, so {@link #unplumb} undoes them explicitly, in reverse:
 * {@code SIOCGLIFMUXID} and {@code I_PUNLINK} for IPv6, then ARP, then IPv4, and closes the streams; closing
 * the control stream frees the unit. A failure half-way through {@code plumb} undoes the steps done so far.
 */
final class SolarisLink {
    private final SunOs os;
    private final DeviceMode mode;
    private final String device;
    final String name;
    final int ppa;
    final int ipFd;
    final int ip6Fd;
    final int controlFd;

    private SolarisLink(SunOs os, DeviceMode mode, String device, String name, int ppa, int ipFd, int ip6Fd,
            int controlFd) {
        this.os = os;
        this.mode = mode;
        this.device = device;
        this.name = name;
        this.ppa = ppa;
        this.ipFd = ipFd;
        this.ip6Fd = ip6Fd;
        this.controlFd = controlFd;
    }

    /** The device node of a mode. */
    static String deviceNode(DeviceMode mode) {
        return mode == DeviceMode.TAP ? IfTun.TAP_DEVICE : IfTun.TUN_DEVICE;
    }

    /** The driver's name prefix of a mode: units are named {@code tunN} or {@code tapN}. */
    static String prefix(DeviceMode mode) {
        return mode == DeviceMode.TAP ? "tap" : "tun";
    }

    /**
     * Makes and plumbs a unit.
     *
     * @param unit the unit to make, or -1 for the first free one
     * @throws DeviceBusyException if the unit exists, or every unit does
     */
    static SolarisLink plumb(SunOs os, DeviceMode mode, int unit) throws TunTapException {
        return new Plumber(os, mode).plumb(unit);
    }

    /**
     * Unlinks the interface from IP and closes every stream, in the reverse order of {@link #plumb}. Never
     * throws: each step is tried even if an earlier one failed.
     *
     * @return null, or a description of the steps that failed (the interface may then be left plumbed)
     */
    String unplumb() {
        StringBuilder failures = new StringBuilder();
        try (Memory lifreq = new Memory(Lifreq.SIZE)) {
            ByteBuffer b = lifreq.getByteBuffer(0, Lifreq.SIZE).order(ByteOrder.nativeOrder());
            long address = Pointer.nativeValue(lifreq);
            unlink(ip6Fd, b, address, false, failures);
            unlink(ipFd, b, address, mode == DeviceMode.TAP, failures);
        }
        closeQuietly(os, ip6Fd);
        closeQuietly(os, ipFd);
        closeQuietly(os, controlFd);
        return failures.length() == 0 ? null : failures.toString();
    }

    private void unlink(int muxFd, ByteBuffer b, long address, boolean arp, StringBuilder failures) {
        Lifreq.clear(b, name);
        if (os.libc().ioctl(muxFd, Sockio.SIOCGLIFMUXID, address) < 0) {
            failures.append(" ioctl(SIOCGLIFMUXID ").append(name).append(") ").append(Errno.name(os.libc().errno()));
            return;
        }
        if (arp) {
            int arpMuxid = b.getInt(Lifreq.ARP_MUXID);
            if (os.libc().ioctl(muxFd, Stropts.I_PUNLINK, arpMuxid) < 0) {
                failures.append(" ioctl(I_PUNLINK arp ").append(arpMuxid).append(") ")
                        .append(Errno.name(os.libc().errno()));
            }
        }
        int ipMuxid = b.getInt(Lifreq.IP_MUXID);
        if (os.libc().ioctl(muxFd, Stropts.I_PUNLINK, ipMuxid) < 0) {
            failures.append(" ioctl(I_PUNLINK ip ").append(ipMuxid).append(") ").append(Errno.name(os.libc().errno()));
        }
    }

    static void closeQuietly(SunOs os, int fd) {
        if (fd >= 0) {
            os.libc().close(fd);
        }
    }

    @Override
    public String toString() {
        return name + " (" + device + " unit " + ppa + ")";
    }

    /** A step to undo; {@code closesFd} is the fd it closes, or -1. */
    private record Undo(int closesFd, Runnable action) {
    }

    /** One plumbing attempt: records an undo action per step so that a failure leaves nothing behind. */
    private static final class Plumber {
        private final SunOs os;
        private final DeviceMode mode;
        private final String device;
        private final Deque<Undo> undo = new ArrayDeque<>();
        private final Memory scratch = new Memory(Lifreq.SIZE + Stropts.Strioctl.SIZE + 16);
        private final long lifreqAddress = Pointer.nativeValue(scratch);
        private final long strioctlAddress = lifreqAddress + Lifreq.SIZE;
        private final long intAddress = strioctlAddress + Stropts.Strioctl.SIZE;
        private final long moduleAddress = intAddress + 8;
        private final ByteBuffer lifreq = scratch.getByteBuffer(0, Lifreq.SIZE).order(ByteOrder.nativeOrder());
        private String name;

        Plumber(SunOs os, DeviceMode mode) {
            this.os = os;
            this.mode = mode;
            this.device = deviceNode(mode);
        }

        SolarisLink plumb(int unit) throws TunTapException {
            boolean done = false;
            try {
                int ipFd = open(IfTun.UDP_DEVICE, "the IPv4 multiplexor");
                int ip6Fd = open(IfTun.UDP6_DEVICE, "the IPv6 multiplexor");
                int controlFd = open(device, "the control stream");
                int ppa = newPpa(controlFd, unit);
                name = prefix(mode) + ppa;
                plumbIpv4(ipFd, ppa);
                plumbIpv6(ip6Fd, ppa);
                int flags = os.libc().fcntl(controlFd, Sys.F_GETFL, 0);
                if (flags < 0 || os.libc().fcntl(controlFd, Sys.F_SETFL, flags | Sys.O_NONBLOCK) < 0) {
                    throw SolarisErrors.ofCommon("fcntl(" + device + ", F_SETFL, O_NONBLOCK)", os.libc().errno(),
                            "cannot make the control stream non-blocking");
                }
                done = true;
                return new SolarisLink(os, mode, device, name, ppa, ipFd, ip6Fd, controlFd);
            } finally {
                if (!done) {
                    while (!undo.isEmpty()) {
                        undo.pop().action.run();
                    }
                }
                scratch.close();
            }
        }

        private int open(String path, String role) throws TunTapException {
            int fd = os.libc().open(path, Sys.O_RDWR | Sys.O_CLOEXEC);
            if (fd < 0) {
                int errno = os.libc().errno();
                String why = switch (errno) {
                    case Errno.ENOENT, Errno.ENXIO, Errno.ENODEV -> path.startsWith("/dev/udp")
                            ? path + " is missing: this system has no IP stack for " + role
                            : path + " is missing: the tun/tap driver is not installed or not loaded; "
                                    + SolarisErrors.DRIVER_FIX;
                    default -> "cannot open " + role;
                };
                throw SolarisErrors.ofCommon("open(" + path + ")", errno, why);
            }
            undo.push(new Undo(fd, () -> os.libc().close(fd)));
            return fd;
        }

        /** TUNNEWPPA through I_STR: the unit asked for, or the first free one. Closing the stream frees it. */
        private int newPpa(int controlFd, int unit) throws TunTapException {
            if (unit >= 0) {
                return tryPpa(controlFd, unit, true);
            }
            for (int candidate = 0; candidate < IfTun.TUNMAXPPA; candidate++) {
                int ppa = tryPpa(controlFd, candidate, false);
                if (ppa >= 0) {
                    return ppa;
                }
            }
            // Each unit's TUNNEWPPA failed with EEXIST: the last answer stands for them all.
            throw SolarisErrors.of("ioctl(I_STR TUNNEWPPA) on " + device, Errno.EEXIST, "all " + IfTun.TUNMAXPPA + " units of the driver (" + prefix(mode) + "0 to "
                    + prefix(mode) + (IfTun.TUNMAXPPA - 1) + ") are in use; close a device, or unplumb interfaces "
                    + "left behind by a crashed program ('ifconfig " + prefix(mode) + "N unplumb')");
        }

        /** One TUNNEWPPA; returns the unit, or -1 for EEXIST when {@code exact} is false. */
        private int tryPpa(int controlFd, int unit, boolean exact) throws TunTapException {
            scratch.setInt(intAddress - lifreqAddress, unit);
            int ppa = strIoctl(controlFd, IfTun.TUNNEWPPA, intAddress, 4);
            if (ppa >= 0) {
                return ppa;
            }
            int errno = os.libc().errno();
            if (errno == Errno.EEXIST && !exact) {
                return -1;
            }
            String unitName = prefix(mode) + unit;
            throw SolarisErrors.ofCommon("ioctl(I_STR TUNNEWPPA " + unit + ")", errno, switch (errno) {
                case Errno.EEXIST -> unitName + " exists: another program has it open, or an interface left "
                        + "behind holds it; choose another name, or none to take the first free unit";
                case Errno.EINVAL -> unitName + " is outside the driver's units 0 to " + (IfTun.TUNMAXPPA - 1);
                default -> "the driver refused to make unit " + unit;
            });
        }

        private int strIoctl(int fd, int command, long data, int length) {
            scratch.setInt(strioctlAddress - lifreqAddress + Stropts.Strioctl.IC_CMD, command);
            scratch.setInt(strioctlAddress - lifreqAddress + Stropts.Strioctl.IC_TIMOUT, 0);
            scratch.setInt(strioctlAddress - lifreqAddress + Stropts.Strioctl.IC_LEN, length);
            scratch.setLong(strioctlAddress - lifreqAddress + Stropts.Strioctl.IC_DP, data);
            return os.libc().ioctl(fd, Stropts.I_STR, strioctlAddress);
        }

        private void plumbIpv4(int ipFd, int ppa) throws TunTapException {
            int ifFd = openTemporary();
            push(ifFd, "ip");
            if (mode == DeviceMode.TUN) {
                scratch.setInt(intAddress - lifreqAddress, ppa);
                check(os.libc().ioctl(ifFd, Sockio.IF_UNITSEL, intAddress), "ioctl(IF_UNITSEL " + ppa + ")",
                        "IP could not attach to unit " + ppa + " of the driver");
                int ipMuxid = link(ipFd, ifFd, "ip");
                setMuxids(ipFd, ipMuxid, 0);
            } else {
                nameIpStream(ifFd, ppa, Sys.IFF_IPV4);
                push(ifFd, "arp");
                // The multiplexor for the ip and arp streams is a UDP stream with only the arp module on it.
                while (os.libc().ioctl(ipFd, Stropts.I_POP, 0) >= 0) {
                    // pop every module the system pushed
                }
                push(ipFd, "arp");
                int arpFd = openTemporary();
                push(arpFd, "arp");
                check(strIoctl(arpFd, Sockio.SIOCSLIFNAME, lifreqAddress, Lifreq.SIZE),
                        "ioctl(I_STR SIOCSLIFNAME " + name + ") on the arp stream", "ARP refused the interface");
                int ipMuxid = link(ipFd, ifFd, "ip");
                int arpMuxid = link(ipFd, arpFd, "arp");
                setMuxids(ipFd, ipMuxid, arpMuxid);
            }
        }

        private void plumbIpv6(int ip6Fd, int ppa) throws TunTapException {
            int ifFd = openTemporary();
            push(ifFd, "ip");
            nameIpStream(ifFd, ppa, Sys.IFF_IPV6);
            int ipMuxid = link(ip6Fd, ifFd, "ip");
            setMuxids(ip6Fd, ipMuxid, 0);
        }

        /** Opens a device stream that is closed once linked (a persistent link keeps the stream). */
        private int openTemporary() throws TunTapException {
            return open(device, "an IP stream");
        }

        private void push(int fd, String module) throws TunTapException {
            byte[] bytes = (module + "\0").getBytes(StandardCharsets.US_ASCII);
            scratch.write(moduleAddress - lifreqAddress, bytes, 0, bytes.length);
            check(os.libc().ioctl(fd, Stropts.I_PUSH, moduleAddress), "ioctl(I_PUSH \"" + module + "\")",
                    "the STREAMS module " + module + " could not be pushed");
        }

        /** SIOCGLIFFLAGS then SIOCSLIFNAME with the unit and the family flag: names the IP stream's interface. */
        private void nameIpStream(int ifFd, int ppa, long family) throws TunTapException {
            Lifreq.clear(lifreq, "");
            check(os.libc().ioctl(ifFd, Sockio.SIOCGLIFFLAGS, lifreqAddress), "ioctl(SIOCGLIFFLAGS)",
                    "IP did not report the new stream's flags");
            long flags = lifreq.getLong(Lifreq.FLAGS) & ~(Sys.IFF_IPV4 | Sys.IFF_IPV6) | family;
            Lifreq.clear(lifreq, name);
            lifreq.putInt(Lifreq.PPA, ppa);
            lifreq.putLong(Lifreq.FLAGS, flags);
            check(os.libc().ioctl(ifFd, Sockio.SIOCSLIFNAME, lifreqAddress), "ioctl(SIOCSLIFNAME " + name + ")",
                    "IP could not name the " + (family == Sys.IFF_IPV6 ? "IPv6" : "IPv4") + " interface " + name);
        }

        /** I_PLINK {@code lowerFd} under {@code muxFd}, then closes {@code lowerFd}; undone with I_PUNLINK. */
        private int link(int muxFd, int lowerFd, String what) throws TunTapException {
            int muxid = os.libc().ioctl(muxFd, Stropts.I_PLINK, lowerFd);
            check(muxid, "ioctl(I_PLINK " + what + ")", "the " + what + " stream of " + name
                    + " could not be linked under IP");
            undo.push(new Undo(-1, () -> os.libc().ioctl(muxFd, Stropts.I_PUNLINK, muxid)));
            // The link holds the stream now: the descriptor is no longer needed, and its close leaves the undo
            // list (closing it again on a later failure could close a recycled number).
            os.libc().close(lowerFd);
            undo.removeIf(u -> u.closesFd == lowerFd);
            return muxid;
        }

        private void setMuxids(int muxFd, int ipMuxid, int arpMuxid) throws TunTapException {
            Lifreq.clear(lifreq, name);
            lifreq.putInt(Lifreq.IP_MUXID, ipMuxid);
            lifreq.putInt(Lifreq.ARP_MUXID, arpMuxid);
            check(os.libc().ioctl(muxFd, Sockio.SIOCSLIFMUXID, lifreqAddress), "ioctl(SIOCSLIFMUXID " + name + ")",
                    "IP did not record the mux ids of " + name);
        }

        private void check(int result, String call, String what) throws TunTapException {
            if (result < 0) {
                throw SolarisErrors.ofCommon(call, os.libc().errno(), what + " (plumbing " + name + " on " + device
                        + "; everything done so far was undone)");
            }
        }
    }
}
