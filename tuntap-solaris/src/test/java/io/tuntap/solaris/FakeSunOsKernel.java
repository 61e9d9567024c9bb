// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris;

import com.sun.jna.Pointer;
import io.tuntap.DeviceMode;
import io.tuntap.MacAddress;
import io.tuntap.PacketChannel;
import io.tuntap.TunTapException;
import io.tuntap.posix.PosixLibC;
import io.tuntap.solaris.jna.Dlpi;
import io.tuntap.solaris.jna.Errno;
import io.tuntap.solaris.jna.IfTun;
import io.tuntap.solaris.jna.Lifreq;
import io.tuntap.solaris.jna.Mib2;
import io.tuntap.solaris.jna.RouteMessages;
import io.tuntap.solaris.jna.SolarisLibC;
import io.tuntap.solaris.jna.Sockio;
import io.tuntap.solaris.jna.Stropts;
import io.tuntap.solaris.jna.Sys;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An illumos kernel with the STREAMS tun/tap driver, as far as the backend sees it through {@link PosixLibC}
 * and {@link SolarisLibC}. It follows the driver's {@code tun.c} and the STREAMS and IP rules the backend relies
 * on, reading and writing the caller's native memory as the kernel would:
 * <ul>
 * <li>device nodes: {@code /dev/tun}, {@code /dev/tap} (clone opens: each open is a new stream),
 *     {@code /dev/udp}, {@code /dev/udp6}; a missing driver gives ENOENT;</li>
 * <li>{@code I_STR TUNNEWPPA}: units 0 to 19 per driver; -1 takes the first free (ENOMEM if none); a taken
 *     unit is EEXIST, one out of range EINVAL; the stream becomes the unit's control stream, and closing it
 *     frees the unit and detaches the unit's protocol streams;</li>
 * <li>modules: {@code I_PUSH} of "ip" or "arp" (EINVAL for others), {@code I_POP} (EINVAL on an empty stack);
 *     {@code IF_UNITSEL} and {@code SIOCSLIFNAME} on an "ip" stream attach it to a unit (ENXIO if the unit does
 *     not exist, as IP reports DL_BADPPA) and create the IPv4 or IPv6 interface (EEXIST if the name is
 *     plumbed);</li>
 * <li>{@code I_PLINK} of an "ip" or "arp" stream under a {@code /dev/udp} (IPv4) or {@code /dev/udp6} (IPv6)
 *     multiplexor returns a mux id; the link outlives both descriptors; {@code I_PUNLINK} with an unknown mux
 *     id is EINVAL, and unlinking the last reference of an IP stream unplumbs its interface;
 *     {@code SIOCSLIFMUXID}/{@code SIOCGLIFMUXID} keep the ids by name;</li>
 * <li>interfaces: {@code SIOC[GS]LIF*} by (logical) name on a multiplexor of the family (ENXIO for an unknown
 *     name); MTU 68 to 1500 (IPv6: 1280 to 1500), EINVAL otherwise; logical interfaces with
 *     {@code SIOCLIFADDIF}/{@code SIOCLIFREMOVEIF}; {@code SIOCGLIFCONF};</li>
 * <li>packets: {@code putmsg} of an {@code M_DATA} message on a control stream: ERANGE outside 21 to 2048
 *     bytes; TUN routes by the IP version nibble, TAP by the EtherType and the driver's eligibility rule (to the
 *     unit's address, broadcast or multicast, not from the unit's own address); IP takes a packet only on an
 *     interface that is up; others are dropped. {@code getmsg} returns one message, MOREDATA with the rest kept
 *     when it does not fit, EAGAIN on a non-blocking empty stream; DL_PHYS_ADDR_REQ is answered with a
 *     high-priority DL_PHYS_ADDR_ACK;</li>
 * <li>routing sockets: {@code RTM_NEWADDR}/{@code RTM_DELADDR} with {@code RTA_NETMASK}, {@code RTA_IFP},
 *     {@code RTA_IFA} and {@code RTA_BRD} at their exact sizes, as illumos-gate {@code ip_rts.c}
 *     (rts_new_rtsmsg, rts_fill_msg) builds them; {@code RTM_IFINFO}; {@code RTM_ADD}/{@code RTM_DELETE}
 *     checked byte by byte;</li>
 * <li>{@code poll} on streams and pipes, {@code pipe}, {@code read}/{@code write} on pipes, {@code fcntl}.</li>
 * </ul>
 * Where each of these comes from, and which are untraced, is the table "Sources" of the module's README.
 * The network stack's side of each unit is {@link #stack(String)}. {@link #failCall(int, int)} makes one call fail,
 * for the tests of every failure step. {@link #leftovers()} lists what is still allocated.
 */
final class FakeSunOsKernel implements PosixLibC, SolarisLibC {
    /** The MAC address the tap driver gives every unit (it makes one when loaded). */
    static final MacAddress TAP_MAC = MacAddress.parse("0a:00:20:12:34:56");

    private final ThreadLocal<int[]> errno = ThreadLocal.withInitial(() -> new int[1]);
    private final Map<Integer, Stream> fds = new TreeMap<>();
    private final Unit[] tunUnits = new Unit[IfTun.TUNMAXPPA];
    private final Unit[] tapUnits = new Unit[IfTun.TUNMAXPPA];
    private final Map<String, Ill> ills4 = new LinkedHashMap<>();
    private final Map<String, Ill> ills6 = new LinkedHashMap<>();
    private final Map<String, Integer> indexes = new HashMap<>();
    private final List<KernelRoute> routes = new ArrayList<>();
    private final List<byte[]> routeRequests = new ArrayList<>();
    private final List<String> calls = new ArrayList<>();
    private final AtomicInteger nextMuxid = new AtomicInteger(101);
    private int nextIndex = 2;
    private boolean driverInstalled = true;
    private int failAt = -1;
    private int failErrno;
    private int callCount;
    /** Packets IP received from the devices, per interface name. */
    private final Map<String, ArrayDeque<byte[]>> delivered = new HashMap<>();
    private int dropped;

    // ---- test controls ------------------------------------------------------------------------------

    /** Removes /dev/tun and /dev/tap: the driver is not installed. */
    synchronized void uninstallDriver() {
        driverInstalled = false;
    }

    /** Makes the {@code n}th call from now (0-based, counting every call) fail with {@code errno}. */
    synchronized void failCall(int n, int code) {
        failAt = callCount + n;
        failErrno = code;
    }

    /** Cancels a failure made with {@link #failCall} that has not happened yet. */
    synchronized void clearFailure() {
        failAt = -1;
    }

    /** Every call so far, in order, as text. */
    synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    /** What is still allocated: open descriptors, units, interfaces, links. Empty when nothing is left behind. */
    synchronized List<String> leftovers() {
        List<String> left = new ArrayList<>();
        fds.forEach((fd, s) -> left.add("fd " + fd + " (" + s + ")"));
        for (Unit[] units : List.of(tunUnits, tapUnits)) {
            for (Unit u : units) {
                if (u != null) {
                    left.add("unit " + u);
                }
            }
        }
        ills4.keySet().forEach(n -> left.add("IPv4 interface " + n));
        ills6.keySet().forEach(n -> left.add("IPv6 interface " + n));
        routes.forEach(r -> left.add("route " + r));
        return left;
    }

    /** Open descriptors without close-on-exec, which a child process would inherit. */
    synchronized List<Integer> inheritable() {
        List<Integer> open = new ArrayList<>();
        fds.forEach((fd, s) -> {
            if (!s.closeOnExec) {
                open.add(fd);
            }
        });
        return open;
    }

    /** Packets the devices wrote that IP dropped (no interface, link down, wrong address). */
    synchronized int dropped() {
        return dropped;
    }

    /** Marks one unit taken by another program, as if it had made it and kept it open. */
    synchronized void takeUnit(DeviceMode mode, int ppa) {
        units(mode)[ppa] = new Unit(mode, ppa, null);
    }

    /** Another program unplumbs an interface ({@code ifconfig NAME unplumb}): both families' links go. */
    synchronized void unplumbByAnotherProgram(String name) {
        for (Stream mux : List.copyOf(fds.values())) {
            if (mux.kind.isMux()) {
                for (Map.Entry<Integer, Stream> link : List.copyOf(mux.links.entrySet())) {
                    Stream lower = link.getValue();
                    boolean ours = lower.ill != null ? lower.ill.name.equals(name) : name.equals(lower.arpName);
                    if (ours) {
                        punlink(mux, link.getKey());
                    }
                }
            }
        }
        notifyAll();
    }

    /** The IPv4 and IPv6 interface flags of a (logical) interface, for tests. */
    synchronized long flags(String name, boolean v6) {
        return lif(name, v6).flags;
    }

    /**
     * The network stack's end of an interface: reads the packets IP received from the device, and writes packets
     * that IP sends out through the interface (they arrive on the unit's control stream).
     */
    PacketChannel stack(String name) {
        return new StackChannel(name);
    }

    // ---- PosixLibC ------------------------------------------------------------------------------------

    @Override
    public synchronized int open(String path, int flags) {
        if (fail("open " + path)) {
            return -1;
        }
        Kind kind = switch (path) {
            case IfTun.TUN_DEVICE -> driverInstalled ? Kind.TUN : null;
            case IfTun.TAP_DEVICE -> driverInstalled ? Kind.TAP : null;
            case IfTun.UDP_DEVICE -> Kind.UDP;
            case IfTun.UDP6_DEVICE -> Kind.UDP6;
            case Mib2.ARP_DEVICE -> Kind.ARP;
            default -> null;
        };
        if (kind == null) {
            return error(Errno.ENOENT);
        }
        Stream s = new Stream(kind);
        s.nonblocking = (flags & Sys.O_NONBLOCK) != 0;
        s.closeOnExec = (flags & Sys.O_CLOEXEC) != 0;
        return allocate(s);
    }

    @Override
    public synchronized int close(int fd) {
        // close(2) releases the descriptor even when it reports an error: an injected failure does both.
        boolean failed = fail("close " + fd);
        Stream s = fds.remove(fd);
        if (s == null) {
            return error(Errno.EBADF);
        }
        release(s);
        notifyAll();
        return failed ? -1 : 0;
    }

    @Override
    public synchronized long read(int fd, long buf, long count) {
        Stream s = fds.get(fd);
        if (s == null) {
            return error(Errno.EBADF);
        }
        if (s.kind == Kind.ROUTE) {
            byte[] m = s.readQueue.pollFirst();
            if (m == null) {
                return error(Errno.EAGAIN);
            }
            int n = (int) Math.min(count, m.length);
            new Pointer(buf).write(0, m, 0, n);
            return n;
        }
        if (s.kind != Kind.PIPE_READ) {
            return error(Errno.EINVAL);
        }
        if (s.pipe.bytes == 0) {
            return error(Errno.EAGAIN);
        }
        int n = (int) Math.min(count, s.pipe.bytes);
        s.pipe.bytes -= n;
        new Pointer(buf).setMemory(0, n, (byte) 1);
        return n;
    }

    @Override
    public long readv(int fd, long iov, int iovcnt) {
        return error(Errno.EINVAL);
    }

    @Override
    public synchronized long write(int fd, long buf, long count) {
        Stream s = fds.get(fd);
        if (s == null) {
            return error(Errno.EBADF);
        }
        if (s.kind == Kind.ROUTE) {
            if (fail("write AF_ROUTE")) {
                return -1;
            }
            byte[] m = new Pointer(buf).getByteArray(0, (int) count);
            return routeRequest(s, ByteBuffer.wrap(m).order(ByteOrder.nativeOrder()));
        }
        if (s.kind != Kind.PIPE_WRITE) {
            return error(Errno.EINVAL); // the backend writes packets with putmsg only
        }
        s.pipe.bytes += count;
        notifyAll();
        return count;
    }

    @Override
    public long writev(int fd, long iov, int iovcnt) {
        return error(Errno.EINVAL);
    }

    @Override
    public synchronized int ioctl(int fd, long request, long arg) {
        int cmd = (int) request;
        String text = "ioctl " + ioctlName(cmd) + describe(cmd, arg);
        if (fail(text)) {
            return -1;
        }
        Stream s = fds.get(fd);
        if (s == null) {
            return error(Errno.EBADF);
        }
        return switch (cmd) {
            case Stropts.I_STR -> strIoctl(s, arg);
            case Stropts.I_PUSH -> push(s, cString(arg));
            case Stropts.I_POP -> pop(s);
            case Stropts.I_PLINK -> plink(s, (int) arg);
            case Stropts.I_PUNLINK -> punlink(s, (int) arg);
            case Sockio.IF_UNITSEL -> unitSelect(s, new Pointer(arg).getInt(0));
            case Sockio.SIOCGLIFCONF -> lifconf(s, arg);
            default -> lifIoctl(s, cmd, arg);
        };
    }

    @Override
    public synchronized int fcntl(int fd, int cmd, long arg) {
        if (fail("fcntl " + cmd)) {
            return -1;
        }
        Stream s = fds.get(fd);
        if (s == null) {
            return error(Errno.EBADF);
        }
        if (cmd == Sys.F_GETFL) {
            return Sys.O_RDWR | (s.nonblocking ? Sys.O_NONBLOCK : 0);
        }
        if (cmd == Sys.F_SETFD) {
            s.closeOnExec = (arg & Sys.FD_CLOEXEC) != 0;
            return 0;
        }
        if (cmd == Sys.F_SETFL) {
            s.nonblocking = (arg & Sys.O_NONBLOCK) != 0;
            return 0;
        }
        return error(Errno.EINVAL);
    }

    @Override
    public synchronized int poll(long fdsAddress, long nfds, int timeoutMillis) {
        Pointer p = new Pointer(fdsAddress);
        long deadline = timeoutMillis < 0 ? Long.MAX_VALUE : System.currentTimeMillis() + timeoutMillis;
        while (true) {
            int ready = 0;
            for (int i = 0; i < nfds; i++) {
                int fd = p.getInt(i * 8L);
                short events = p.getShort(i * 8L + 4);
                short revents = revents(fds.get(fd), events);
                p.setShort(i * 8L + 6, revents);
                if (revents != 0) {
                    ready++;
                }
            }
            long left = deadline - System.currentTimeMillis();
            if (ready > 0 || left <= 0) {
                return ready;
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return error(Errno.EINTR);
            }
        }
    }

    @Override
    public synchronized int pipe(long fdsAddress) {
        if (fail("pipe")) {
            return -1;
        }
        Pipe pipe = new Pipe();
        Stream r = new Stream(Kind.PIPE_READ);
        Stream w = new Stream(Kind.PIPE_WRITE);
        r.pipe = pipe;
        w.pipe = pipe;
        new Pointer(fdsAddress).setInt(0, allocate(r));
        new Pointer(fdsAddress).setInt(4, allocate(w));
        return 0;
    }

    @Override
    public synchronized int socket(int domain, int type, int protocol) {
        if (fail("socket " + domain)) {
            return -1;
        }
        if (domain != Sys.AF_ROUTE || type != Sys.SOCK_RAW) {
            return error(Errno.EAFNOSUPPORT);
        }
        return allocate(new Stream(Kind.ROUTE));
    }

    @Override
    public long send(int fd, long buf, long len, int flags) {
        return error(Errno.EINVAL);
    }

    @Override
    public long recv(int fd, long buf, long len, int flags) {
        return error(Errno.EINVAL);
    }

    @Override
    public synchronized int if_nametoindex(String name) {
        Integer index = indexes.get(name);
        return index == null ? 0 : index;
    }

    @Override
    public int geteuid() {
        return 0;
    }

    @Override
    public int errno() {
        return errno.get()[0];
    }

    // ---- SolarisLibC --------------------------------------------------------------------------------

    @Override
    public synchronized int getmsg(int fd, long ctlptr, long dataptr, long flagsp) {
        if (fail("getmsg")) {
            return -1;
        }
        Stream s = fds.get(fd);
        if (s == null) {
            return error(Errno.EBADF);
        }
        if (s.kind == Kind.ARP) {
            return mibGetmsg(s, ctlptr, dataptr, flagsp);
        }
        if (!s.kind.isDevice()) {
            return error(Errno.ENOSTR);
        }
        Pointer flags = new Pointer(flagsp);
        boolean hipriOnly = (flags.getInt(0) & Stropts.RS_HIPRI) != 0;
        while (true) {
            if (!s.hipri.isEmpty()) {
                byte[] ctl = s.hipri.pollFirst();
                if (ctlptr == 0) {
                    s.hipri.addFirst(ctl);
                    return Stropts.MORECTL;
                }
                Pointer c = new Pointer(ctlptr);
                int n = Math.min(ctl.length, c.getInt(Stropts.Strbuf.MAXLEN));
                new Pointer(c.getLong(Stropts.Strbuf.BUF)).write(0, ctl, 0, n);
                c.setInt(Stropts.Strbuf.LEN, n);
                if (dataptr != 0) {
                    new Pointer(dataptr).setInt(Stropts.Strbuf.LEN, -1);
                }
                flags.setInt(0, Stropts.RS_HIPRI);
                return 0;
            }
            if (!hipriOnly && !s.readQueue.isEmpty()) {
                byte[] data = s.readQueue.pollFirst();
                if (ctlptr != 0) {
                    new Pointer(ctlptr).setInt(Stropts.Strbuf.LEN, -1);
                }
                Pointer d = new Pointer(dataptr);
                int room = d.getInt(Stropts.Strbuf.MAXLEN);
                int n = Math.min(room, data.length);
                new Pointer(d.getLong(Stropts.Strbuf.BUF)).write(0, data, 0, n);
                d.setInt(Stropts.Strbuf.LEN, n);
                flags.setInt(0, 0);
                if (n < data.length) {
                    byte[] rest = new byte[data.length - n];
                    System.arraycopy(data, n, rest, 0, rest.length);
                    s.readQueue.addFirst(rest);
                    return Stropts.MOREDATA;
                }
                return 0;
            }
            if (s.nonblocking) {
                return error(Errno.EAGAIN);
            }
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return error(Errno.EINTR);
            }
        }
    }

    @Override
    public synchronized int putmsg(int fd, long ctlptr, long dataptr, int flags) {
        if (fail("putmsg")) {
            return -1;
        }
        Stream s = fds.get(fd);
        if (s == null) {
            return error(Errno.EBADF);
        }
        if (s.kind == Kind.ARP) {
            return mibRequest(s, ctlptr, dataptr, flags);
        }
        if (!s.kind.isDevice()) {
            return error(Errno.ENOSTR);
        }
        int ctlLength = ctlptr == 0 ? -1 : new Pointer(ctlptr).getInt(Stropts.Strbuf.LEN);
        if (ctlLength >= 0) {
            byte[] ctl = new Pointer(new Pointer(ctlptr).getLong(Stropts.Strbuf.BUF)).getByteArray(0, ctlLength);
            return dlpi(s, ctl);
        }
        int length = new Pointer(dataptr).getInt(Stropts.Strbuf.LEN);
        // The stream head checks the driver's packet size range (mi_minpsz 21, mi_maxpsz 2048).
        if (length < IfTun.MIN_PACKET || length > IfTun.MAX_PACKET) {
            return error(Errno.ERANGE);
        }
        byte[] data = new Pointer(new Pointer(dataptr).getLong(Stropts.Strbuf.BUF)).getByteArray(0, length);
        Unit unit = s.controlOf;
        if (unit == null) {
            dropped++; // tun_frame: a stream without a unit drops the frame
            return 0;
        }
        deliverToIp(unit, data);
        return 0;
    }

    // ---- the driver ---------------------------------------------------------------------------------

    private int strIoctl(Stream s, long arg) {
        Pointer strioctl = new Pointer(arg);
        int cmd = strioctl.getInt(Stropts.Strioctl.IC_CMD);
        int length = strioctl.getInt(Stropts.Strioctl.IC_LEN);
        Pointer data = new Pointer(strioctl.getLong(Stropts.Strioctl.IC_DP));
        if (cmd == IfTun.TUNNEWPPA && s.kind.isDevice() && s.modules.isEmpty()) {
            if (length < 4) {
                return error(Errno.EINVAL);
            }
            int p = data.getInt(0);
            Unit[] units = units(s.kind.mode());
            if (p < -1 || p >= IfTun.TUNMAXPPA) {
                return error(Errno.EINVAL);
            }
            if (p == -1) {
                for (int i = 0; i < units.length && p == -1; i++) {
                    if (units[i] == null) {
                        p = i;
                    }
                }
                if (p == -1) {
                    return error(Errno.ENOMEM);
                }
            } else if (units[p] != null) {
                return error(Errno.EEXIST);
            }
            units[p] = new Unit(s.kind.mode(), p, s);
            s.controlOf = units[p];
            return p;
        }
        if (cmd == Sockio.SIOCSLIFNAME && top(s).equals("arp")) {
            s.arpName = Lifreq.name(data.getByteBuffer(0, Lifreq.SIZE).order(ByteOrder.nativeOrder()));
            return 0;
        }
        return error(Errno.EINVAL);
    }

    private int push(Stream s, String module) {
        if (s.kind == Kind.ARP) {
            if (!module.equals("tcp") && !module.equals("udp")) {
                return error(Errno.EINVAL);
            }
            s.modules.add(module);
            return 0;
        }
        if (!module.equals("ip") && !module.equals("arp")) {
            return error(Errno.EINVAL);
        }
        s.modules.add(module);
        return 0;
    }

    private int pop(Stream s) {
        if (s.modules.isEmpty() || s.ill != null) {
            return error(Errno.EINVAL);
        }
        s.modules.remove(s.modules.size() - 1);
        return 0;
    }

    /** IF_UNITSEL: IP attaches its stream to the unit (DL_ATTACH_REQ) and makes the IPv4 interface prefixN. */
    private int unitSelect(Stream s, int ppa) {
        if (!top(s).equals("ip") || !s.kind.isDevice()) {
            return error(Errno.EINVAL);
        }
        return attachIll(s, s.kind.prefix() + ppa, ppa, false);
    }

    private int attachIll(Stream s, String name, int ppa, boolean v6) {
        if (s.ill != null) {
            return error(Errno.EINVAL);
        }
        Unit[] units = units(s.kind.mode());
        if (ppa < 0 || ppa >= units.length || units[ppa] == null) {
            return error(Errno.ENXIO); // DL_BADPPA from tun_attach_req
        }
        Map<String, Ill> ills = v6 ? ills6 : ills4;
        if (ills.containsKey(name)) {
            return error(Errno.EEXIST);
        }
        Ill ill = new Ill(name, v6, units[ppa], s);
        ills.put(name, ill);
        indexes.computeIfAbsent(name, n -> nextIndex++);
        s.ill = ill;
        units[ppa].protocol.add(s);
        return 0;
    }

    private int plink(Stream mux, int lowerFd) {
        Stream lower = fds.get(lowerFd);
        if (lower == null) {
            return error(Errno.EBADF);
        }
        if (!mux.kind.isMux() || lower.linkedUnder != null) {
            return error(Errno.EINVAL);
        }
        boolean ipStream = lower.ill != null && lower.ill.v6 == (mux.kind == Kind.UDP6);
        boolean arpStream = top(lower).equals("arp") && lower.arpName != null && mux.kind == Kind.UDP;
        if (!ipStream && !arpStream) {
            return error(Errno.EINVAL);
        }
        int muxid = nextMuxid.getAndIncrement();
        lower.linkedUnder = mux;
        lower.refs++;
        mux.links.put(muxid, lower);
        mux.refs++; // a persistent link keeps the multiplexor too
        return muxid;
    }

    private int punlink(Stream mux, int muxid) {
        Stream lower = mux.links.remove(muxid);
        if (lower == null) {
            return error(Errno.EINVAL);
        }
        lower.linkedUnder = null;
        mux.refs--;
        if (--lower.refs == 0) {
            destroy(lower);
        }
        if (mux.refs == 0) {
            destroy(mux);
        }
        return 0;
    }

    private void release(Stream s) {
        if (--s.refs == 0) {
            destroy(s);
        }
    }

    /** The last reference went: close the stream as the driver and IP do. */
    private void destroy(Stream s) {
        if (s.controlOf != null) {
            Unit u = s.controlOf;
            units(u.mode)[u.ppa] = null;
            for (Stream p : u.protocol) {
                p.detached = true; // tunclose: protocol streams lose their unit
            }
        }
        if (s.ill != null) {
            (s.ill.v6 ? ills6 : ills4).remove(s.ill.name);
            Ill gone = s.ill;
            routes.removeIf(r -> r.ifName.equals(gone.name) && r.v6 == gone.v6); // IP deletes the ill's routes
            if (!ills4.containsKey(s.ill.name) && !ills6.containsKey(s.ill.name)) {
                indexes.remove(s.ill.name);
            }
            s.ill.unit.protocol.remove(s);
        }
        if (s.kind.isMux()) {
            for (Stream lower : s.links.values()) {
                lower.linkedUnder = null;
                if (--lower.refs == 0) {
                    destroy(lower);
                }
            }
            s.links.clear();
        }
    }

    private int dlpi(Stream s, byte[] ctl) {
        ByteBuffer b = ByteBuffer.wrap(ctl).order(ByteOrder.nativeOrder());
        int primitive = ctl.length >= 4 ? b.getInt(0) : -1;
        Unit unit = s.controlOf;
        if (primitive == Dlpi.DL_PHYS_ADDR_REQ && unit != null) {
            ByteBuffer ack = ByteBuffer.allocate(Dlpi.PHYS_ADDR_ACK_SIZE + 6).order(ByteOrder.nativeOrder());
            ack.putInt(0, Dlpi.DL_PHYS_ADDR_ACK).putInt(4, 6).putInt(8, Dlpi.PHYS_ADDR_ACK_SIZE);
            byte[] mac = unit.mode == DeviceMode.TAP ? TAP_MAC.toByteArray() : new byte[6];
            ack.put(Dlpi.PHYS_ADDR_ACK_SIZE, mac);
            s.hipri.addLast(ack.array());
        } else {
            ByteBuffer err = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
            err.putInt(0, Dlpi.DL_ERROR_ACK).putInt(4, primitive);
            s.hipri.addLast(err.array());
        }
        notifyAll();
        return 0;
    }

    /** tun_frame from the control stream: to the protocol stream (IP) of the packet's family, if IP takes it. */
    private void deliverToIp(Unit unit, byte[] data) {
        boolean v6;
        if (unit.mode == DeviceMode.TUN) {
            v6 = (data[0] & 0xff) >>> 4 == 6;
        } else {
            int type = (data[12] & 0xff) << 8 | (data[13] & 0xff);
            byte[] mac = TAP_MAC.toByteArray();
            boolean toUs = true;
            boolean broadcastOrMulticast = (data[0] & 1) != 0;
            boolean fromUs = true;
            for (int i = 0; i < 6; i++) {
                toUs &= data[i] == mac[i];
                fromUs &= data[6 + i] == mac[i];
            }
            if (fromUs || !(toUs || broadcastOrMulticast) || (type != 0x0800 && type != 0x0806 && type != 0x86dd)) {
                dropped++;
                return;
            }
            v6 = type == 0x86dd;
        }
        Ill ill = null;
        for (Stream p : unit.protocol) {
            if (p.ill != null && p.ill.v6 == v6 && p.linkedUnder != null) {
                ill = p.ill;
            }
        }
        if (ill == null || (ill.lifs.get(ill.name).flags & Sys.IFF_UP) == 0) {
            dropped++;
            return;
        }
        delivered.computeIfAbsent(ill.name, n -> new ArrayDeque<>()).addLast(data);
        notifyAll();
    }

    /** IP sends a packet out through interface {@code name}: it reaches the unit's control stream. */
    private synchronized boolean transmit(String name, byte[] packet) {
        boolean v6 = packet.length > 0 && ((packet[0] & 0xff) >>> 4 == 6 || packet.length > 14
                && (packet[12] & 0xff) == 0x86 && (packet[13] & 0xff) == 0xdd);
        Ill ill = (v6 ? ills6 : ills4).get(name);
        if (ill == null) {
            ill = ills4.get(name);
        }
        if (ill == null || (ill.lifs.get(ill.name).flags & Sys.IFF_UP) == 0 || ill.unit.control == null
                || units(ill.unit.mode)[ill.unit.ppa] != ill.unit) {
            return false;
        }
        ill.unit.control.readQueue.addLast(packet.clone());
        notifyAll();
        return true;
    }

    private synchronized byte[] takeDelivered(String name, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            ArrayDeque<byte[]> q = delivered.get(name);
            if (q != null && !q.isEmpty()) {
                return q.pollFirst();
            }
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return null;
            }
            wait(left);
        }
    }

    // ---- IP's interface ioctls ------------------------------------------------------------------------

    private int lifIoctl(Stream s, int cmd, long arg) {
        ByteBuffer l = new Pointer(arg).getByteBuffer(0, Lifreq.SIZE).order(ByteOrder.nativeOrder());
        String name = Lifreq.name(l);
        if (s.kind.isDevice()) {
            // ioctls on an IP stream that is not plumbed yet
            if (!top(s).equals("ip")) {
                return error(Errno.EINVAL);
            }
            if (cmd == Sockio.SIOCGLIFFLAGS && s.ill == null) {
                l.putLong(Lifreq.FLAGS, Sys.IFF_IPV4); // a new IP stream is IPv4 until named otherwise
                return 0;
            }
            if (cmd == Sockio.SIOCSLIFNAME) {
                long flags = l.getLong(Lifreq.FLAGS);
                boolean v4 = (flags & Sys.IFF_IPV4) != 0;
                boolean v6 = (flags & Sys.IFF_IPV6) != 0;
                if (v4 == v6 || !name.equals(s.kind.prefix() + l.getInt(Lifreq.PPA))) {
                    return error(Errno.EINVAL);
                }
                return attachIll(s, name, l.getInt(Lifreq.PPA), v6);
            }
            return error(Errno.EINVAL);
        }
        if (!s.kind.isMux()) {
            return error(Errno.EINVAL);
        }
        boolean v6 = s.kind == Kind.UDP6;
        Map<String, Ill> ills = v6 ? ills6 : ills4;
        String physical = name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
        Ill ill = ills.get(physical);
        if (ill == null) {
            return error(Errno.ENXIO);
        }
        Lif lif = ill.lifs.get(name);
        if (lif == null && cmd != Sockio.SIOCLIFADDIF) {
            return error(Errno.ENXIO);
        }
        switch (cmd) {
            case Sockio.SIOCSLIFMUXID -> {
                ill.ipMuxid = l.getInt(Lifreq.IP_MUXID);
                ill.arpMuxid = l.getInt(Lifreq.ARP_MUXID);
            }
            case Sockio.SIOCGLIFMUXID -> {
                l.putInt(Lifreq.IP_MUXID, ill.ipMuxid);
                l.putInt(Lifreq.ARP_MUXID, ill.arpMuxid);
            }
            case Sockio.SIOCGLIFINDEX -> l.putInt(Lifreq.INDEX, indexes.get(physical));
            case Sockio.SIOCGLIFMTU -> l.putInt(Lifreq.MTU, ill.mtu);
            case Sockio.SIOCSLIFMTU -> {
                int mtu = l.getInt(Lifreq.MTU);
                if (mtu < (v6 ? 1280 : 68) || mtu > IfTun.MAX_MTU) {
                    return error(Errno.EINVAL);
                }
                ill.mtu = mtu;
                emit(ifinfo(ill));
            }
            case Sockio.SIOCGLIFFLAGS -> l.putLong(Lifreq.FLAGS, lif.flags);
            case Sockio.SIOCSLIFFLAGS -> {
                long fixed = Sys.IFF_POINTOPOINT | Sys.IFF_RUNNING | Sys.IFF_MULTICAST | Sys.IFF_IPV4 | Sys.IFF_IPV6;
                long old = lif.flags;
                lif.flags = lif.flags & fixed | l.getLong(Lifreq.FLAGS) & ~fixed;
                boolean wasUp = (old & Sys.IFF_UP) != 0;
                boolean isUp = (lif.flags & Sys.IFF_UP) != 0;
                if (wasUp != isUp && hasAddress(lif)) {
                    // ipif_up/ipif_down announce the address on the routing socket.
                    emit(addressMessage(isUp ? 0xc : 0xd, lif, ill));
                }
                if (old != lif.flags && lif.name.equals(ill.name)) {
                    emit(ifinfo(ill));
                }
            }
            case Sockio.SIOCGLIFADDR -> put(l, lif.address, v6);
            case Sockio.SIOCGLIFNETMASK -> put(l, lif.netmask, v6);
            case Sockio.SIOCGLIFDSTADDR -> {
                if ((lif.flags & Sys.IFF_POINTOPOINT) == 0) {
                    return error(Errno.EADDRNOTAVAIL);
                }
                put(l, lif.destination, v6);
            }
            case Sockio.SIOCSLIFADDR, Sockio.SIOCSLIFNETMASK, Sockio.SIOCSLIFDSTADDR -> {
                int family = l.getShort(Lifreq.ADDR);
                if (family != (v6 ? Sys.AF_INET6 : Sys.AF_INET)) {
                    return error(Errno.EAFNOSUPPORT);
                }
                InetAddress a = Lifreq.getSockaddr(l, Lifreq.ADDR);
                boolean announced = (lif.flags & Sys.IFF_UP) != 0 && hasAddress(lif);
                if (announced) {
                    emit(addressMessage(0xd, lif, ill)); // the ipif goes down for the change
                }
                if (cmd == Sockio.SIOCSLIFADDR) {
                    for (Lif other : ill.lifs.values()) {
                        if (other != lif && a.equals(other.address) && !a.isAnyLocalAddress()) {
                            return error(Errno.EADDRINUSE);
                        }
                    }
                    lif.address = a;
                } else if (cmd == Sockio.SIOCSLIFNETMASK) {
                    lif.netmask = a;
                } else {
                    // Solaris IP: a destination makes the logical interface point-to-point ("a means of creating
                    // logical pt-pt interfaces on top of e.g. an Ethernet").
                    lif.flags |= Sys.IFF_POINTOPOINT;
                    lif.destination = a;
                }
                if ((lif.flags & Sys.IFF_UP) != 0 && hasAddress(lif)) {
                    emit(addressMessage(0xc, lif, ill)); // and up again
                }
            }
            case Sockio.SIOCLIFADDIF -> {
                int k = 1;
                while (ill.lifs.containsKey(physical + ":" + k)) {
                    k++;
                }
                Lif added = new Lif(physical + ":" + k, ill);
                ill.lifs.put(added.name, added);
                Lifreq.clear(l, added.name);
            }
            case Sockio.SIOCLIFREMOVEIF -> {
                if (!name.contains(":")) {
                    return error(Errno.EINVAL);
                }
                if ((lif.flags & Sys.IFF_UP) != 0 && hasAddress(lif)) {
                    emit(addressMessage(0xd, lif, ill));
                }
                ill.lifs.remove(name);
            }
            default -> {
                return error(Errno.EINVAL);
            }
        }
        return 0;
    }

    private int lifconf(Stream s, long arg) {
        if (!s.kind.isMux()) {
            return error(Errno.EINVAL);
        }
        Pointer c = new Pointer(arg);
        int family = c.getShort(0);
        int room = c.getInt(8) / Lifreq.SIZE;
        Pointer buf = new Pointer(c.getLong(16));
        int n = 0;
        for (Map<String, Ill> ills : family == Sys.AF_INET6 ? List.of(ills6)
                : family == Sys.AF_INET ? List.of(ills4) : List.of(ills4, ills6)) {
            for (Ill ill : ills.values()) {
                for (Lif lif : ill.lifs.values()) {
                    if (n < room) {
                        ByteBuffer l = buf.getByteBuffer((long) n * Lifreq.SIZE, Lifreq.SIZE).order(ByteOrder.nativeOrder());
                        Lifreq.clear(l, lif.name);
                        put(l, lif.address, ill.v6);
                        n++;
                    }
                }
            }
        }
        c.setInt(8, n * Lifreq.SIZE);
        return 0;
    }

    private static boolean hasAddress(Lif lif) {
        return lif.address != null && !lif.address.isAnyLocalAddress();
    }

    /**
     * A physical interface of the host that is not a tun/tap unit (an uplink such as {@code e1000g0}), plumbed for
     * the family of {@code address}, up, with that address and netmask; IP makes its interface route.
     *
     * @return its interface index
     */
    synchronized int plumbUplink(String name, String address, String netmask) {
        try {
            InetAddress a = InetAddress.getByName(address);
            boolean v6 = a.getAddress().length == 16;
            Ill ill = new Ill(name, v6, null, null);
            Lif lif = ill.lifs.get(name);
            lif.address = a;
            lif.netmask = InetAddress.getByName(netmask);
            lif.flags |= Sys.IFF_UP;
            (v6 ? ills6 : ills4).put(name, ill);
            return indexes.computeIfAbsent(name, n -> nextIndex++);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    // ---- IP's MIB interface (/dev/arp with tcp and udp pushed) ---------------------------------------

    /** Another program adds a static route through {@code ifName} (route add), IPv4 or IPv6. */
    synchronized void addRouteBehindTheBack(String destination, String mask, String gateway, boolean viaGateway,
            String ifName) {
        try {
            InetAddress d = InetAddress.getByName(destination);
            routes.add(new KernelRoute(d, InetAddress.getByName(mask), InetAddress.getByName(gateway),
                    RouteMessages.RTF_UP | RouteMessages.RTF_STATIC | (viaGateway ? RouteMessages.RTF_GATEWAY : 0),
                    ifName, d.getAddress().length == 16));
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * T_SVR4_OPTMGMT_REQ with T_CURRENT on a /dev/arp stream with "tcp" and "udp" pushed: the whole request is
     * checked byte by byte; the answer is one T_OPTMGMT_ACK per table, as IP, TCP and UDP give them (a TCP group
     * first, then mib2_ip_t, the IPv4 routes, the IPv6 group and the IPv6 routes), and a last empty T_SUCCESS.
     * The route tables hold the static routes and, as the kernel does, the interface routes of every address
     * (not static) and a static host route on lo0.
     */
    private int mibRequest(Stream s, long ctlptr, long dataptr, int flags) {
        check(s.modules.equals(List.of("tcp", "udp")), "\"tcp\" and \"udp\" pushed on /dev/arp, in this order");
        check(dataptr == 0 && flags == 0, "a control part only, normal priority");
        Pointer c = new Pointer(ctlptr);
        int len = c.getInt(Stropts.Strbuf.LEN);
        check(len == 28, "T_optmgmt_req (16) and opthdr (12) are 28 bytes, got " + len);
        ByteBuffer r = ByteBuffer.wrap(new Pointer(c.getLong(Stropts.Strbuf.BUF)).getByteArray(0, len))
                .order(ByteOrder.nativeOrder());
        check(r.getInt(0) == 9 && r.getInt(4) == 12 && r.getInt(8) == 16 && r.getInt(12) == 0x80,
                "PRIM_type T_SVR4_OPTMGMT_REQ, OPT_length 12, OPT_offset 16, MGMT_flags T_CURRENT");
        check(r.getInt(16) == 260 && r.getInt(20) == 0 && r.getInt(24) == 0, "opthdr level MIB2_IP, name 0, len 0");
        mibTable(s, 256 + 6, 0, new byte[60]); // MIB2_TCP's group, which the reader skips
        ByteBuffer ip = ByteBuffer.allocate(136).order(ByteOrder.nativeOrder());
        ip.putInt(80, 156); // ipRouteEntrySize
        mibTable(s, 260, 0, ip.array());
        mibTable(s, 260, 21, routeEntries(false));
        ByteBuffer ip6 = ByteBuffer.allocate(100).order(ByteOrder.nativeOrder());
        ip6.putInt(20, 152); // ipv6RouteEntrySize
        mibTable(s, 268, 0, ip6.array());
        mibTable(s, 268, 23, routeEntries(true));
        ByteBuffer end = ByteBuffer.allocate(28).order(ByteOrder.nativeOrder());
        end.putInt(0, 22).putInt(4, 12).putInt(8, 16).putInt(12, 0x20).putInt(16, 260);
        s.mib.addLast(new byte[][] {end.array(), null});
        return 0;
    }

    private static void mibTable(Stream s, int level, int name, byte[] data) {
        ByteBuffer ack = ByteBuffer.allocate(28).order(ByteOrder.nativeOrder());
        ack.putInt(0, 22).putInt(4, 12).putInt(8, 16).putInt(12, 0x20);
        ack.putInt(16, level).putInt(20, name).putInt(24, data.length);
        s.mib.addLast(new byte[][] {ack.array(), data});
    }

    private byte[] routeEntries(boolean v6) {
        int size = v6 ? 152 : 156;
        List<ByteBuffer> entries = new ArrayList<>();
        for (KernelRoute k : routes) {
            if (k.v6 == v6) {
                entries.add(routeEntry(v6, k.dst, k.mask, k.gateway, k.flags, ireType(k), k.ifName));
            }
        }
        for (Ill ill : (v6 ? ills6 : ills4).values()) {
            for (Lif l : ill.lifs.values()) {
                if (hasAddress(l) && l.netmask != null) {
                    entries.add(routeEntry(v6, network(l.address, l.netmask), l.netmask, l.address,
                            RouteMessages.RTF_UP, IRE_IF_RESOLVER, l.name));
                }
            }
        }
        try {
            InetAddress loopback = InetAddress.getByName(v6 ? "::1" : "127.0.0.1");
            InetAddress hostMask = InetAddress.getByName(v6 ? "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"
                    : "255.255.255.255");
            entries.add(routeEntry(v6, loopback, hostMask, loopback, RouteMessages.RTF_UP | RouteMessages.RTF_STATIC,
                    IRE_LOOPBACK, "lo0"));
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
        ByteBuffer all = ByteBuffer.allocate(size * entries.size());
        entries.forEach(e -> all.put(e.array()));
        return all.array();
    }

    /**
     * The IRE type IP gives a route added over the routing socket: {@code ip_rt_add} and {@code ip_rt_add_v6}
     * (illumos-gate usr/src/uts/common/inet/ip/ip_if.c, ip6_if.c) make an all-ones netmask IRE_HOST, an all-zeroes
     * one IRE_DEFAULT, any other IRE_PREFIX; a route without RTF_GATEWAY ({@code route add -interface}) is an
     * interface route. Values from usr/src/uts/common/inet/ip.h, "Router entry types".
     */
    private static int ireType(KernelRoute k) {
        if ((k.flags & RouteMessages.RTF_GATEWAY) == 0) {
            return IRE_IF_RESOLVER;
        }
        int bits = 0;
        for (byte b : k.mask.getAddress()) {
            bits += Integer.bitCount(b & 0xff);
        }
        return bits == 0 ? IRE_DEFAULT : bits == k.mask.getAddress().length * 8 ? IRE_HOST : IRE_PREFIX;
    }

    /** IRE_DEFAULT (ip.h). */
    private static final int IRE_DEFAULT = 0x0002;
    /** IRE_LOOPBACK (ip.h). */
    private static final int IRE_LOOPBACK = 0x0008;
    /** IRE_PREFIX (ip.h). */
    private static final int IRE_PREFIX = 0x0010;
    /** IRE_IF_RESOLVER (ip.h): both drivers report DL_ETHER, so their interface routes resolve. */
    private static final int IRE_IF_RESOLVER = 0x0080;
    /** IRE_HOST (ip.h). */
    private static final int IRE_HOST = 0x0100;

    /**
     * One mib2_ipRouteEntry_t (156 bytes) or mib2_ipv6RouteEntry_t (152 bytes), fields as in mib2.h; an empty
     * {@code ifName} gives {@code o_length} 0, as IP reports a route tied to no interface.
     */
    private static ByteBuffer routeEntry(boolean v6, InetAddress dst, InetAddress mask, InetAddress nextHop, int flags,
            int ireType, String ifName) {
        ByteBuffer e = ByteBuffer.allocate(v6 ? 152 : 156).order(ByteOrder.nativeOrder());
        byte[] name = ifName.getBytes(StandardCharsets.US_ASCII);
        if (v6) {
            e.put(0, dst.getAddress());
            int prefix = 0;
            for (byte b : mask.getAddress()) {
                prefix += Integer.bitCount(b & 0xff);
            }
            e.putInt(16, prefix);
            e.putInt(24, name.length).put(28, name);
            e.put(60, nextHop.getAddress());
            e.putInt(136, ireType);
            e.putInt(148, flags);
        } else {
            e.put(0, dst.getAddress());
            e.putInt(4, name.length).put(8, name);
            e.put(56, nextHop.getAddress());
            e.put(72, mask.getAddress());
            e.putInt(100, ireType);
            e.putInt(112, flags);
        }
        return e;
    }

    private static InetAddress network(InetAddress a, InetAddress mask) {
        byte[] x = a.getAddress();
        byte[] k = mask.getAddress();
        for (int i = 0; i < x.length; i++) {
            x[i] &= k[i];
        }
        try {
            return InetAddress.getByAddress(x);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** getmsg on the MIB stream: the control part, then (MOREDATA) the data part on the next call. */
    private int mibGetmsg(Stream s, long ctlptr, long dataptr, long flagsp) {
        byte[][] next = s.mib.peekFirst();
        if (next == null) {
            return s.nonblocking ? error(Errno.EAGAIN) : error(Errno.EINTR); // nothing more would ever come
        }
        new Pointer(flagsp).setInt(0, 0);
        if (next[0] != null) {
            check(ctlptr != 0, "the control part is read first");
            Pointer c = new Pointer(ctlptr);
            check(c.getInt(Stropts.Strbuf.MAXLEN) >= next[0].length, "room for the T_OPTMGMT_ACK");
            new Pointer(c.getLong(Stropts.Strbuf.BUF)).write(0, next[0], 0, next[0].length);
            c.setInt(Stropts.Strbuf.LEN, next[0].length);
            if (next[1] == null) {
                s.mib.pollFirst();
                return 0;
            }
            next[0] = null;
            if (dataptr == 0) {
                return Stropts.MOREDATA;
            }
        } else if (ctlptr != 0) {
            new Pointer(ctlptr).setInt(Stropts.Strbuf.LEN, -1);
        }
        Pointer d = new Pointer(dataptr);
        check(d.getInt(Stropts.Strbuf.MAXLEN) >= next[1].length, "room for the whole table");
        new Pointer(d.getLong(Stropts.Strbuf.BUF)).write(0, next[1], 0, next[1].length);
        d.setInt(Stropts.Strbuf.LEN, next[1].length);
        s.mib.pollFirst();
        return 0;
    }

    // ---- routing socket requests --------------------------------------------------------------------

    /** Every request written to a routing socket, as written. */
    synchronized List<byte[]> routeRequests() {
        return List.copyOf(routeRequests);
    }

    /** The kernel's routes, as text ({@code "10.98.8.0/255.255.255.0 gw 10.98.0.2 flags 0x803 tun0"}). */
    synchronized List<String> routeTable() {
        return routes.stream().map(KernelRoute::toString).toList();
    }

    /** Another program deletes a route (route delete): it is gone from the kernel. */
    synchronized void deleteRouteBehindTheBack(String destination) {
        routes.removeIf(r -> r.dst.getHostAddress().equals(destination));
    }

    /**
     * RTM_ADD, RTM_DELETE, RTM_GET on illumos: the rt_msghdr (0x4c bytes) then the socket addresses named by
     * rtm_addrs in bit order, each rounded up to 8 bytes. Layout errors are failures of the test (the kernel would
     * answer EINVAL): every reserved byte must be zero, and the length must be exactly that of the addresses.
     */
    private long routeRequest(Stream s, ByteBuffer m) {
        routeRequests.add(m.array().clone());
        int length = m.capacity();
        check(length >= RouteMessages.RT_MSGHDR_SIZE, "rt_msghdr is 0x4c bytes, got " + length);
        check((m.getShort(RouteMessages.MSGLEN) & 0xffff) == length, "rtm_msglen " + m.getShort(0) + " != " + length);
        check(m.get(RouteMessages.VERSION) == RouteMessages.RTM_VERSION, "rtm_version must be 3");
        int type = m.get(RouteMessages.TYPE);
        check(m.getShort(6) == 0, "padding after rtm_index is zero");
        for (int i = RouteMessages.RTM_ERRNO; i < RouteMessages.RT_MSGHDR_SIZE; i++) {
            check(m.get(i) == 0, "rtm_errno, rtm_use, rtm_inits and rtm_rmx are zero in a request (byte " + i + ")");
        }
        int addrs = m.getInt(RouteMessages.RTM_ADDRS);
        int flags = m.getInt(RouteMessages.RTM_FLAGS);
        int index = m.getShort(RouteMessages.RTM_INDEX) & 0xffff;
        InetAddress[] sa = new InetAddress[8];
        String ifp = null;
        int at = RouteMessages.RT_MSGHDR_SIZE;
        for (int bit = 0; bit < 8; bit++) {
            if ((addrs & (1 << bit)) == 0) {
                continue;
            }
            check(at + 2 <= length, "socket address " + bit + " inside the message");
            int family = m.getShort(at);
            int size;
            if (family == Sys.AF_INET || family == Sys.AF_INET6) {
                size = family == Sys.AF_INET ? 16 : 32;
                check(at + size <= length, "sockaddr inside the message");
                check(m.getShort(at + 2) == 0, "port zero");
                if (family == Sys.AF_INET) {
                    check(m.getLong(at + 8) == 0, "sin_zero is zero");
                } else {
                    check(m.getInt(at + 4) == 0 && m.getInt(at + 24) == 0 && m.getInt(at + 28) == 0,
                            "flowinfo, scope and __sin6_src_id are zero");
                }
                sa[bit] = Lifreq.getSockaddr(m, at);
            } else if (family == RouteMessages.AF_LINK) {
                size = RouteMessages.SOCKADDR_DL_SIZE;
                check(bit == 4, "a sockaddr_dl only as RTA_IFP");
                check(at + size <= length, "sockaddr_dl inside the message");
                int nlen = m.get(at + RouteMessages.SDL_NLEN);
                check(m.get(at + 4) == 0 && m.get(at + 6) == 0 && m.get(at + 7) == 0, "sdl_type, alen, slen zero");
                check(nlen > 0 && nlen < 32, "sdl_nlen gives the name's length");
                byte[] n = new byte[nlen];
                m.get(at + RouteMessages.SDL_DATA, n);
                ifp = new String(n, StandardCharsets.US_ASCII);
                check((m.getShort(at + 2) & 0xffff) == index, "sdl_index is the message's rtm_index");
                for (int i = RouteMessages.SDL_DATA + nlen; i < size; i++) {
                    check(m.get(at + i) == 0, "sdl_data after the name is zero");
                }
            } else {
                throw new AssertionError("unexpected socket address family " + family);
            }
            int padded = RouteMessages.roundUp(size);
            for (int i = size; i < padded; i++) {
                check(m.get(at + i) == 0, "padding to 8 bytes is zero");
            }
            at += padded;
        }
        check(at == length, "the message ends after its socket addresses (" + at + " != " + length + ")");
        InetAddress dst = sa[0];
        InetAddress gw = sa[1];
        InetAddress mask = sa[2];
        check(dst != null && mask != null && dst.getClass() == mask.getClass(), "RTA_DST and RTA_NETMASK, one family");
        boolean v6 = dst.getAddress().length == 16;
        switch (type) {
            case RouteMessages.RTM_ADD, RouteMessages.RTM_DELETE -> {
                check(gw != null && ifp != null && gw.getClass() == dst.getClass(), "RTA_GATEWAY and RTA_IFP given");
                check((flags & ~(RouteMessages.RTF_UP | RouteMessages.RTF_GATEWAY | RouteMessages.RTF_STATIC)) == 0
                        && (flags & RouteMessages.RTF_UP) != 0, "flags RTF_UP|RTF_STATIC[|RTF_GATEWAY]");
                String name = ifp;
                Integer ifIndex = indexes.get(name);
                Ill ill = (v6 ? ills6 : ills4).get(name);
                if (ifIndex == null || ifIndex != index || ill == null) {
                    return error(Errno.ENXIO);
                }
                // ip_rt_delete (ip_if.c) matches the destination, mask and gateway; on the ill of RTA_IFP.
                KernelRoute existing = routes.stream().filter(r -> r.dst.equals(dst) && r.mask.equals(mask)
                        && r.gateway.equals(gw)).findFirst().orElse(null);
                if (type == RouteMessages.RTM_ADD) {
                    // ip_rt_add (ip_if.c) looks for a duplicate with MATCH_IRE_MASK | MATCH_IRE_GW: EEXIST.
                    if (existing != null) {
                        return error(Errno.EEXIST);
                    }
                    boolean viaGateway = (flags & RouteMessages.RTF_GATEWAY) != 0;
                    if (viaGateway ? !onLink(ill, gw) : !ownAddress(ill, gw)) {
                        return error(Errno.ENETUNREACH);
                    }
                    routes.add(new KernelRoute(dst, mask, gw, flags, name, v6));
                } else {
                    if (existing == null || !existing.ifName.equals(name)) {
                        return error(Errno.ESRCH);
                    }
                    routes.remove(existing);
                }
                byte[] echo = m.array().clone();
                ByteBuffer e = ByteBuffer.wrap(echo).order(ByteOrder.nativeOrder());
                e.putInt(RouteMessages.RTM_FLAGS, flags | 0x40); // RTF_DONE
                emit(echo);
            }
            default -> throw new AssertionError("unexpected routing request type " + type);
        }
        return length;
    }

    private static boolean ownAddress(Ill ill, InetAddress a) {
        return ill.lifs.values().stream().anyMatch(l -> a.equals(l.address));
    }

    /** A gateway IP reaches directly: inside a logical interface's prefix, or its point-to-point destination. */
    private static boolean onLink(Ill ill, InetAddress a) {
        for (Lif l : ill.lifs.values()) {
            if (l.address == null || l.address.isAnyLocalAddress()) {
                continue;
            }
            if (a.equals(l.destination)) {
                return true;
            }
            if (l.netmask != null) {
                byte[] x = a.getAddress();
                byte[] y = l.address.getAddress();
                byte[] k = l.netmask.getAddress();
                boolean same = x.length == y.length;
                for (int i = 0; same && i < x.length; i++) {
                    same = (x[i] & k[i]) == (y[i] & k[i]);
                }
                if (same) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError("routing message layout: " + what);
        }
    }

    /** Queues a routing message on every open routing socket. */
    private void emit(byte[] message) {
        for (Stream s : fds.values()) {
            if (s.kind == Kind.ROUTE) {
                s.readQueue.addLast(message);
            }
        }
        notifyAll();
    }

    /** RTM_IFINFO: if_msghdr with the physical interface's flags and if_data.ifi_mtu. */
    private byte[] ifinfo(Ill ill) {
        ByteBuffer m = ByteBuffer.allocate(0x54).order(ByteOrder.nativeOrder());
        m.putShort(0, (short) 0x54).put(2, (byte) 3).put(3, (byte) 0xe);
        m.putInt(8, (int) ill.lifs.get(ill.name).flags);
        m.putShort(12, (short) (int) indexes.get(ill.name));
        m.putInt(20, ill.mtu);
        return m.array();
    }

    /**
     * RTM_NEWADDR or RTM_DELADDR as illumos builds it (illumos/illumos-gate usr/src/uts/common/inet/ip/ip_rts.c
     * rts_new_rtsmsg: {@code rtm_addrs = RTA_IFA | RTA_NETMASK | RTA_BRD | RTA_IFP} for every address message;
     * rts_fill_msg and rts_fill_msg_v6 write the sockaddrs in bit order, each at its exact size: RTA_NETMASK
     * (0x4), RTA_IFP (0x10) as the sockaddr_dl of ill_dls_info, which returns {@code sizeof (struct
     * sockaddr_dl)} (252, no rounding), RTA_IFA (0x20), RTA_BRD (0x80, the point-to-point destination, zero
     * when there is none).
     */
    private byte[] addressMessage(int type, Lif lif, Ill ill) {
        int size = ill.v6 ? 32 : 16;
        int dl = RouteMessages.SOCKADDR_DL_SIZE;
        int length = 0x14 + size + dl + size + size;
        ByteBuffer m = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
        m.putShort(0, (short) length).put(2, (byte) 3).put(3, (byte) type);
        m.putInt(4, 0x4 | 0x10 | 0x20 | 0x80);
        m.putInt(8, (int) lif.flags);
        int index = indexes.get(ill.name);
        m.putShort(12, (short) index);
        int at = 0x14;
        Lifreq.putSockaddr(m, at, lif.netmask != null ? lif.netmask : any(ill.v6));
        at += size;
        // ill_dls_info: sdl_family AF_LINK (u16, illumos has no sa_len), sdl_index, sdl_type, sdl_nlen, sdl_alen
        // (0 for a tun), sdl_slen 0, then the name in sdl_data.
        byte[] name = ill.name.getBytes(StandardCharsets.US_ASCII);
        m.putShort(at, (short) RouteMessages.AF_LINK).putShort(at + 2, (short) index);
        m.put(at + RouteMessages.SDL_NLEN, (byte) name.length);
        m.put(at + RouteMessages.SDL_DATA, name);
        at += dl;
        Lifreq.putSockaddr(m, at, lif.address);
        at += size;
        boolean brd = lif.destination != null && !lif.destination.isAnyLocalAddress();
        Lifreq.putSockaddr(m, at, brd ? lif.destination : any(ill.v6));
        return m.array();
    }

    private static void put(ByteBuffer l, InetAddress a, boolean v6) {
        Lifreq.putSockaddr(l, Lifreq.ADDR, a != null ? a : any(v6));
    }

    private static InetAddress any(boolean v6) {
        try {
            return InetAddress.getByAddress(new byte[v6 ? 16 : 4]);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    // ---- plumbing of the fake ------------------------------------------------------------------------

    private boolean fail(String call) {
        calls.add(call);
        if (callCount++ == failAt) {
            failAt = -1;
            error(failErrno);
            return true;
        }
        return false;
    }

    private int error(int code) {
        errno.get()[0] = code;
        return -1;
    }

    private int allocate(Stream s) {
        int fd = 3;
        while (fds.containsKey(fd)) {
            fd++;
        }
        fds.put(fd, s);
        s.refs++;
        return fd;
    }

    private Unit[] units(DeviceMode mode) {
        return mode == DeviceMode.TAP ? tapUnits : tunUnits;
    }

    private Lif lif(String name, boolean v6) {
        String physical = name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
        return (v6 ? ills6 : ills4).get(physical).lifs.get(name);
    }

    private static String top(Stream s) {
        return s.modules.isEmpty() ? "" : s.modules.get(s.modules.size() - 1);
    }

    private short revents(Stream s, short events) {
        if (s == null) {
            return Sys.POLLNVAL;
        }
        int r = 0;
        if (s.kind == Kind.PIPE_READ && s.pipe.bytes > 0 || s.kind == Kind.ROUTE && !s.readQueue.isEmpty()) {
            r |= Sys.POLLIN;
        }
        if (s.kind.isDevice()) {
            if (!s.readQueue.isEmpty()) {
                r |= Sys.POLLIN;
            }
            if (!s.hipri.isEmpty()) {
                r |= Sys.POLLPRI;
            }
            r |= Sys.POLLOUT;
        }
        return (short) (r & (events | Sys.POLLERR | Sys.POLLHUP | Sys.POLLNVAL));
    }

    private static String cString(long address) {
        return new Pointer(address).getString(0, StandardCharsets.US_ASCII.name());
    }

    private static String ioctlName(int cmd) {
        return switch (cmd) {
            case Stropts.I_STR -> "I_STR";
            case Stropts.I_PUSH -> "I_PUSH";
            case Stropts.I_POP -> "I_POP";
            case Stropts.I_PLINK -> "I_PLINK";
            case Stropts.I_PUNLINK -> "I_PUNLINK";
            case Sockio.IF_UNITSEL -> "IF_UNITSEL";
            case Sockio.SIOCSLIFNAME -> "SIOCSLIFNAME";
            case Sockio.SIOCGLIFFLAGS -> "SIOCGLIFFLAGS";
            case Sockio.SIOCSLIFFLAGS -> "SIOCSLIFFLAGS";
            case Sockio.SIOCSLIFMUXID -> "SIOCSLIFMUXID";
            case Sockio.SIOCGLIFMUXID -> "SIOCGLIFMUXID";
            case Sockio.SIOCGLIFINDEX -> "SIOCGLIFINDEX";
            case Sockio.SIOCSLIFMTU -> "SIOCSLIFMTU";
            case Sockio.SIOCGLIFMTU -> "SIOCGLIFMTU";
            case Sockio.SIOCSLIFADDR -> "SIOCSLIFADDR";
            case Sockio.SIOCGLIFADDR -> "SIOCGLIFADDR";
            case Sockio.SIOCSLIFNETMASK -> "SIOCSLIFNETMASK";
            case Sockio.SIOCGLIFNETMASK -> "SIOCGLIFNETMASK";
            case Sockio.SIOCSLIFDSTADDR -> "SIOCSLIFDSTADDR";
            case Sockio.SIOCGLIFDSTADDR -> "SIOCGLIFDSTADDR";
            case Sockio.SIOCLIFADDIF -> "SIOCLIFADDIF";
            case Sockio.SIOCLIFREMOVEIF -> "SIOCLIFREMOVEIF";
            case Sockio.SIOCGLIFCONF -> "SIOCGLIFCONF";
            default -> "0x" + Integer.toHexString(cmd);
        };
    }

    private static String describe(int cmd, long arg) {
        return switch (cmd) {
            case Stropts.I_PUSH -> " " + cString(arg);
            case Stropts.I_STR -> new Pointer(arg).getInt(0) == IfTun.TUNNEWPPA ? " TUNNEWPPA" : " SIOCSLIFNAME";
            default -> "";
        };
    }

    // ---- state --------------------------------------------------------------------------------------

    private enum Kind {
        TUN, TAP, UDP, UDP6, PIPE_READ, PIPE_WRITE, ROUTE, ARP;

        boolean isDevice() {
            return this == TUN || this == TAP;
        }

        boolean isMux() {
            return this == UDP || this == UDP6;
        }

        DeviceMode mode() {
            return this == TAP ? DeviceMode.TAP : DeviceMode.TUN;
        }

        String prefix() {
            return this == TAP ? "tap" : "tun";
        }
    }

    private static final class Stream {
        final Kind kind;
        final List<String> modules = new ArrayList<>();
        final ArrayDeque<byte[]> readQueue = new ArrayDeque<>();
        final ArrayDeque<byte[]> hipri = new ArrayDeque<>();
        /** Answers of the MIB interface: {control, data or null}. */
        final ArrayDeque<byte[][]> mib = new ArrayDeque<>();
        final Map<Integer, Stream> links = new LinkedHashMap<>();
        int refs;
        boolean nonblocking;
        boolean closeOnExec;
        Unit controlOf;
        Ill ill;
        String arpName;
        Stream linkedUnder;
        boolean detached;
        Pipe pipe;

        Stream(Kind kind) {
            this.kind = kind;
        }

        @Override
        public String toString() {
            return kind + (modules.isEmpty() ? "" : " " + modules) + (controlOf != null ? " control of " + controlOf : "")
                    + (ill != null ? " ip " + ill.name : "") + (links.isEmpty() ? "" : " links " + links.keySet());
        }
    }

    private static final class Unit {
        final DeviceMode mode;
        final int ppa;
        final Stream control;
        final List<Stream> protocol = new ArrayList<>();

        Unit(DeviceMode mode, int ppa, Stream control) {
            this.mode = mode;
            this.ppa = ppa;
            this.control = control;
        }

        @Override
        public String toString() {
            return (mode == DeviceMode.TAP ? "tap" : "tun") + ppa;
        }
    }

    private static final class Ill {
        final String name;
        final boolean v6;
        final Unit unit;
        final Stream stream;
        final Map<String, Lif> lifs = new LinkedHashMap<>();
        int ipMuxid;
        int arpMuxid;
        int mtu = IfTun.MAX_MTU;

        Ill(String name, boolean v6, Unit unit, Stream stream) {
            this.name = name;
            this.v6 = v6;
            this.unit = unit;
            this.stream = stream;
            lifs.put(name, new Lif(name, this));
        }
    }

    private static final class Lif {
        final String name;
        InetAddress address;
        InetAddress netmask;
        InetAddress destination;
        long flags;

        Lif(String name, Ill ill) {
            this.name = name;
            // Both drivers report DL_ETHER to IP: neither starts point-to-point.
            this.flags = (ill.v6 ? Sys.IFF_IPV6 : Sys.IFF_IPV4) | Sys.IFF_MULTICAST | Sys.IFF_RUNNING;
        }
    }

    private record KernelRoute(InetAddress dst, InetAddress mask, InetAddress gateway, int flags, String ifName,
            boolean v6) {
        @Override
        public String toString() {
            return dst.getHostAddress() + "/" + mask.getHostAddress() + " gw " + gateway.getHostAddress() + " flags 0x"
                    + Integer.toHexString(flags) + " " + ifName;
        }
    }

    private static final class Pipe {
        long bytes;
    }

    /** The stack's end of an interface. */
    private final class StackChannel implements PacketChannel {
        private final String name;
        private volatile boolean open = true;

        StackChannel(String name) {
            this.name = name;
        }

        @Override
        public int read(ByteBuffer dst) throws TunTapException {
            return read(dst, Duration.ofDays(1));
        }

        @Override
        public int read(ByteBuffer dst, Duration timeout) throws TunTapException {
            try {
                byte[] p = takeDelivered(name, Math.max(0, timeout.toMillis()));
                if (p == null) {
                    return 0;
                }
                dst.put(p);
                return p.length;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TunTapException("read", 0, "interrupted");
            }
        }

        @Override
        public int write(ByteBuffer src) throws TunTapException {
            byte[] p = new byte[src.remaining()];
            src.get(p);
            if (!transmit(name, p)) {
                throw new TunTapException("write", 0, "IP cannot send on " + name + ": no such interface, or down");
            }
            return p.length;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }
}
