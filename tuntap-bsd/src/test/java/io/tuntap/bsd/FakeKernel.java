// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import static io.tuntap.bsd.jna.BsdErrno.EADDRNOTAVAIL;
import static io.tuntap.bsd.jna.BsdErrno.EAFNOSUPPORT;
import static io.tuntap.bsd.jna.BsdErrno.EAGAIN;
import static io.tuntap.bsd.jna.BsdErrno.EBADF;
import static io.tuntap.bsd.jna.BsdErrno.EBUSY;
import static io.tuntap.bsd.jna.BsdErrno.EEXIST;
import static io.tuntap.bsd.jna.BsdErrno.EINVAL;
import static io.tuntap.bsd.jna.BsdErrno.ENOTTY;
import static io.tuntap.bsd.jna.BsdErrno.ENXIO;
import static io.tuntap.bsd.jna.BsdErrno.EPERM;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.DeviceClosedException;
import io.tuntap.PacketChannel;
import io.tuntap.TunTapException;
import io.tuntap.bsd.jna.BsdAbi;
import io.tuntap.bsd.jna.BsdKqueue;
import io.tuntap.bsd.jna.BsdLibC;
import io.tuntap.bsd.jna.Ioc;
import io.tuntap.posix.ParkingPoller;
import io.tuntap.posix.PosixLibC;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A kernel in memory behind the syscall seam: file descriptors, device nodes, pipes, datagram sockets and
 * interfaces with flags, MTU, addresses and packet queues, following one OS's documented behaviour (each
 * subclass). It works on real native memory, as the kernel does: buffers, iovecs, pollfds and request
 * structures are read and written at the addresses the code under test passes.
 *
 * <p>Requests are recognised by their exact number, and each request's encoded parameter length is checked
 * against the structure size the subclass states (literally, not from {@link BsdAbi}): a request built with
 * another OS's numbers or sizes gets ENOTTY, as from a real kernel.
 *
 * <p>The other side of each interface is {@link #host(String)}: what the device writes comes out there as
 * bare packets, and what is written there reaches the device framed as that OS frames it.
 */
abstract class FakeKernel implements PosixLibC, BsdLibC, BsdKqueue {
    /** A failed call: the errno. */
    static final class Err extends Exception {
        private static final long serialVersionUID = 1L;
        final int errno;

        Err(int errno) {
            super(null, null, false, false);
            this.errno = errno;
        }
    }

    /** An address on an interface. */
    record Addr(InetAddress local, int prefix, InetAddress destination) {
    }

    /** An interface. */
    final class Iface {
        String name;
        final String driver;
        final int index;
        int flags;
        int mtu = 1500;
        byte[] mac;
        final List<Addr> addresses = new ArrayList<>();
        /** Packets for the user, as a read returns them (with header if the OS frames them). */
        final ArrayDeque<byte[]> toUser = new ArrayDeque<>();
        /** Packets the user wrote, without header. */
        final ArrayDeque<byte[]> fromUser = new ArrayDeque<>();
        Object owner;
        /** The bytes of the last write to the device, header included. */
        byte[] lastWrite;
        boolean ifhead;
        /** Destroyed by the kernel on last close (OpenBSD open-made, NetBSD tap clone, FreeBSD transient, utun). */
        boolean destroyOnClose;

        Iface(String name, String driver) {
            this.name = name;
            this.driver = driver;
            this.index = nextIndex++;
            this.flags = driver.equals("tap") ? BsdAbi.IFF_BROADCAST | BsdAbi.IFF_MULTICAST
                    : BsdAbi.IFF_POINTOPOINT | BsdAbi.IFF_MULTICAST;
            if (driver.equals("tap")) {
                mac = new byte[] {0x02, 0, 0, (byte) 0xfa, 0, (byte) index};
            }
        }

        boolean up() {
            return (flags & BsdAbi.IFF_UP) != 0;
        }

        boolean tun() {
            return !driver.equals("tap");
        }
    }

    /** An open file. */
    abstract static class Fd {
        int statusFlags;
        /** FD_CLOEXEC: set by {@link #afterOpen} from the open flags the OS keeps, or by F_SETFD. */
        boolean closeOnExec;
    }

    final class DeviceFd extends Fd {
        final Iface iface;

        DeviceFd(Iface iface) {
            this.iface = iface;
        }
    }

    static final class Pipe {
        int bytes;
    }

    /** {@code /dev/null}: a character device of the memory driver that no tun/tap ioctl reaches. */
    static final class NullFd extends Fd {
    }

    static final class PipeFd extends Fd {
        final Pipe pipe;
        final boolean readEnd;

        PipeFd(Pipe pipe, boolean readEnd) {
            this.pipe = pipe;
            this.readEnd = readEnd;
        }
    }

    static final class SocketFd extends Fd {
        final int domain;
        final int protocol;
        /** The utun a connected control socket made. */
        FakeKernel.Iface utun;
        /** A routing socket's unread messages. */
        final ArrayDeque<byte[]> messages = new ArrayDeque<>();

        SocketFd(int domain, int protocol) {
            this.domain = domain;
            this.protocol = protocol;
        }
    }

    final BsdAbi abi;
    private final ThreadLocal<int[]> errno = ThreadLocal.withInitial(() -> new int[1]);
    private int nextFd = 100;
    private int nextIndex = 5;
    final Map<Integer, Fd> fds = new HashMap<>();
    final Map<String, Iface> interfaces = new LinkedHashMap<>();
    private final Map<Long, Memory> ifaddrLists = new HashMap<>();
    /** Whether the caller is root. */
    volatile boolean root = true;
    /** Error injection: an ioctl request that fails with the given errno. */
    final Map<Long, Integer> failRequests = new java.util.concurrent.ConcurrentHashMap<>();
    /** Counts of calls by name, for tests that count system calls. */
    final Map<String, Integer> calls = new HashMap<>();

    FakeKernel(BsdAbi abi) {
        this.abi = abi;
    }

    // ---- what each OS defines ----------------------------------------------------------------------

    /** AF_INET6 on this OS (stated literally by the subclass, not taken from BsdAbi). */
    abstract int afInet6();

    /**
     * This OS's rt_msghdr, literally: {size, RTM_VERSION, offset of rtm_flags, offset of rtm_addrs, sockaddr
     * alignment, offset of rtm_index, offset of rtm_priority (-1: none), offset of rtm_hdrlen (-1: none)}.
     */
    abstract int[] rtLayout();

    /**
     * This OS's interface messages, literally: {RTM_NEWADDR, RTM_DELADDR, RTM_IFINFO, RTM_IFANNOUNCE (-1: none),
     * sizeof if_msghdr, ifm_addrs, ifm_flags, ifm_index, ifi_mtu offset, ifi_mtu width, sizeof ifa_msghdr,
     * ifam_addrs, ifam_index, sizeof if_announcemsghdr, ifan_index, ifan_what, ifan_name, hdrlen offset (-1:
     * none)}.
     */
    abstract int[] eventLayout();

    /** A route in the table: destination/prefix and the gateway, as route(8) prints them. */
    record RouteEntry(InetAddress destination, int prefix, InetAddress gateway, int flags, int index,
            int priority) {
    }

    /** The routing table. */
    final List<RouteEntry> routes = new ArrayList<>();

    /** sizeof(struct ifreq) on this OS (stated literally by the subclass). */
    abstract int ifreqSize();

    /** sizeof(struct ifaliasreq). */
    abstract int ifaliasreqSize();

    /** sizeof(struct in6_aliasreq). */
    abstract int in6AliasreqSize();

    /** open(2) of a path: returns the interface opened, creating it if the OS does. */
    abstract Iface openNode(String path) throws Err;

    /**
     * What the OS keeps of the open flags on the new device fd (status flags, close-on-exec); by default
     * O_NONBLOCK as given and no close-on-exec.
     */
    void afterOpen(String path, int flags, DeviceFd f) {
    }

    /** What the OS does on the last close of a device fd. */
    abstract void lastClose(Iface iface);

    /** An ioctl on a device fd. */
    abstract void deviceIoctl(DeviceFd fd, long request, long arg) throws Err;

    /** The bytes a read of {@code iface} returns for the host's {@code packet}, or null if the OS drops it. */
    abstract byte[] frame(Iface iface, byte[] packet);

    /** What the OS does with a write of {@code bytes} to {@code iface}: returns the count, queues the packet. */
    abstract long deviceWrite(Iface iface, byte[] bytes) throws Err;

    /** A read of {@code iface} when a packet may be waiting; EAGAIN if none. */
    byte[] deviceRead(Iface iface) throws Err {
        byte[] p = iface.toUser.pollFirst();
        if (p == null) {
            throw new Err(EAGAIN);
        }
        return p;
    }

    /** The smallest and largest MTU SIOCSIFMTU takes. */
    abstract int[] mtuRange(Iface iface);

    /** An interface ioctl this OS has beyond the common ones; ENOTTY by default. */
    void otherSocketIoctl(SocketFd socket, long request, long arg) throws Err {
        throw new Err(ENOTTY);
    }

    /** A new interface of {@code name}; EEXIST if it exists. */
    Iface createInterface(String name, String driver) throws Err {
        if (interfaces.containsKey(name)) {
            throw new Err(EEXIST);
        }
        Iface i = new Iface(name, driver);
        interfaces.put(name, i);
        return i;
    }

    /** The lowest unit of {@code driver} with no interface. */
    String freeUnit(String driver) {
        for (int n = 0;; n++) {
            if (!interfaces.containsKey(driver + n)) {
                return driver + n;
            }
        }
    }

    static int unitOf(String prefix, String s) {
        return UnitNames.unit(prefix, s);
    }

    // ---- the host side --------------------------------------------------------------------------

    /** The network stack's end of {@code name}: bare IP packets (TUN) or frames (TAP) in both directions. */
    PacketChannel host(String name) {
        return new PacketChannel() {
            @Override
            public int read(ByteBuffer dst) throws TunTapException {
                return read(dst, Duration.ofDays(1));
            }

            @Override
            public int read(ByteBuffer dst, Duration timeout) throws TunTapException {
                long deadline = System.nanoTime() + timeout.toNanos();
                synchronized (FakeKernel.this) {
                    while (true) {
                        Iface i = interfaces.get(name);
                        if (i == null) {
                            throw new DeviceClosedException("host read", 0, name + " is gone");
                        }
                        byte[] p = i.fromUser.pollFirst();
                        if (p != null) {
                            dst.put(p);
                            return p.length;
                        }
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            return 0;
                        }
                        try {
                            FakeKernel.this.wait(Math.max(1, left / 1_000_000));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return 0;
                        }
                    }
                }
            }

            @Override
            public int write(ByteBuffer src) throws TunTapException {
                byte[] p = new byte[src.remaining()];
                src.get(p);
                synchronized (FakeKernel.this) {
                    Iface i = interfaces.get(name);
                    if (i == null) {
                        throw new DeviceClosedException("host write", 0, name + " is gone");
                    }
                    byte[] framed = frame(i, p);
                    if (framed != null && i.up()) {
                        i.toUser.addLast(framed);
                        FakeKernel.this.notifyAll();
                    }
                }
                return p.length;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };
    }

    /** Puts a packet, exactly as a read returns it, in front of the device's reader. */
    synchronized void deliverRaw(String name, byte[] bytes) {
        interfaces.get(name).toUser.addLast(bytes);
        notifyAll();
    }

    // ---- the syscall seam -----------------------------------------------------------------------

    private int fail(int e) {
        errno.get()[0] = e;
        return -1;
    }

    /** Sets errno and returns -1 (for subclasses). */
    int setErrno(int e) {
        return fail(e);
    }

    private synchronized void count(String call) {
        calls.merge(call, 1, Integer::sum);
    }

    private int newFd(Fd f) {
        int n = nextFd++;
        fds.put(n, f);
        return n;
    }

    @Override
    public int errno() {
        return errno.get()[0];
    }

    @Override
    public synchronized int open(String path, int flags) {
        count("open");
        if (path.equals("/dev/null")) {
            NullFd f = new NullFd(); // mode 0666: anyone opens it
            f.statusFlags = flags & BsdAbi.O_NONBLOCK;
            return newFd(f);
        }
        if (!root) {
            return fail(EPERM);
        }
        try {
            Iface i = openNode(path);
            if (i.owner != null) {
                return fail(EBUSY);
            }
            DeviceFd f = new DeviceFd(i);
            f.statusFlags = flags & BsdAbi.O_NONBLOCK;
            afterOpen(path, flags, f);
            i.owner = f;
            announce();
            return newFd(f);
        } catch (Err e) {
            return fail(e.errno);
        }
    }

    @Override
    public synchronized int close(int fd) {
        count("close");
        Fd f = fds.remove(fd);
        if (f == null) {
            return fail(EBADF);
        }
        knoteFdclose(fd);
        if (fds.containsValue(f) || inFlight(f)) {
            return 0; // another descriptor (a dup, or one in flight) still holds the open file: no last close yet
        }
        release(f);
        pruneRoutes();
        announce();
        notifyAll();
        return 0;
    }

    /** The last reference to an open file is gone: what the kernel does then. */
    private void release(Fd f) {
        if (f instanceof DeviceFd d) {
            d.iface.owner = null;
            d.iface.toUser.clear();
            lastClose(d.iface);
        } else if (f instanceof SocketFd s && s.utun != null) {
            interfaces.remove(s.utun.name);
        } else if (f instanceof UnixFd u) {
            closeUnix(u);
        }
    }

    private Iface packetIface(Fd f) throws Err {
        if (f instanceof DeviceFd d) {
            return d.iface;
        }
        if (f instanceof SocketFd s && s.utun != null) {
            return s.utun;
        }
        throw new Err(EINVAL);
    }

    @Override
    public long read(int fd, long buf, long count) {
        return scatter(fd, new long[] {buf}, new long[] {count});
    }

    @Override
    public long readv(int fd, long iov, int iovcnt) {
        long[] base = new long[iovcnt];
        long[] len = new long[iovcnt];
        Pointer p = new Pointer(iov);
        for (int i = 0; i < iovcnt; i++) {
            base[i] = p.getLong(16L * i);
            len[i] = p.getLong(16L * i + 8);
        }
        return scatter(fd, base, len);
    }

    private synchronized long scatter(int fd, long[] base, long[] len) {
        count("read");
        Fd f = fds.get(fd);
        if (f == null) {
            return fail(EBADF);
        }
        byte[] data;
        try {
            if (f instanceof PipeFd pf) {
                if (!pf.readEnd || pf.pipe.bytes == 0) {
                    return fail(pf.readEnd ? EAGAIN : EBADF);
                }
                int n = (int) Math.min(pf.pipe.bytes, len[0]);
                pf.pipe.bytes -= n;
                new Pointer(base[0]).setMemory(0, n, (byte) 1);
                return n;
            }
            if (f instanceof SocketFd rs && rs.domain == BsdAbi.AF_ROUTE) {
                data = rs.messages.poll();
                if (data == null) {
                    return fail(EAGAIN);
                }
            } else {
                data = deviceRead(packetIface(f));
            }
        } catch (Err e) {
            return fail(e.errno);
        }
        // Like the BSD drivers: copy what fits, drop the rest silently.
        int off = 0;
        for (int i = 0; i < base.length && off < data.length; i++) {
            int n = (int) Math.min(len[i], data.length - off);
            new Pointer(base[i]).write(0, data, off, n);
            off += n;
        }
        return off;
    }

    @Override
    public long write(int fd, long buf, long count) {
        return gather(fd, new long[] {buf}, new long[] {count});
    }

    @Override
    public long writev(int fd, long iov, int iovcnt) {
        long[] base = new long[iovcnt];
        long[] len = new long[iovcnt];
        Pointer p = new Pointer(iov);
        for (int i = 0; i < iovcnt; i++) {
            base[i] = p.getLong(16L * i);
            len[i] = p.getLong(16L * i + 8);
        }
        return gather(fd, base, len);
    }

    private synchronized long gather(int fd, long[] base, long[] len) {
        count("write");
        Fd f = fds.get(fd);
        if (f == null) {
            return fail(EBADF);
        }
        long total = 0;
        for (long l : len) {
            total += l;
        }
        if (f instanceof PipeFd pf) {
            if (pf.readEnd) {
                return fail(EBADF);
            }
            pf.pipe.bytes += (int) total;
            notifyAll();
            return total;
        }
        if (f instanceof SocketFd rs && rs.domain == BsdAbi.AF_ROUTE) {
            ByteBuffer msg = at(base[0], (int) len[0]);
            try {
                routeMessage(msg, (int) len[0]);
                return total;
            } catch (Err e) {
                return fail(e.errno);
            }
        }
        byte[] bytes = new byte[(int) total];
        int off = 0;
        for (int i = 0; i < base.length; i++) {
            new Pointer(base[i]).read(0, bytes, off, (int) len[i]);
            off += (int) len[i];
        }
        try {
            Iface target = packetIface(f);
            target.lastWrite = bytes;
            long n = deviceWrite(target, bytes);
            notifyAll();
            return n;
        } catch (Err e) {
            return fail(e.errno);
        }
    }

    @Override
    public synchronized int fcntl(int fd, int cmd, long arg) {
        Fd f = fds.get(fd);
        if (f == null) {
            return fail(EBADF);
        }
        return switch (cmd) {
            // F_DUPFD (0, sys/sys/fcntl.h): a new number for the same open file, which shares its status flags.
            case 0 -> newFd(f);
            case BsdAbi.F_GETFL -> f.statusFlags;
            case BsdAbi.F_SETFL -> {
                f.statusFlags = (int) arg;
                yield 0;
            }
            case BsdAbi.F_SETFD -> {
                f.closeOnExec = (arg & BsdAbi.FD_CLOEXEC) != 0;
                yield 0;
            }
            default -> fail(EINVAL);
        };
    }

    @Override
    public int poll(long fds, long nfds, int timeoutMillis) {
        count("poll");
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        Pointer p = new Pointer(fds);
        synchronized (this) {
            while (true) {
                int ready = 0;
                for (int i = 0; i < nfds; i++) {
                    int fd = p.getInt(8L * i);
                    short events = p.getShort(8L * i + 4);
                    short revents = (short) (events & readiness(this.fds.get(fd)));
                    p.setShort(8L * i + 6, revents);
                    if (revents != 0) {
                        ready++;
                    }
                }
                long left = deadline - System.nanoTime();
                if (ready > 0 || timeoutMillis == 0 || (timeoutMillis > 0 && left <= 0)) {
                    return ready;
                }
                try {
                    wait(timeoutMillis < 0 ? 0 : Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return fail(io.tuntap.bsd.jna.BsdErrno.EINTR);
                }
            }
        }
    }

    /** POLLIN/POLLOUT of an fd now. */
    int readiness(Fd f) {
        if (f instanceof UnixFd u) {
            boolean in = u.listening ? !u.backlog.isEmpty()
                    : !u.inbox.isEmpty() || u.peer == null || u.peer.closed;
            return BsdAbi.POLLOUT | (in ? BsdAbi.POLLIN : 0);
        }
        if (f instanceof SocketFd rs && rs.domain == BsdAbi.AF_ROUTE) {
            return BsdAbi.POLLOUT | (rs.messages.isEmpty() ? 0 : BsdAbi.POLLIN);
        }
        if (f instanceof PipeFd pf) {
            return pf.readEnd ? (pf.pipe.bytes > 0 ? BsdAbi.POLLIN : 0) : BsdAbi.POLLOUT;
        }
        if (f instanceof DeviceFd || (f instanceof SocketFd s && s.utun != null)) {
            try {
                return BsdAbi.POLLOUT | (readable(packetIface(f)) ? BsdAbi.POLLIN : 0);
            } catch (Err e) {
                return 0;
            }
        }
        return 0;
    }

    /** Whether a read would return a packet now. */
    boolean readable(Iface iface) {
        return !iface.toUser.isEmpty();
    }


    // ---- kqueue ----------------------------------------------------------------------------------
    //
    // As NetBSD/src 01298e0d sys/kern/kern_event.c implements it (FreeBSD's kqueue_kevent and OpenBSD's sys_kevent
    // handle a failed change the same way, as far as their excerpts were read):
    // - kevent1: the whole change list is applied (kqueue_register) before the event list is filled
    //   (kqueue_scan); a change that fails is written to the event list as EV_ERROR with its errno in data
    //   while there is room, and then kevent returns the count of those errors without waiting; with no room
    //   (nevents 0) kevent fails with that errno at once. xnu's kevent_internal (apple-oss-distributions/xnu
    //   e3723e1f bsd/kern/kern_event.c lines 8189-8205) goes on with the rest of the list and fails with the
    //   last error instead (keventGoesOnAfterAnError).
    // - kqueue_register: an fd that is not open is EBADF; EV_ADD makes a knote, or on an existing one (same fd,
    //   same filter, same kqueue) only replaces its udata (and saved fflags and data), never its flags; then the
    //   filter is run, so an fd ready already is queued at once; without EV_ADD a missing knote is ENOENT;
    //   EV_DELETE removes it; EV_DISABLE and EV_ENABLE mark it.
    // - kqueue_scan: no timeout waits without limit, a zero one polls, a signal ends the wait with EINTR
    //   ("don't restart after signals"); an EV_ONESHOT knote is deleted after it is delivered ("delete ONESHOT
    //   events after retrieval"); nevents 0 returns 0 at once.
    // - knote_fdclose: closing an fd removes every knote on it, from every kqueue.
    // - kqueue1: O_CLOEXEC sets close-on-exec (fd_set_exclose), on the systems that have it.

    /** A knote: one filter on one fd, in one kqueue. */
    static final class Knote {
        final int ident;
        final int filter;
        final int flags;
        long udata;
        boolean disabled;

        Knote(int ident, int filter, int flags, long udata) {
            this.ident = ident;
            this.filter = filter;
            this.flags = flags;
            this.udata = udata;
        }
    }

    /** A kqueue: its knotes by (fd, filter). */
    static final class KqueueFd extends Fd {
        final Map<List<Integer>, Knote> knotes = new LinkedHashMap<>();
    }

    /**
     * This OS's struct kevent and filters, literally: {sizeof(struct kevent), EVFILT_READ, EVFILT_WRITE, 1 if
     * filter and flags are 32-bit (else 16-bit)}. Offsets follow: ident 0, filter 8, then flags, fflags, data
     * (8-aligned) and udata.
     */
    abstract int[] keventLayout();

    /** O_CLOEXEC as this OS's kqueue1 takes it, or 0 where there is no kqueue1. */
    int kqueue1Cloexec() {
        return 0;
    }

    /** True if a failed change with no room in the event list leaves the rest of the list applied (xnu). */
    boolean keventGoesOnAfterAnError() {
        return false;
    }

    /** Virtual threads park with the kqueue poller of this kernel, as with the real kernel's calls. */
    @Override
    public ParkingPoller parkingPoller() {
        return KqueueParkingPoller.of(this, this, abi);
    }

    /** The knotes of kqueue {@code kq}, for tests: "fd/filter" each. */
    synchronized List<String> knotes(int kq) {
        List<String> out = new ArrayList<>();
        if (fds.get(kq) instanceof KqueueFd q) {
            for (Knote k : q.knotes.values()) {
                out.add(k.ident + "/" + k.filter + (k.disabled ? " disabled" : ""));
            }
        }
        return out;
    }

    /** The fds of the kqueues open, for tests. */
    synchronized List<Integer> kqueues() {
        List<Integer> out = new ArrayList<>();
        fds.forEach((n, f) -> {
            if (f instanceof KqueueFd) {
                out.add(n);
            }
        });
        return out;
    }

    /** Error injection: the errno with which kqueue and kqueue1 fail (EMFILE, ENOMEM), or 0. */
    volatile int kqueueErrno;

    @Override
    public synchronized int kqueue() {
        count("kqueue");
        if (kqueueErrno != 0) {
            return fail(kqueueErrno);
        }
        return newFd(new KqueueFd());
    }

    @Override
    public synchronized int kqueue1(int flags) {
        if (!hasKqueue1()) {
            throw new UnsupportedOperationException("no kqueue1 on " + abi.os);
        }
        count("kqueue");
        if (kqueueErrno != 0) {
            return fail(kqueueErrno);
        }
        KqueueFd q = new KqueueFd();
        q.closeOnExec = (flags & kqueue1Cloexec()) != 0;
        return newFd(q);
    }

    @Override
    public boolean hasKqueue1() {
        return kqueue1Cloexec() != 0;
    }

    private void knoteFdclose(int fd) {
        for (Fd f : fds.values()) {
            if (f instanceof KqueueFd q) {
                q.knotes.values().removeIf(k -> k.ident == fd);
            }
        }
    }

    @Override
    public int kevent(int kq, long changelist, int nchanges, long eventlist, int nevents, long timeout) {
        count("kevent");
        int[] l = keventLayout();
        int size = l[0];
        boolean wide = l[3] == 1;
        int flagsAt = wide ? 12 : 10;
        int dataAt = wide ? 24 : 16;
        int udataAt = wide ? 32 : 24;
        long deadline = 0;
        if (timeout != 0) {
            ByteBuffer ts = at(timeout, 16);
            long sec = ts.getLong(0);
            long nsec = ts.getLong(8);
            if (sec < 0 || nsec < 0 || nsec >= 1_000_000_000L) {
                return fail(EINVAL);
            }
            deadline = System.nanoTime() + sec * 1_000_000_000L + nsec;
        }
        synchronized (this) {
            if (!(fds.get(kq) instanceof KqueueFd q)) {
                return fail(EBADF);
            }
            int out = 0;
            int lastError = 0;
            for (int i = 0; i < nchanges; i++) {
                ByteBuffer c = at(changelist + (long) i * size, size);
                int ident = (int) c.getLong(0);
                int filter = wide ? c.getInt(8) : c.getShort(8);
                int flags = wide ? c.getInt(flagsAt) : c.getShort(flagsAt) & 0xffff;
                long udata = c.getLong(udataAt);
                int error = register(q, ident, filter, flags, udata, l);
                if (error == 0) {
                    continue;
                }
                if (out < nevents) {
                    ByteBuffer e = at(eventlist + (long) out * size, size);
                    for (int b = 0; b < size; b += 8) {
                        e.putLong(b, c.getLong(b));
                    }
                    putFlags(e, wide, flagsAt, 0x4000); // EV_ERROR, replacing the flags (kevp->flags = EV_ERROR)
                    e.putLong(dataAt, error);
                    out++;
                } else if (keventGoesOnAfterAnError()) {
                    lastError = error;
                } else {
                    notifyAll();
                    return fail(error);
                }
            }
            notifyAll(); // a poller thread waiting on this kqueue scans the new knotes
            if (out > 0) {
                return out;
            }
            if (lastError != 0) {
                return fail(lastError);
            }
            if (nevents == 0) {
                return 0;
            }
            while (true) {
                int n = scan(q, eventlist, nevents, l);
                if (n > 0) {
                    return n;
                }
                long left = deadline - System.nanoTime();
                if (timeout != 0 && left <= 0) {
                    return 0;
                }
                try {
                    wait(timeout == 0 ? 0 : Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return fail(io.tuntap.bsd.jna.BsdErrno.EINTR);
                }
            }
        }
    }

    private static void putFlags(ByteBuffer e, boolean wide, int at, int flags) {
        if (wide) {
            e.putInt(at, flags);
        } else {
            e.putShort(at, (short) flags);
        }
    }

    /** kqueue_register of one change; returns 0 or the errno. */
    private int register(KqueueFd q, int ident, int filter, int flags, long udata, int[] l) {
        if (filter != l[1] && filter != l[2]) {
            return EINVAL; // filter not found nor implemented (only the read and write filters here)
        }
        if (!fds.containsKey(ident)) {
            return EBADF;
        }
        List<Integer> key = List.of(ident, filter);
        Knote k = q.knotes.get(key);
        if ((flags & 0x0001) != 0) { // EV_ADD
            if (k == null) {
                k = new Knote(ident, filter, flags & ~(0x0001 | 0x0002 | 0x0004 | 0x0008), udata);
                q.knotes.put(key, k);
            } else {
                k.udata = udata; // an existing knote: its udata changes, its flags do not
            }
        } else {
            if (k == null) {
                return io.tuntap.bsd.jna.BsdErrno.ENOENT;
            }
            if ((flags & 0x0002) != 0) { // EV_DELETE
                q.knotes.remove(key);
                return 0;
            }
        }
        if ((flags & 0x0008) != 0) { // EV_DISABLE
            k.disabled = true;
        }
        if ((flags & 0x0004) != 0) { // EV_ENABLE
            k.disabled = false;
        }
        return 0;
    }

    /** kqueue_scan without waiting: the active knotes into the event list; returns the count. */
    private int scan(KqueueFd q, long eventlist, int nevents, int[] l) {
        int size = l[0];
        boolean wide = l[3] == 1;
        int n = 0;
        var it = q.knotes.values().iterator();
        while (it.hasNext() && n < nevents) {
            Knote k = it.next();
            if (k.disabled) {
                continue;
            }
            int ready = readiness(fds.get(k.ident));
            boolean active = k.filter == l[1] ? (ready & BsdAbi.POLLIN) != 0 : (ready & BsdAbi.POLLOUT) != 0;
            if (!active) {
                continue;
            }
            ByteBuffer e = at(eventlist + (long) n * size, size);
            for (int i = 0; i < size; i += 8) {
                e.putLong(i, 0L);
            }
            e.putLong(0, k.ident);
            if (wide) {
                e.putInt(8, k.filter);
            } else {
                e.putShort(8, (short) k.filter);
            }
            putFlags(e, wide, wide ? 12 : 10, k.flags);
            e.putLong(wide ? 32 : 24, k.udata);
            n++;
            if ((k.flags & 0x0010) != 0) { // EV_ONESHOT: deleted after retrieval
                it.remove();
            }
        }
        return n;
    }

    @Override
    public synchronized int pipe(long fds) {
        Pipe pipe = new Pipe();
        Pointer p = new Pointer(fds);
        p.setInt(0, newFd(new PipeFd(pipe, true)));
        p.setInt(4, newFd(new PipeFd(pipe, false)));
        return 0;
    }

    @Override
    public synchronized int socket(int domain, int type, int protocol) {
        count("socket");
        announce(); // whatever changed before this socket existed is not reported to it
        if ((domain == BsdAbi.AF_INET || domain == afInet6()) && type == BsdAbi.SOCK_DGRAM) {
            return newFd(new SocketFd(domain, protocol));
        }
        if (domain == BsdAbi.AF_ROUTE && type == BsdAbi.SOCK_RAW) {
            return newFd(new SocketFd(domain, protocol));
        }
        if (domain == 1 && type == 1) { // AF_UNIX, SOCK_STREAM (sys/socket.h of each system)
            return newFd(new UnixFd());
        }
        return otherSocket(domain, type, protocol);
    }

    /**
     * A PF_ROUTE message: RTM_ADD or RTM_DELETE with destination, gateway (an address, or a sockaddr_dl naming
     * the interface) and netmask, and optionally RTA_IFP (a sockaddr_dl) choosing the interface.
     */
    private void routeMessage(ByteBuffer m, int length) throws Err {
        int[] l = rtLayout();
        if (!root) {
            throw new Err(EPERM);
        }
        if ((m.getShort(0) & 0xffff) != length || (m.get(2) & 0xff) != l[1] || length < l[0]) {
            throw new Err(EINVAL);
        }
        int start = l[0];
        if (l[7] >= 0) {
            // openbsd/src sys/net/rtsock.c 1.388 route_output: rtm_hdrlen 0 means sizeof(struct rt_msghdr);
            // less than that, or more than the message, is EINVAL; the sockaddrs start at rtm_hdrlen.
            int hdrlen = m.getShort(l[7]) & 0xffff;
            start = hdrlen == 0 ? l[0] : hdrlen;
            if (start < l[0] || start > length) {
                throw new Err(EINVAL);
            }
        }
        int type = m.get(3) & 0xff;
        int flags = m.getInt(l[2]);
        int addrs = m.getInt(l[3]);
        if (addrs != 0x7 && addrs != 0x17) {
            throw new Err(EINVAL);
        }
        int at = start;
        InetAddress[] sa = new InetAddress[3];
        int prefix = 0;
        int linkIndex = 0;
        int ifpIndex = 0;
        for (int i = 0; i < (addrs == 0x17 ? 4 : 3); i++) {
            int saLen = m.get(at) & 0xff;
            int family = m.get(at + 1) & 0xff;
            if (at + Math.max(saLen, 1) > length) {
                throw new Err(EINVAL);
            }
            if (i == 2) {
                boolean v6 = family == afInet6();
                prefix = maskLength(m, at + (v6 ? 8 : 4), v6 ? 16 : 4);
            } else if (i == 3 || (i == 1 && family == BsdAbi.AF_LINK)) {
                if (family != BsdAbi.AF_LINK || saLen < minLinkLength(i == 1)) {
                    throw new Err(EINVAL);
                }
                if (i == 3) {
                    ifpIndex = m.getShort(at + 2) & 0xffff;
                } else {
                    linkIndex = m.getShort(at + 2) & 0xffff;
                }
            } else {
                sa[i] = sockaddr(m, at);
                if (sa[i] == null) {
                    throw new Err(EINVAL);
                }
            }
            at += saLen <= 0 ? l[4] : (saLen + l[4] - 1) / l[4] * l[4];
        }
        int priority = l[6] >= 0 ? m.get(l[6]) & 0xff : 0;
        int p = prefix;
        if (type == 1) {
            if (routes.stream().anyMatch(x -> x.destination().equals(sa[0]) && x.prefix() == p)) {
                throw new Err(EEXIST);
            }
            int index = routeInterface(flags, sa[1], linkIndex, ifpIndex);
            routes.add(new RouteEntry(sa[0], prefix, sa[1], flags, index,
                    l[6] >= 0 && priority == 0 ? 8 : priority));
        } else if (type == 2) {
            if (!routes.removeIf(x -> x.destination().equals(sa[0]) && x.prefix() == p)) {
                throw new Err(io.tuntap.bsd.jna.BsdErrno.ESRCH);
            }
        } else {
            throw new Err(EINVAL);
        }
    }

    /**
     * The interface of a new route: the sockaddr_dl gateway's or RTA_IFP's index; for -interface (no
     * RTF_GATEWAY) the interface holding the gateway address; for a gateway, the interface whose prefix or
     * peer covers it. ENETUNREACH if none.
     */
    private int routeInterface(int flags, InetAddress gateway, int linkIndex, int ifpIndex) throws Err {
        int index = ifpIndex != 0 ? ifpIndex : linkIndex;
        if (index != 0) {
            int wanted = index;
            if (interfaces.values().stream().noneMatch(i -> i.index == wanted)) {
                throw new Err(ENXIO);
            }
            return index;
        }
        for (Iface i : interfaces.values()) {
            for (Addr a : i.addresses) {
                boolean own = a.local().equals(gateway);
                if ((flags & 0x2) == 0 ? own : own || gateway.equals(a.destination())) {
                    return i.index;
                }
            }
        }
        throw new Err(51); // ENETUNREACH
    }

    /**
     * Routes go with their interface; interface routes (no RTF_GATEWAY, an address as gateway) also with the
     * address they hang on.
     */
    void pruneRoutes() {
        routes.removeIf(r -> interfaces.values().stream().noneMatch(i -> i.index == r.index())
                || ((r.flags() & 0x2) == 0 && r.gateway() != null && interfaces.values().stream()
                        .noneMatch(i -> i.addresses.stream().anyMatch(a -> a.local().equals(r.gateway())))));
    }

    @Override
    public synchronized int sysctl(long name, int namelen, long oldp, long oldlenp, long newp, long newlen) {
        int[] mib = new Pointer(name).getIntArray(0, namelen);
        // {CTL_NET, PF_ROUTE, 0, family, NET_RT_DUMP, 0}
        if (namelen != 6 || mib[0] != 4 || mib[1] != BsdAbi.AF_ROUTE || mib[2] != 0 || mib[4] != 1 || mib[5] != 0
                || (mib[3] != 0 && mib[3] != BsdAbi.AF_INET && mib[3] != afInet6()) || newp != 0) {
            return fail(EINVAL);
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (RouteEntry r : routes) {
            boolean v6 = r.destination() instanceof Inet6Address;
            if (mib[3] != 0 && mib[3] != (v6 ? afInet6() : BsdAbi.AF_INET)) {
                continue;
            }
            byte[] msg = dumpMessage(r, v6);
            out.write(msg, 0, msg.length);
        }
        byte[] all = out.toByteArray();
        Pointer len = new Pointer(oldlenp);
        if (oldp == 0) {
            len.setLong(0, all.length);
            return 0;
        }
        if (len.getLong(0) < all.length) {
            return fail(12); // ENOMEM
        }
        new Pointer(oldp).write(0, all, 0, all.length);
        len.setLong(0, all.length);
        return 0;
    }

    /** One RTM_GET message of a dump: DST, GATEWAY (an address, or a sockaddr_dl), NETMASK. */
    private byte[] dumpMessage(RouteEntry r, boolean v6) {
        int[] l = rtLayout();
        int align = l[4];
        int saLen = v6 ? 28 : 16;
        int step = (saLen + align - 1) / align * align;
        int dlStep = (20 + align - 1) / align * align;
        int length = l[0] + 2 * step + (r.gateway() != null ? step : dlStep);
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
        b.putShort(0, (short) length);
        b.put(2, (byte) l[1]);
        b.put(3, (byte) 4); // RTM_GET
        if (l[7] >= 0) {
            b.putShort(l[7], (short) l[0]);
        }
        if (l[6] >= 0) {
            b.put(l[6], (byte) r.priority());
        }
        b.putShort(l[5], (short) r.index());
        b.putInt(l[2], r.flags());
        b.putInt(l[3], 0x7);
        int at = l[0];
        putSockaddr(b, at, v6, r.destination().getAddress());
        at += step;
        if (r.gateway() != null) {
            putSockaddr(b, at, r.gateway() instanceof Inet6Address, r.gateway().getAddress());
            at += step;
        } else {
            b.put(at, (byte) 20);
            b.put(at + 1, (byte) BsdAbi.AF_LINK);
            b.putShort(at + 2, (short) r.index());
            at += dlStep;
        }
        byte[] mask = new byte[v6 ? 16 : 4];
        for (int i = 0; i < mask.length; i++) {
            int bits = Math.max(0, Math.min(8, r.prefix() - 8 * i));
            mask[i] = (byte) (bits == 0 ? 0 : 0xff << (8 - bits));
        }
        putSockaddr(b, at, v6, mask);
        return b.array();
    }

    /**
     * The shortest sockaddr_dl the routing socket takes as an on-link RTA_GATEWAY ({@code gateway}) or as
     * RTA_IFP: by default 8 (its fixed fields; the index is what the kernel reads).
     */
    int minLinkLength(boolean gateway) {
        return 8;
    }

    // ---- fstat ------------------------------------------------------------------------------------

    /**
     * This OS's {@code struct stat}, literally: {sizeof, offset of st_mode, offset of st_rdev, width of dev_t};
     * null where the backend never calls fstat.
     */
    int[] statLayout() {
        return null;
    }

    /** This OS's {@code makedev(major, minor)}. */
    long makedev(int major, int minor) {
        throw new AssertionError("no device numbers on this fake");
    }

    /** The character major of {@code driver} ("tun", "tap", "mem"). */
    int major(String driver) {
        throw new AssertionError("no device numbers on this fake");
    }

    /** S_IFCHR, S_IFIFO and S_IFSOCK of sys/sys/stat.h (the same on every BSD). */
    private static final int S_IFCHR = 0020000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFSOCK = 0140000;

    @Override
    public synchronized int fstat(int fd, long stat) {
        count("fstat");
        int[] l = statLayout();
        if (l == null) {
            throw new AssertionError("fstat is not called on " + abi);
        }
        Fd f = fds.get(fd);
        if (f == null) {
            return fail(EBADF);
        }
        ByteBuffer b = at(stat, l[0]);
        for (int i = 0; i < l[0]; i++) {
            b.put(i, (byte) 0x5a); // what the kernel does not set here must not be read
        }
        int mode;
        long rdev = 0;
        if (f instanceof DeviceFd d) {
            mode = S_IFCHR | 0600;
            rdev = makedev(major(d.iface.driver), unitOf(d.iface.driver, d.iface.name));
        } else if (f instanceof NullFd) {
            mode = S_IFCHR | 0666;
            rdev = makedev(major("mem"), 2); // minor 2 of the memory driver: /dev/null
        } else if (f instanceof PipeFd) {
            mode = S_IFIFO | 0600;
        } else {
            mode = S_IFSOCK | 0777;
        }
        b.putInt(l[1], mode);
        if (l[3] == 8) {
            b.putLong(l[2], rdev);
        } else {
            b.putInt(l[2], (int) rdev);
        }
        return 0;
    }

    /** A socket of another domain; EAFNOSUPPORT unless the OS has it. */
    int otherSocket(int domain, int type, int protocol) {
        return fail(EAFNOSUPPORT);
    }

    /** Registers a socket fd (for subclasses). */
    int addSocket(SocketFd s) {
        return newFd(s);
    }

    /** Registers an fd of a kind only a subclass knows. */
    int addFd(Fd f) {
        return newFd(f);
    }

    /** An ioctl on an fd of a kind only a subclass knows; ENOTTY by default. */
    void otherFdIoctl(Fd f, long request, long arg) throws Err {
        throw new Err(ENOTTY);
    }

    /** Called after SIOCIFDESTROY removed {@code i}. */
    void interfaceDestroyed(Iface i) {
    }

    @Override
    public long send(int fd, long buf, long len, int flags) {
        return write(fd, buf, len);
    }

    @Override
    public long recv(int fd, long buf, long len, int flags) {
        return read(fd, buf, len);
    }

    @Override
    public synchronized int if_nametoindex(String name) {
        Iface i = interfaces.get(name);
        if (i == null) {
            errno.get()[0] = ENXIO;
            return 0;
        }
        return i.index;
    }

    /** The effective uid of the calling thread, where a test set one; else 0 as root, 1000 otherwise. */
    final ThreadLocal<Integer> threadUid = new ThreadLocal<>();

    @Override
    public int geteuid() {
        Integer uid = threadUid.get();
        return uid != null ? uid : root ? 0 : 1000;
    }

    @Override
    public synchronized int connect(int fd, long addr, int len) {
        Fd f = fds.get(fd);
        if (!(f instanceof UnixFd u)) {
            return fail(EINVAL);
        }
        try {
            String path = unixPath(addr, len);
            UnixFd listener = bound.get(path);
            if (listener == null || !java.nio.file.Files.exists(java.nio.file.Path.of(path))) {
                return fail(io.tuntap.bsd.jna.BsdErrno.ENOENT); // namei of the path
            }
            if (!listener.listening || listener.closed) {
                return fail(61); // ECONNREFUSED: unp_connect finds no listening socket
            }
            UnixFd server = new UnixFd();
            server.peer = u;
            u.peer = server;
            server.peerUid = geteuid(); // what getpeereid gives the accepting side: the connector's credentials
            u.peerUid = listener.ownUid; // and the connecting side: the listener's, taken at listen(2)
            listener.backlog.addLast(server);
            notifyAll();
            return 0;
        } catch (Err e) {
            return fail(e.errno);
        }
    }

    // ---- Unix-domain stream sockets and SCM_RIGHTS ------------------------------------------------

    /** A message on a Unix stream socket: its bytes and the open files it carries. */
    record UnixMessage(byte[] data, List<Fd> rights) {
    }

    /** A Unix-domain stream socket: bound and listening, or one end of a connection. */
    static final class UnixFd extends Fd {
        String path;
        boolean listening;
        boolean closed;
        int ownUid;
        int peerUid = -1;
        UnixFd peer;
        final ArrayDeque<UnixFd> backlog = new ArrayDeque<>();
        final ArrayDeque<UnixMessage> inbox = new ArrayDeque<>();
    }

    /** Listening sockets by path. */
    private final Map<String, UnixFd> bound = new HashMap<>();

    /**
     * The path of a {@code struct sockaddr_un} of {@code len} bytes: sun_len, sun_family (AF_UNIX 1), sun_path
     * up to its NUL or the length (sys/un.h of each system: 106 bytes at most).
     */
    private static String unixPath(long addr, int len) throws Err {
        if (len < 3 || len > 106) {
            throw new Err(EINVAL);
        }
        ByteBuffer b = at(addr, len);
        if (b.get(1) != 1) {
            throw new Err(EAFNOSUPPORT);
        }
        int end = 2;
        while (end < len && b.get(end) != 0) {
            end++;
        }
        byte[] p = new byte[end - 2];
        b.get(2, p);
        return new String(p, StandardCharsets.UTF_8);
    }

    /** bind(2): the kernel makes the socket's node in the file system, as a real file here. */
    @Override
    public synchronized int bind(int fd, long addr, int len) {
        Fd f = fds.get(fd);
        if (!(f instanceof UnixFd u)) {
            return fail(f == null ? EBADF : EINVAL);
        }
        try {
            String path = unixPath(addr, len);
            java.nio.file.Path node = java.nio.file.Path.of(path);
            if (bound.containsKey(path) || java.nio.file.Files.exists(node)) {
                return fail(48); // EADDRINUSE
            }
            try {
                java.nio.file.Files.createFile(node);
            } catch (java.nio.file.NoSuchFileException e) {
                return fail(io.tuntap.bsd.jna.BsdErrno.ENOENT);
            } catch (java.io.IOException e) {
                return fail(io.tuntap.bsd.jna.BsdErrno.EACCES);
            }
            u.path = path;
            bound.put(path, u);
            return 0;
        } catch (Err e) {
            return fail(e.errno);
        }
    }

    @Override
    public synchronized int listen(int fd, int backlog) {
        if (!(fds.get(fd) instanceof UnixFd u) || u.path == null) {
            return fail(EINVAL);
        }
        u.listening = true;
        u.ownUid = geteuid();
        return 0;
    }

    @Override
    public synchronized int accept(int fd, long addr, long addrlen) {
        if (!(fds.get(fd) instanceof UnixFd u) || !u.listening) {
            return fail(EINVAL);
        }
        UnixFd next = u.backlog.pollFirst();
        if (next == null) {
            return fail(EAGAIN);
        }
        return newFd(next);
    }

    @Override
    public synchronized int getpeereid(int fd, long uid, long gid) {
        if (!(fds.get(fd) instanceof UnixFd u) || u.peer == null) {
            return fail(57); // ENOTCONN
        }
        new Pointer(uid).setInt(0, u.peerUid);
        new Pointer(gid).setInt(0, 0);
        return 0;
    }

    /**
     * This system's control-message rules, literally: {CMSG_DATA offset (CMSG_ALIGN(sizeof(struct cmsghdr))),
     * CMSG_ALIGN's rounding, MSG_NOSIGNAL, MSG_CMSG_CLOEXEC}.
     */
    abstract int[] cmsgLayout();

    /**
     * The descriptors an SCM_RIGHTS control buffer of {@code clen} bytes carries, checked as this system's
     * unp_internalize checks it; EINVAL for what it refuses, EBADF for a descriptor not open.
     */
    private List<Fd> internalize(ByteBuffer c, int clen) throws Err {
        int[] l = cmsgLayout();
        int dataOffset = l[0];
        List<Integer> numbers = new ArrayList<>();
        switch (abi.os) {
            case FREEBSD -> {
                // freebsd-src sys/kern/uipc_usrreq.c unp_internalize: every message of the buffer, stepping
                // CMSG_SPACE(datalen); EINVAL for a header longer than what is left or a level not SOL_SOCKET.
                int at = 0;
                while (at + 12 <= clen) {
                    int len = c.getInt(at);
                    if (len < 12 || at + len > clen || c.getInt(at + 4) != 0xffff) {
                        throw new Err(EINVAL);
                    }
                    int datalen = len - dataOffset;
                    if (c.getInt(at + 8) == 1) {
                        for (int i = 0; i < datalen / 4; i++) {
                            numbers.add(c.getInt(at + dataOffset + 4 * i));
                        }
                    }
                    at += dataOffset + (datalen + l[1] - 1) / l[1] * l[1];
                }
            }
            case OPENBSD -> {
                // openbsd/src sys/kern/uipc_usrreq.c unp_internalize: one message; SCM_RIGHTS at SOL_SOCKET, and
                // cmsg_len equal to the buffer's length or to it rounded up ("two potential msg_controllen").
                int len = c.getInt(0);
                if (clen < dataOffset || len < dataOffset || c.getInt(8) != 1 || c.getInt(4) != 0xffff
                        || !(len == clen || clen == (len + l[1] - 1) / l[1] * l[1])) {
                    throw new Err(EINVAL);
                }
                for (int i = 0; i < (len - dataOffset) / 4; i++) {
                    numbers.add(c.getInt(dataOffset + 4 * i));
                }
            }
            case NETBSD -> {
                // NetBSD/src sys/kern/uipc_usrreq.c unp_internalize: SCM_RIGHTS at SOL_SOCKET, cmsg_len no longer
                // than the buffer and at least CMSG_ALIGN(sizeof(struct cmsghdr)).
                int len = c.getInt(0);
                if (c.getInt(8) != 1 || c.getInt(4) != 0xffff || len > clen || len < dataOffset) {
                    throw new Err(EINVAL);
                }
                for (int i = 0; i < (len - dataOffset) / 4; i++) {
                    numbers.add(c.getInt(dataOffset + 4 * i));
                }
            }
            case DARWIN -> {
                // xnu-11417.101.15 bsd/kern/uipc_usrreq.c:2502 unp_internalize: SCM_RIGHTS at SOL_SOCKET and
                // cmsg_len equal to the control mbuf's length; the descriptors follow the 12-byte header.
                int len = c.getInt(0);
                if (c.getInt(8) != 1 || c.getInt(4) != 0xffff || len != clen) {
                    throw new Err(EINVAL);
                }
                for (int i = 0; i < (len - 12) / 4; i++) {
                    numbers.add(c.getInt(12 + 4 * i));
                }
            }
        }
        List<Fd> rights = new ArrayList<>();
        for (int n : numbers) {
            Fd f = fds.get(n);
            if (f == null) {
                throw new Err(EBADF);
            }
            rights.add(f);
        }
        return rights;
    }

    /**
     * sendmsg(2) on a connected Unix stream socket: struct msghdr (48 bytes: msg_iov at 16, msg_iovlen at 24,
     * msg_control at 32, msg_controllen at 40; sys/socket.h of each system), the iovecs gathered, the control
     * buffer internalized.
     */
    @Override
    public synchronized long sendmsg(int fd, long msg, int flags) {
        count("sendmsg");
        UnixFd u;
        try {
            u = unixSocket(fd);
        } catch (Err e) {
            return fail(e.errno);
        }
        if (u.peer == null) {
            return fail(57); // ENOTCONN
        }
        if (u.peer.closed) {
            if ((flags & cmsgLayout()[2]) == 0) {
                throw new AssertionError("SIGPIPE: a write to a closed Unix socket without MSG_NOSIGNAL");
            }
            return fail(32); // EPIPE
        }
        ByteBuffer m = at(msg, 48);
        long iov = m.getLong(16);
        int iovlen = m.getInt(24);
        long control = m.getLong(32);
        int clen = m.getInt(40);
        java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < iovlen; i++) {
            Pointer v = new Pointer(iov + 16L * i);
            byte[] part = new Pointer(v.getLong(0)).getByteArray(0, (int) v.getLong(8));
            data.write(part, 0, part.length);
        }
        try {
            List<Fd> rights = clen == 0 ? List.of() : internalize(at(control, clen), clen);
            u.peer.inbox.addLast(new UnixMessage(data.toByteArray(), rights));
        } catch (Err e) {
            return fail(e.errno);
        }
        notifyAll();
        return data.size();
    }

    /**
     * recvmsg(2): the next message's bytes into the first iovec, and its descriptors, newly numbered in this
     * process, as one SCM_RIGHTS message at msg_control (cmsg_len CMSG_LEN, msg_controllen rounded with
     * CMSG_ALIGN). A control buffer too short for them is not modelled: the test fails.
     */
    @Override
    public synchronized long recvmsg(int fd, long msg, int flags) {
        count("recvmsg");
        UnixFd u;
        try {
            u = unixSocket(fd);
        } catch (Err e) {
            return fail(e.errno);
        }
        ByteBuffer m = at(msg, 48);
        UnixMessage next = u.inbox.pollFirst();
        if (next == null) {
            return u.peer == null || u.peer.closed ? 0 : fail(EAGAIN);
        }
        Pointer v = new Pointer(m.getLong(16));
        int n = (int) Math.min(v.getLong(8), next.data().length);
        new Pointer(v.getLong(0)).write(0, next.data(), 0, n);
        m.putInt(44, 0);
        int[] l = cmsgLayout();
        if (next.rights().isEmpty()) {
            m.putInt(40, 0);
        } else {
            int len = l[0] + 4 * next.rights().size();
            int space = (len + l[1] - 1) / l[1] * l[1];
            int room = m.getInt(40);
            if (room < space) {
                throw new AssertionError("a control buffer of " + room + " bytes for " + space + ": not modelled");
            }
            ByteBuffer c = at(m.getLong(32), space);
            c.putInt(0, len);
            c.putInt(4, 0xffff);
            c.putInt(8, 1);
            for (int i = 0; i < next.rights().size(); i++) {
                Fd r = next.rights().get(i);
                if ((flags & l[3]) != 0 && l[3] != 0) {
                    r.closeOnExec = true;
                }
                c.putInt(l[0] + 4 * i, newFd(r));
            }
            m.putInt(40, space);
        }
        return n;
    }

    /** The Unix socket of {@code fd}: EBADF if none is open, ENOTSOCK (38) for another kind of file. */
    private UnixFd unixSocket(int fd) throws Err {
        Fd f = fds.get(fd);
        if (f == null) {
            throw new Err(EBADF);
        }
        if (!(f instanceof UnixFd u)) {
            throw new Err(38);
        }
        return u;
    }

    /** Whether {@code f} is carried by a message not yet received. */
    private boolean inFlight(Fd f) {
        for (Fd x : fds.values()) {
            if (x instanceof UnixFd u && u.inbox.stream().anyMatch(msg -> msg.rights().contains(f))) {
                return true;
            }
        }
        return false;
    }

    /** The last close of a Unix socket: unbound, the peer sees the end, rights never received are released. */
    private void closeUnix(UnixFd u) {
        u.closed = true;
        if (u.path != null && bound.get(u.path) == u) {
            bound.remove(u.path); // the node stays in the file system until unlinked, as on a real system
        }
        for (UnixFd pending : u.backlog) {
            pending.closed = true;
        }
        List<Fd> carried = new ArrayList<>();
        u.inbox.forEach(msg -> carried.addAll(msg.rights()));
        u.inbox.clear();
        for (Fd r : carried) {
            if (!fds.containsValue(r) && !inFlight(r)) {
                release(r);
            }
        }
    }

    @Override
    public int getsockopt(int fd, int level, int name, long value, long len) {
        return fail(EINVAL);
    }

    // ---- ioctl ------------------------------------------------------------------------------------

    /** A view of {@code size} bytes at {@code address}. */
    static ByteBuffer at(long address, int size) {
        return new Pointer(address).getByteBuffer(0, size).order(ByteOrder.nativeOrder());
    }

    /** Checks that {@code request} is exactly {@code expected}, whose length must be {@code size}. */
    static boolean is(long request, long expected, int size) {
        return request == expected && Ioc.parameterLength(request) == size;
    }

    static String name(ByteBuffer b) {
        int n = 0;
        while (n < 16 && b.get(n) != 0) {
            n++;
        }
        byte[] bytes = new byte[n];
        b.get(0, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    @Override
    public synchronized int ioctl(int fd, long request, long arg) {
        count("ioctl");
        Fd f = fds.get(fd);
        if (f == null) {
            return fail(EBADF);
        }
        try {
            Integer injected = failRequests.get(request);
            if (injected != null) {
                throw new Err(injected);
            }
            if (f instanceof DeviceFd d) {
                deviceIoctl(d, request, arg);
            } else if (f instanceof SocketFd s) {
                socketIoctl(s, request, arg);
            } else {
                otherFdIoctl(f, request, arg);
            }
            pruneRoutes();
            announce();
            notifyAll();
            return 0;
        } catch (Err e) {
            return fail(e.errno);
        }
    }

    Iface iface(ByteBuffer ifreq) throws Err {
        Iface i = interfaces.get(name(ifreq));
        if (i == null) {
            throw new Err(ENXIO);
        }
        return i;
    }

    private void socketIoctl(SocketFd s, long request, long arg) throws Err {
        int ifr = ifreqSize();
        if (s.domain != BsdAbi.AF_INET && s.domain != afInet6()) {
            otherSocketIoctl(s, request, arg);
            return;
        }
        // Interface ioctls on an AF_INET or AF_INET6 datagram socket: sys/net/if.c ifioctl (ifhwioctl on
        // FreeBSD) and the address families' in.c / in6.c of each system; the per-OS limits are the
        // subclasses' (mtuRange, checkPointToPoint).
        if (is(request, abi.siocgifflags, ifr)) {
            ByteBuffer b = at(arg, ifr);
            b.putShort(16, (short) iface(b).flags);
        } else if (is(request, abi.siocsifflags, ifr)) {
            ByteBuffer b = at(arg, ifr);
            Iface i = iface(b);
            int settable = BsdAbi.IFF_UP;
            i.flags = (i.flags & ~settable) | (b.getShort(16) & settable);
        } else if (is(request, abi.siocgifmtu, ifr)) {
            ByteBuffer b = at(arg, ifr);
            b.putInt(16, iface(b).mtu);
        } else if (is(request, abi.siocsifmtu, ifr)) {
            ByteBuffer b = at(arg, ifr);
            Iface i = iface(b);
            int mtu = b.getInt(16);
            int[] range = mtuRange(i);
            if (mtu < range[0] || mtu > range[1]) {
                throw new Err(EINVAL);
            }
            i.mtu = mtu;
        } else if (is(request, abi.siocaifaddr, ifaliasreqSize()) && s.domain == BsdAbi.AF_INET) {
            ByteBuffer b = at(arg, ifaliasreqSize());
            Iface i = iface(b);
            InetAddress local = sockaddr(b, 16);
            InetAddress dst = sockaddr(b, 32);
            int prefix = maskLength(b, 48 + 4, 4);
            if (local == null || b.get(16) != 16) {
                throw new Err(EINVAL); // sin_len must be set (netinet/in.c checks ifra_addr.sin_len)
            }
            checkPointToPoint(i, dst);
            i.addresses.removeIf(a -> a.local().equals(local));
            i.addresses.add(new Addr(local, prefix, (i.flags & BsdAbi.IFF_POINTOPOINT) != 0 ? dst : null));
            addressAdded(i);
        } else if (is(request, abi.siocdifaddr, ifr)) {
            ByteBuffer b = at(arg, ifr);
            Iface i = iface(b);
            InetAddress a = sockaddr(b, 16);
            if (!i.addresses.removeIf(x -> x.local().equals(a))) {
                throw new Err(EADDRNOTAVAIL);
            }
        } else if (is(request, abi.siocaifaddrIn6, in6AliasreqSize())) {
            if (s.domain != afInet6()) {
                throw new Err(EINVAL);
            }
            ByteBuffer b = at(arg, in6AliasreqSize());
            Iface i = iface(b);
            InetAddress local = sockaddr(b, 16);
            InetAddress dst = sockaddr(b, 44);
            int prefix = maskLength(b, 72 + 8, 16);
            int vltime = b.getInt(120);
            int pltime = b.getInt(124);
            if (!(local instanceof Inet6Address) || b.get(16) != 28) {
                throw new Err(EINVAL);
            }
            // KAME netinet6/in6.c in6_update_ifa (FreeBSD, NetBSD, OpenBSD, xnu): a destination needs a /128, a
            // preferred lifetime above the valid one is EINVAL, a new address of valid lifetime 0 is ignored.
            if (dst != null && prefix != 128) {
                throw new Err(EINVAL); // KAME: a destination needs a /128
            }
            if (Integer.compareUnsigned(pltime, vltime) > 0) {
                throw new Err(EINVAL);
            }
            if (vltime == 0) {
                return; // KAME in6_update_ifa: a new address with valid lifetime 0 is ignored, silently
            }
            i.addresses.removeIf(a -> a.local().equals(local));
            i.addresses.add(new Addr(local, prefix, dst));
            addressAdded(i);
        } else if (is(request, BsdAbi.SIOCDIFADDR_IN6, 288)) {
            if (s.domain != afInet6()) {
                throw new Err(EINVAL);
            }
            ByteBuffer b = at(arg, 288);
            Iface i = iface(b);
            InetAddress a = sockaddr(b, 16);
            if (!i.addresses.removeIf(x -> x.local().equals(a))) {
                throw new Err(EADDRNOTAVAIL);
            }
        } else if (abi.siocsiflladdr != 0 && is(request, abi.siocsiflladdr, ifr)) {
            ByteBuffer b = at(arg, ifr);
            Iface i = iface(b);
            if (i.mac == null || b.get(16) != 6 || b.get(17) != BsdAbi.AF_LINK) {
                throw new Err(EINVAL); // if_setlladdr(ifp, sa_data, sa_len): an Ethernet address is 6 bytes
            }
            byte[] mac = new byte[6];
            b.get(18, mac);
            i.mac = mac;
        } else if (is(request, abi.siocifdestroy, ifr)) {
            Iface i = iface(at(arg, ifr));
            if (i.owner != null) {
                throw new Err(EBUSY);
            }
            interfaces.remove(i.name);
            interfaceDestroyed(i);
        } else {
            otherSocketIoctl(s, request, arg);
        }
    }

    /** FreeBSD refuses an IPv4 address without destination on a point-to-point interface; others take it. */
    void checkPointToPoint(Iface i, InetAddress dst) throws Err {
    }

    /** Called after an address was added (NetBSD marks the tun ready). */
    void addressAdded(Iface i) {
    }

    InetAddress sockaddr(ByteBuffer b, int offset) {
        int family = b.get(offset + 1) & 0xff;
        byte[] raw;
        if (family == BsdAbi.AF_INET) {
            raw = new byte[4];
            b.get(offset + 4, raw);
        } else if (family == afInet6()) {
            raw = new byte[16];
            b.get(offset + 8, raw);
        } else {
            return null;
        }
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static int maskLength(ByteBuffer b, int offset, int bytes) {
        int n = 0;
        for (int i = 0; i < bytes; i++) {
            n += Integer.bitCount(b.get(offset + i) & 0xff);
        }
        return n;
    }

    // ---- routing-socket messages ------------------------------------------------------------------

    /** What routing messages report of an interface. */
    private record Snapshot(String name, int flags, int mtu, List<Addr> addresses) {
    }

    private Map<Integer, Snapshot> reported = new HashMap<>();

    /**
     * Another program changes the kernel's state (an address, the MTU, the link, or destroys an interface):
     * the routing sockets hear of it as of any change.
     */
    synchronized void asOtherProgram(Runnable change) {
        change.run();
        pruneRoutes();
        announce();
        notifyAll();
    }

    /**
     * Compares the interfaces with what was last reported and sends the differences to every routing socket,
     * as the kernel does: RTM_DELADDR, RTM_NEWADDR, RTM_IFINFO for flags or MTU, RTM_IFANNOUNCE departure.
     */
    void announce() {
        Map<Integer, Snapshot> now = new HashMap<>();
        for (Iface i : interfaces.values()) {
            now.put(i.index, new Snapshot(i.name, i.flags, i.mtu, List.copyOf(i.addresses)));
        }
        List<byte[]> out = new ArrayList<>();
        for (Map.Entry<Integer, Snapshot> e : reported.entrySet()) {
            Snapshot was = e.getValue();
            Snapshot is = now.get(e.getKey());
            List<Addr> after = is == null ? List.of() : is.addresses();
            for (Addr a : was.addresses()) {
                if (!after.contains(a)) {
                    out.add(addressMessage(false, e.getKey(), a));
                }
            }
            if (is == null) {
                out.add(departureMessage(e.getKey(), was.name()));
                continue;
            }
            for (Addr a : after) {
                if (!was.addresses().contains(a)) {
                    out.add(addressMessage(true, e.getKey(), a));
                }
            }
            if (was.flags() != is.flags() || was.mtu() != is.mtu()) {
                out.add(ifInfoMessage(e.getKey(), is));
            }
        }
        reported = now;
        out.removeIf(java.util.Objects::isNull);
        for (Fd f : fds.values()) {
            if (f instanceof SocketFd s && s.domain == BsdAbi.AF_ROUTE) {
                s.messages.addAll(out);
            }
        }
    }

    private ByteBuffer message(int length, int type) {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
        b.putShort(0, (short) length);
        b.put(2, (byte) rtLayout()[1]);
        b.put(3, (byte) type);
        return b;
    }

    private byte[] ifInfoMessage(int index, Snapshot s) {
        int[] l = eventLayout();
        ByteBuffer b = message(l[4], l[2]);
        if (l[17] >= 0) {
            b.putShort(l[17], (short) l[4]);
        }
        b.putInt(l[6], s.flags());
        b.putShort(l[7], (short) index);
        if (l[9] == 8) {
            b.putLong(l[8], s.mtu());
        } else {
            b.putInt(l[8], s.mtu());
        }
        return b.array();
    }

    private byte[] departureMessage(int index, String name) {
        int[] l = eventLayout();
        if (l[3] < 0) {
            return null; // no RTM_IFANNOUNCE on this OS
        }
        ByteBuffer b = message(l[13], l[3]);
        if (l[17] >= 0) {
            b.putShort(l[17], (short) l[13]);
        }
        b.putShort(l[14], (short) index);
        b.putShort(l[15], (short) 1); // IFAN_DEPARTURE
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        b.put(l[16], n);
        return b.array();
    }

    /** RTM_NEWADDR/RTM_DELADDR: header, then RTA_NETMASK, RTA_IFA and (with a destination) RTA_BRD. */
    private byte[] addressMessage(boolean added, int index, Addr a) {
        int[] l = eventLayout();
        int align = rtLayout()[4];
        boolean v6 = a.local() instanceof Inet6Address;
        int saLen = v6 ? 28 : 16;
        int step = (saLen + align - 1) / align * align;
        int count = a.destination() != null ? 3 : 2;
        ByteBuffer b = message(l[10] + count * step, added ? l[0] : l[1]);
        if (l[17] >= 0) {
            b.putShort(l[17], (short) l[10]);
        }
        b.putInt(l[11], 0x4 | 0x20 | (a.destination() != null ? 0x80 : 0));
        b.putShort(l[12], (short) index);
        int at = l[10];
        byte[] mask = new byte[v6 ? 16 : 4];
        for (int i = 0; i < mask.length; i++) {
            int bits = Math.max(0, Math.min(8, a.prefix() - 8 * i));
            mask[i] = (byte) (bits == 0 ? 0 : 0xff << (8 - bits));
        }
        putSockaddr(b, at, v6, mask);
        putSockaddr(b, at + step, v6, a.local().getAddress());
        if (a.destination() != null) {
            putSockaddr(b, at + 2 * step, v6, a.destination().getAddress());
        }
        return b.array();
    }

    private void putSockaddr(ByteBuffer b, int at, boolean v6, byte[] raw) {
        b.put(at, (byte) (v6 ? 28 : 16));
        b.put(at + 1, (byte) (v6 ? afInet6() : BsdAbi.AF_INET));
        b.put(at + (v6 ? 8 : 4), raw);
    }

    // ---- getifaddrs -----------------------------------------------------------------------------

    @Override
    public synchronized int getifaddrs(long result) {
        List<Iface> list = new ArrayList<>(interfaces.values());
        int entries = 0;
        for (Iface i : list) {
            entries += 1 + i.addresses.size();
        }
        int entrySize = 56 + 16 + 3 * 28 + 40; // struct, name, three sockaddrs, sockaddr_dl
        Memory m = new Memory(Math.max(1, entries) * (long) entrySize);
        m.clear();
        long base = Pointer.nativeValue(m);
        long previous = 0;
        int slot = 0;
        for (Iface i : list) {
            List<Object> items = new ArrayList<>();
            items.add(i);
            items.addAll(i.addresses);
            for (Object item : items) {
                long e = base + (long) slot++ * entrySize;
                long nameAt = e + 56;
                long addrAt = nameAt + 16;
                long maskAt = addrAt + 28;
                long dstAt = maskAt + 28;
                Pointer p = new Pointer(e);
                p.setString(56, i.name, "US-ASCII");
                p.setLong(8, nameAt);
                p.setInt(16, i.flags);
                if (item instanceof Iface) {
                    // sockaddr_dl: len, family, index, type, nlen, alen, slen, data = name + address.
                    byte[] nm = i.name.getBytes(StandardCharsets.US_ASCII);
                    byte[] mac = i.mac == null ? new byte[0] : i.mac;
                    Pointer dl = new Pointer(addrAt);
                    dl.setByte(0, (byte) (8 + nm.length + mac.length));
                    dl.setByte(1, (byte) BsdAbi.AF_LINK);
                    dl.setShort(2, (short) i.index);
                    dl.setByte(5, (byte) nm.length);
                    dl.setByte(6, (byte) mac.length);
                    dl.write(8, nm, 0, nm.length);
                    dl.write(8 + nm.length, mac, 0, mac.length);
                    p.setLong(24, addrAt);
                } else {
                    Addr a = (Addr) item;
                    ByteBuffer sa = at(addrAt, 28 * 3);
                    io.tuntap.bsd.jna.Sockaddrs.put(sa, 0, abi, a.local());
                    if (a.local() instanceof Inet6Address) {
                        io.tuntap.bsd.jna.Sockaddrs.putIn6Mask(sa, 28, abi, a.prefix());
                    } else {
                        io.tuntap.bsd.jna.Sockaddrs.putInMask(sa, 28, a.prefix());
                    }
                    p.setLong(24, addrAt);
                    p.setLong(32, maskAt);
                    if (a.destination() != null) {
                        io.tuntap.bsd.jna.Sockaddrs.put(sa, 56, abi, a.destination());
                        p.setLong(40, dstAt);
                    }
                }
                if (previous != 0) {
                    new Pointer(previous).setLong(0, e);
                }
                previous = e;
            }
        }
        ifaddrLists.put(base, m);
        new Pointer(result).setLong(0, entries == 0 ? 0 : base);
        return 0;
    }

    @Override
    public synchronized void freeifaddrs(long ifaddrs) {
        Memory m = ifaddrLists.remove(ifaddrs);
        if (m != null) {
            m.close();
        }
    }

    /** Lists still allocated by getifaddrs: a leak if non-zero after a call returns. */
    synchronized int openIfaddrLists() {
        return ifaddrLists.size();
    }

    // ---- helpers for the framing rules ------------------------------------------------------------

    /** The 4-byte big-endian family header followed by {@code packet}. */
    static byte[] withHeader(int family, byte[] packet) {
        byte[] out = new byte[4 + packet.length];
        ByteBuffer.wrap(out).putInt(family).put(packet);
        return out;
    }

    /** The family for a packet's version nibble on this OS, or -1. */
    int familyOf(byte[] packet) {
        if (packet.length == 0) {
            return -1;
        }
        return switch ((packet[0] & 0xf0) >> 4) {
            case 4 -> BsdAbi.AF_INET;
            case 6 -> afInet6();
            default -> -1;
        };
    }

    static int headerFamily(byte[] bytes) {
        return ByteBuffer.wrap(bytes).getInt(0);
    }

    static byte[] afterHeader(byte[] bytes) {
        return Arrays.copyOfRange(bytes, 4, bytes.length);
    }

    /** The interface of {@code name}, or null. */
    synchronized Iface get(String name) {
        return interfaces.get(name);
    }

    /** The number of open fds. */
    synchronized int openFds() {
        return fds.size();
    }
}
