// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import static io.tuntap.bsd.jna.BsdErrno.EBUSY;
import static io.tuntap.bsd.jna.BsdErrno.EINVAL;
import static io.tuntap.bsd.jna.BsdErrno.ENOENT;
import static io.tuntap.bsd.jna.BsdErrno.ENOTTY;
import static io.tuntap.bsd.jna.BsdErrno.ENXIO;
import static io.tuntap.bsd.jna.BsdErrno.EPERM;

import com.sun.jna.Pointer;
import io.tuntap.bsd.jna.BsdAbi;
import io.tuntap.bsd.jna.CtlInfo;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * macOS utun as in xnu bsd/net/if_utun.c: a PF_SYSTEM control socket finds {@code com.apple.net.utun_control}
 * with CTLIOCGINFO; connect with {@code sc_unit} 0 takes the next free unit and N + 1 makes utunN (EBUSY if it
 * exists); only root may connect; UTUN_OPT_IFNAME gives the name; every packet carries the 4-byte header (a
 * header of family 0 is dropped); closing the socket destroys the interface. No /dev/tun or /dev/tap.
 *
 * <p>TAP is a {@code feth} pair read and written through {@code /dev/bpfN}, as xnu's sources (tag
 * xnu-11417.101.15, commit e3723e1f) say; each handler below names the function it follows. Requests are
 * recognised by numbers written out here by hand from the headers' {@code _IOW}/{@code _IOWR} definitions.
 */
final class FakeDarwin extends FakeKernel {
    static final int UTUN_CONTROL_ID = 0x0000beef;
    /** bsd/sys/errno.h: EOPNOTSUPP. */
    static final int EOPNOTSUPP = 102;
    /** bsd/sys/sockio.h SIOCSDRVSPEC _IOW('i', 123, struct ifdrv), ifdrv 40 bytes on LP64 (bsd/net/if.h, pack(4)). */
    static final long SIOCSDRVSPEC = 0x8028697bL;
    /** bsd/net/bpf.h BIOCSBLEN _IOWR('B', 102, u_int). */
    static final long BIOCSBLEN = 0xc0044266L;
    /** bsd/net/bpf.h BIOCSETIF _IOW('B', 108, struct ifreq). */
    static final long BIOCSETIF = 0x8020426cL;
    /** bsd/net/bpf.h BIOCIMMEDIATE _IOW('B', 112, u_int). */
    static final long BIOCIMMEDIATE = 0x80044270L;
    /** bsd/net/bpf.h BIOCSHDRCMPLT _IOW('B', 117, u_int). */
    static final long BIOCSHDRCMPLT = 0x80044275L;
    /** bsd/net/bpf.h BIOCSSEESENT _IOW('B', 119, u_int). */
    static final long BIOCSSEESENT = 0x80044277L;
    /** bsd/net/bpf.c: BPF_BUFSIZE, a new descriptor's buffer. */
    static final int BPF_BUFSIZE = 4096;
    /** bsd/net/bpf.h BPF_MINBUFSIZE. */
    static final int BPF_MINBUFSIZE = 32;
    /** The cap bpfioctl BIOCSBLEN clamps to (copysize_limit_panic / 2): its value is untraced; any large one. */
    static final int BPF_BUFSIZE_CAP = 32 * 1024 * 1024;
    /** if_fake.c: FETH_MAX_MTU_DEFAULT 2048, what get_max_mtu gives in BSD mode (the default). */
    static final int FETH_MAX_MTU = 2048;

    /** A /dev/bpfN descriptor (bsd/net/bpfdesc.h struct bpf_d, what this fake needs of it). */
    final class BpfFd extends Fd {
        final int minor;
        int bufsize = BPF_BUFSIZE;
        Iface bound;
        boolean immediate;
        boolean hdrcmplt;
        /** BPF_D_INOUT until BIOCSSEESENT 0 makes it BPF_D_IN. */
        boolean seeSent = true;
        /** Packets the interface sent, captured because of {@link #seeSent}. */
        final ArrayDeque<byte[]> sent = new ArrayDeque<>();
        /** Records read so far, for tests. */
        int reads;

        BpfFd(int minor) {
            this.minor = minor;
        }
    }

    /** The open BPF descriptors by minor; bpfopen allows one open per minor. */
    final java.util.Map<Integer, BpfFd> bpfMinors = new java.util.HashMap<>();
    /** The nodes devfs has: bpf_make_dev_t adds one when the last is opened (4 at start, as bpf_init's NBPFILTER). */
    int bpfNodes = 4;
    /** The other end of each peered feth. */
    final java.util.Map<Iface, Iface> peers = new java.util.HashMap<>();

    FakeDarwin() {
        super(BsdAbi.DARWIN);
    }

    /**
     * apple-oss-distributions/xnu e3723e1f bsd/sys/event.h lines 92-103: struct kevent { uintptr_t ident; int16_t
     * filter; uint16_t flags; uint32_t fflags; intptr_t data; void *udata; } under #pragma pack(4), 32 bytes;
     * EVFILT_READ (-1), EVFILT_WRITE (-2); no kqueue1 declared.
     */
    @Override
    int[] keventLayout() {
        return new int[] {32, -1, -2, 0};
    }

    /** bsd/kern/kern_event.c kevent_internal, lines 8189-8205: a failed change with no room goes on. */
    @Override
    boolean keventGoesOnAfterAnError() {
        return true;
    }

    @Override
    int afInet6() {
        return 30;
    }

    @Override
    int[] eventLayout() {
        return new int[] {0xc, 0xd, 0xe, -1, 112, 4, 8, 12, 24, 4, 20, 4, 12, 0, -1, -1, -1, -1};
    }

    @Override
    int[] rtLayout() {
        return new int[] {92, 5, 8, 12, 4, 4, -1, -1};
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

    @Override
    Iface openNode(String path) throws Err {
        throw new Err(ENOENT);
    }

    @Override
    void lastClose(Iface iface) {
    }

    @Override
    void deviceIoctl(DeviceFd fd, long request, long arg) throws Err {
        throw new Err(ENOTTY);
    }

    @Override
    int otherSocket(int domain, int type, int protocol) {
        if (domain == CtlInfo.AF_SYSTEM && type == BsdAbi.SOCK_DGRAM && protocol == CtlInfo.SYSPROTO_CONTROL) {
            return addSocket(new SocketFd(domain, protocol));
        }
        return super.otherSocket(domain, type, protocol);
    }

    @Override
    void otherSocketIoctl(SocketFd socket, long request, long arg) throws Err {
        if (socket.domain == CtlInfo.AF_SYSTEM && is(request, abi.ctliocginfo, 100)) {
            ByteBuffer b = at(arg, 100);
            byte[] n = new byte[96];
            b.get(4, n);
            String name = new String(n, StandardCharsets.US_ASCII).replace("\0", "");
            if (!name.equals(CtlInfo.UTUN_CONTROL_NAME)) {
                throw new Err(ENOENT);
            }
            b.putInt(0, UTUN_CONTROL_ID);
            return;
        }
        if (is(request, 0xc0206978L, 32) || is(request, 0xc020697aL, 32)) {
            // bsd/sys/sockio.h SIOCIFCREATE _IOWR('i', 120, ifreq), SIOCIFCREATE2 _IOWR('i', 122, ifreq);
            // bsd/net/if.c ifioctl: root only; if_clone_create: unknown cloner (utun is none) EINVAL, an existing
            // name EEXIST, the bare cloner name takes the lowest free unit and is written back.
            if (!root) {
                throw new Err(EPERM);
            }
            ByteBuffer b = at(arg, 32);
            String name = name(b);
            int unit = unitOf("feth", name);
            if (!name.equals("feth") && unit < 0) {
                throw new Err(EINVAL);
            }
            if (name.equals("feth")) {
                name = freeUnit("feth");
                unit = unitOf("feth", name);
            }
            Iface i = createInterface(name, "feth");
            // if_fake.c feth_ifnet_set_attrs: ETHERMTU, IFF_BROADCAST | IFF_MULTICAST | IFF_SIMPLEX (0x800);
            // feth_clone_create: the MAC is "feth" followed by the unit's two bytes.
            i.flags = BsdAbi.IFF_BROADCAST | BsdAbi.IFF_MULTICAST | 0x800;
            i.mac = new byte[] {'f', 'e', 't', 'h', (byte) (unit >> 8), (byte) unit};
            for (int k = 0; k < 16; k++) {
                b.put(k, k < name.length() ? (byte) name.charAt(k) : 0);
            }
            return;
        }
        if (is(request, SIOCSDRVSPEC, 40)) {
            drvspec(at(arg, 40));
            return;
        }
        throw new Err(ENOTTY);
    }

    /**
     * if_fake.c feth_ioctl SIOCSDRVSPEC64 (root only, proc_suser), feth_set_drvspec, if_fake_request_copyin,
     * feth_config.
     */
    private void drvspec(ByteBuffer ifdrv) throws Err {
        Iface i = iface(ifdrv); // ifioctl: ENXIO for no such interface
        if (!i.driver.equals("feth")) {
            throw new Err(EOPNOTSUPP); // another driver's ioctl does not know the feth commands
        }
        if (!root) {
            throw new Err(EPERM);
        }
        long cmd = ifdrv.getLong(16);
        long len = ifdrv.getLong(24);
        long data = ifdrv.getLong(32);
        if (cmd != 1) {
            throw new Err(cmd == 2 || cmd == 3 ? EINVAL : EOPNOTSUPP); // SET_MEDIA and DEQUEUE_STALL not modelled
        }
        // if_fake_request_copyin: a null pointer or less than sizeof(struct if_fake_request) (160) is EINVAL, and
        // so are non-zero reserved words.
        if (data == 0 || len < 160) {
            throw new Err(EINVAL);
        }
        ByteBuffer req = at(data, 160);
        for (int k = 0; k < 4; k++) {
            if (req.getLong(8 * k) != 0) {
                throw new Err(EINVAL);
            }
        }
        ByteBuffer peerName = at(data + 32, 16);
        if (peerName.get(0) == 0) {
            unpeer(i); // feth_config(ifp, NULL)
            return;
        }
        Iface peer = interfaces.get(name(peerName));
        if (peer == null) {
            throw new Err(ENXIO);
        }
        if (!peer.driver.equals("feth")) {
            throw new Err(EINVAL); // ifnet_type != IFT_ETHER, or ifnet_name != "feth"
        }
        if (peers.containsKey(i) || peers.containsKey(peer)) {
            throw new Err(EBUSY); // feth_config: either end has a peer already
        }
        peers.put(i, peer);
        peers.put(peer, i);
    }

    private void unpeer(Iface i) {
        Iface other = peers.remove(i);
        if (other != null) {
            peers.remove(other);
        }
    }

    /** if_fake.c feth_clone_destroy: feth_config(ifp, NULL) first; BPF descriptors lose the interface. */
    @Override
    void interfaceDestroyed(Iface i) {
        unpeer(i);
        for (BpfFd b : bpfMinors.values()) {
            if (b.bound == i) {
                b.bound = null;
            }
        }
    }

    /** bsd/net/bpf.c bpfopen: one open per minor (EBUSY), root only (devfs node 0600 root), ENOENT past the nodes. */
    @Override
    public synchronized int open(String path, int flags) {
        if (!path.startsWith("/dev/bpf")) {
            return super.open(path, flags);
        }
        int minor = unitOf("/dev/bpf", path);
        if (minor < 0 || minor >= bpfNodes) {
            return setErrno(ENOENT);
        }
        if (!root) {
            return setErrno(io.tuntap.bsd.jna.BsdErrno.EACCES);
        }
        if (bpfMinors.containsKey(minor)) {
            return setErrno(EBUSY);
        }
        if (minor == bpfNodes - 1) {
            bpfNodes++; // bpf_make_dev_t: opening the last node makes the next
        }
        BpfFd f = new BpfFd(minor);
        f.statusFlags = flags & BsdAbi.O_NONBLOCK;
        f.closeOnExec = (flags & 0x1000000) != 0; // bsd/sys/fcntl.h O_CLOEXEC
        bpfMinors.put(minor, f);
        return addFd(f);
    }

    @Override
    public synchronized int close(int fd) {
        if (fds.get(fd) instanceof BpfFd b) {
            bpfMinors.remove(b.minor);
        }
        return super.close(fd);
    }

    /** bsd/net/bpf.c bpfioctl. */
    @Override
    void otherFdIoctl(Fd f, long request, long arg) throws Err {
        if (!(f instanceof BpfFd b)) {
            throw new Err(ENOTTY);
        }
        if (is(request, BIOCSBLEN, 4)) {
            if (b.bound != null) {
                throw new Err(EINVAL); // "Interface already attached, unable to change buffers"
            }
            ByteBuffer v = at(arg, 4);
            long size = v.getInt(0) & 0xffffffffL;
            b.bufsize = (int) Math.max(BPF_MINBUFSIZE, Math.min(BPF_BUFSIZE_CAP, size));
            v.putInt(0, b.bufsize); // a read/write ioctl: the size taken goes back
        } else if (is(request, BIOCSETIF, 32)) {
            Iface i = interfaces.get(name(at(arg, 32)));
            if (i == null) {
                throw new Err(ENXIO);
            }
            if (!i.driver.equals("feth")) {
                throw new Err(EINVAL); // this fake models only feth's bpfattach (DLT_EN10MB)
            }
            b.bound = i;
            b.sent.clear();
        } else if (is(request, BIOCIMMEDIATE, 4)) {
            b.immediate = at(arg, 4).get(0) != 0; // bd_immediate = *(u_char *)addr
        } else if (is(request, BIOCSHDRCMPLT, 4)) {
            b.hdrcmplt = at(arg, 4).getInt(0) != 0;
        } else if (is(request, BIOCSSEESENT, 4)) {
            b.seeSent = at(arg, 4).getInt(0) != 0; // 0: BPF_D_IN, else BPF_D_INOUT
        } else {
            throw new Err(EINVAL);
        }
    }

    /** What the descriptor's interface received: what its peer sent (feth_output_common taps it in on the peer). */
    private ArrayDeque<byte[]> incoming(BpfFd b) {
        Iface peer = b.bound == null ? null : peers.get(b.bound);
        return peer == null ? new ArrayDeque<>() : peer.toUser;
    }

    /**
     * bsd/net/bpf.c bpfread: the count must equal the buffer size (EINVAL); with nothing captured, a non-blocking
     * read is EWOULDBLOCK, and a descriptor without interface ENXIO. catchpacket: records of bpf_hdr (timeval32,
     * caplen, datalen, hdrlen 18 for Ethernet) and the packet, each starting at BPF_WORDALIGN of the previous end;
     * a packet longer than the buffer is cut.
     */
    @Override
    public synchronized long read(int fd, long buf, long count) {
        if (!(fds.get(fd) instanceof BpfFd b)) {
            return super.read(fd, buf, count);
        }
        if (count != b.bufsize) {
            return setErrno(EINVAL);
        }
        ArrayDeque<byte[]> in = incoming(b);
        if (in.isEmpty() && b.sent.isEmpty()) {
            if (b.bound == null) {
                return setErrno(ENXIO);
            }
            return setErrno(io.tuntap.bsd.jna.BsdErrno.EAGAIN);
        }
        ByteBuffer out = at(buf, b.bufsize);
        int slen = 0;
        while (true) {
            ArrayDeque<byte[]> q = !b.sent.isEmpty() ? b.sent : in;
            byte[] p = q.peekFirst();
            if (p == null) {
                break;
            }
            int cur = (slen + 3) & ~3;
            int total = Math.min(18 + p.length, b.bufsize);
            if (cur + total > b.bufsize) {
                break;
            }
            q.pollFirst();
            out.putInt(cur, 0).putInt(cur + 4, 0);
            out.putInt(cur + 8, total - 18);
            out.putInt(cur + 12, p.length);
            out.putShort(cur + 16, (short) 18);
            out.put(cur + 18, p, 0, total - 18);
            slen = cur + total;
        }
        b.reads++;
        return slen;
    }

    /**
     * bsd/net/bpf.c bpfwrite: ENXIO without interface, ENETDOWN unless it is up; bpf_movein: longer than the MTU +
     * BPF_WRITE_LEEWAY (18) is EMSGSIZE. Without BIOCSHDRCMPLT the Ethernet framer writes the interface's own
     * source address. if_fake.c feth_output: the frame goes to the peer's input, or nowhere without peer.
     */
    @Override
    public synchronized long write(int fd, long buf, long count) {
        if (!(fds.get(fd) instanceof BpfFd b)) {
            return super.write(fd, buf, count);
        }
        if (b.bound == null) {
            return setErrno(ENXIO);
        }
        if (!b.bound.up()) {
            return setErrno(io.tuntap.bsd.jna.BsdErrno.ENETDOWN);
        }
        if (count == 0) {
            return 0;
        }
        if (count > b.bound.mtu + 18) {
            return setErrno(io.tuntap.bsd.jna.BsdErrno.EMSGSIZE);
        }
        byte[] frame = new byte[(int) count];
        new Pointer(buf).read(0, frame, 0, frame.length);
        if (!b.hdrcmplt && frame.length >= 12) {
            System.arraycopy(b.bound.mac, 0, frame, 6, 6);
        }
        if (b.seeSent) {
            b.sent.addLast(frame.clone()); // tapped out on the sending interface
        }
        Iface peer = peers.get(b.bound);
        if (peer != null) {
            peer.fromUser.addLast(frame);
        }
        notifyAll();
        return count;
    }

    /** bsd/net/bpf.c bpfselect: readable when immediate and something is captured (or the buffer is full). */
    @Override
    int readiness(Fd f) {
        if (f instanceof BpfFd b) {
            int captured = 0;
            for (byte[] p : incoming(b)) {
                captured += 20 + p.length;
            }
            for (byte[] p : b.sent) {
                captured += 20 + p.length;
            }
            boolean readable = captured > 0 && (b.immediate || captured >= b.bufsize);
            return BsdAbi.POLLOUT | (readable ? BsdAbi.POLLIN : 0);
        }
        return super.readiness(f);
    }

    /**
     * xnu-11417.101.15 bsd/sys/socket.h:687-721: CMSG_DATA at __DARWIN_ALIGN32(12) = 12 (bsd/i386/_param.h,
     * bsd/arm/_param.h: __DARWIN_ALIGNBYTES32 3), MSG_NOSIGNAL 0x80000 (line 637); no MSG_CMSG_CLOEXEC.
     */
    @Override
    int[] cmsgLayout() {
        return new int[] {12, 4, 0x80000, 0};
    }

    @Override
    public synchronized int connect(int fd, long addr, int len) {
        if (fds.get(fd) instanceof UnixFd) {
            return super.connect(fd, addr, len);
        }
        Fd f = fds.get(fd);
        if (!(f instanceof SocketFd s) || s.domain != CtlInfo.AF_SYSTEM || len != 32) {
            return failWith(EINVAL);
        }
        ByteBuffer b = at(addr, 32);
        if (b.get(0) != 32 || b.get(1) != CtlInfo.AF_SYSTEM || b.getShort(2) != CtlInfo.AF_SYS_CONTROL
                || b.getInt(4) != UTUN_CONTROL_ID) {
            return failWith(EINVAL);
        }
        if (!root) {
            return failWith(EPERM); // CTL_FLAG_PRIVILEGED
        }
        int unit = b.getInt(8);
        String name;
        // apple-oss-distributions/xnu bsd/net/if_utun.c utun_ctl_connect: the interface is "utun" with unit
        // pcb->utun_unit - 1 (sc_unit N + 1 makes utunN). That 0 takes the next free unit is untraced.
        if (unit == 0) {
            name = freeUnit("utun");
        } else {
            name = "utun" + (unit - 1);
            if (get(name) != null) {
                return failWith(EBUSY);
            }
        }
        try {
            Iface i = createInterface(name, "utun");
            i.owner = s;
            s.utun = i;
        } catch (Err e) {
            return failWith(e.errno);
        }
        return 0;
    }

    @Override
    public synchronized int getsockopt(int fd, int level, int name, long value, long len) {
        Fd f = fds.get(fd);
        if (f != null && !(f instanceof SocketFd)) {
            // xnu-11417.101.15 bsd/kern/uipc_syscalls.c getsockopt: file_socket refuses another file with
            // ENOTSOCK (38, bsd/sys/errno.h). An IP socket: ip_ctloutput, EINVAL for a level other than IPPROTO_IP.
            return failWith(38);
        }
        if (!(f instanceof SocketFd s) || s.utun == null || level != CtlInfo.SYSPROTO_CONTROL
                || name != CtlInfo.UTUN_OPT_IFNAME) {
            return failWith(EINVAL);
        }
        byte[] n = (s.utun.name + "\0").getBytes(StandardCharsets.US_ASCII);
        int room = new Pointer(len).getInt(0);
        if (room < n.length) {
            return failWith(EINVAL);
        }
        new Pointer(value).write(0, n, 0, n.length);
        new Pointer(len).setInt(0, n.length);
        return 0;
    }

    private int failWith(int e) {
        return setErrno(e);
    }

    /** xnu bsd/net/if_utun.c utun_framer: the 4-byte family before each packet, in network order; feth: frames. */
    @Override
    byte[] frame(Iface iface, byte[] packet) {
        if (iface.driver.equals("feth")) {
            return peers.containsKey(iface) ? packet : null; // feth_output drops what has no peer
        }
        return withHeader(familyOf(packet), packet);
    }

    @Override
    long deviceWrite(Iface iface, byte[] bytes) throws Err {
        if (bytes.length < 4) {
            throw new Err(EINVAL);
        }
        int family = headerFamily(bytes);
        if ((family == BsdAbi.AF_INET || family == afInet6()) && iface.up()) {
            iface.fromUser.addLast(afterHeader(bytes));
        }
        return bytes.length; // family 0 (or any other) is dropped silently
    }

    @Override
    int[] mtuRange(Iface iface) {
        // xnu bsd/net/if.c ifioctl_ifreq, case SIOCSIFMTU: EINVAL if ifr_mtu < IF_MINMTU (72) or > IF_MAXMTU
        // (65535), bsd/net/if_var.h (apple-oss-distributions/xnu, xnu-11417.101.15).
        // if_fake.c feth_ioctl SIOCSIFMTU: EINVAL above feth_max_mtu (2048 by default) or below IF_MINMTU.
        return iface.driver.equals("feth") ? new int[] {72, FETH_MAX_MTU} : new int[] {72, 65535};
    }
}
