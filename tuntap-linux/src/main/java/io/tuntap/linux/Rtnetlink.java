// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import static io.tuntap.linux.jna.Rtnl.IFA_ADDRESS;
import static io.tuntap.linux.jna.Rtnl.IFA_LOCAL;
import static io.tuntap.linux.jna.Rtnl.IFLA_ADDRESS;
import static io.tuntap.linux.jna.Rtnl.IFLA_IFNAME;
import static io.tuntap.linux.jna.Rtnl.IFLA_MTU;
import static io.tuntap.linux.jna.Rtnl.NLMSGHDR_SIZE;
import static io.tuntap.linux.jna.Rtnl.NLMSG_DONE;
import static io.tuntap.linux.jna.Rtnl.NLMSG_ERROR;
import static io.tuntap.linux.jna.Rtnl.NLM_F_ACK;
import static io.tuntap.linux.jna.Rtnl.NLM_F_CREATE;
import static io.tuntap.linux.jna.Rtnl.NLM_F_DUMP;
import static io.tuntap.linux.jna.Rtnl.NLM_F_EXCL;
import static io.tuntap.linux.jna.Rtnl.NLM_F_REQUEST;
import static io.tuntap.linux.jna.Rtnl.RTATTR_SIZE;
import static io.tuntap.linux.jna.Rtnl.RTM_DELADDR;
import static io.tuntap.linux.jna.Rtnl.RTM_GETADDR;
import static io.tuntap.linux.jna.Rtnl.RTM_GETLINK;
import static io.tuntap.linux.jna.Rtnl.RTM_NEWADDR;
import static io.tuntap.linux.jna.Rtnl.RTM_NEWLINK;
import static io.tuntap.linux.jna.Rtnl.RTM_SETLINK;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.DeviceAddress;
import io.tuntap.IpPrefix;
import io.tuntap.TunTapException;
import io.tuntap.linux.jna.Errno;
import io.tuntap.linux.jna.LinuxLibC;
import io.tuntap.linux.jna.Rtnl;
import io.tuntap.linux.jna.Sys;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A NETLINK_ROUTE socket and the few requests the backend makes: read a link, set MTU, flags and MAC, and
 * list, add and remove addresses. This replaces running {@code ip}: one request and one acknowledgement per
 * change, with the kernel's errno.
 *
 * <p>The socket belongs to the network namespace of the thread that opened it, so a device configures the
 * namespace it was created in, whichever thread calls. Not thread-safe: the device serialises calls.
 *
 * <p>This class builds requests and exchanges them; {@link RtnetlinkReplies} takes the replies apart.
 */
final class Rtnetlink implements AutoCloseable {
    private static final int BUFFER_SIZE = 64 * 1024;

    private final LinuxLibC libc;
    private final int fd;
    private final Memory memory = new Memory(BUFFER_SIZE);
    private final ByteBuffer buf = memory.getByteBuffer(0, BUFFER_SIZE).order(ByteOrder.nativeOrder());
    private int sequence;
    private boolean closed;

    private Rtnetlink(LinuxLibC libc, int fd) {
        this.libc = libc;
        this.fd = fd;
    }

    /** Opens a NETLINK_ROUTE socket in the calling thread's network namespace. */
    static Rtnetlink open(LinuxLibC libc) throws TunTapException {
        int fd = libc.socket(Sys.AF_NETLINK, Sys.SOCK_RAW | Sys.SOCK_CLOEXEC, Rtnl.NETLINK_ROUTE);
        if (fd < 0) {
            int errno = libc.errno();
            throw LinuxErrors.ofCommon("socket(AF_NETLINK, NETLINK_ROUTE)", errno,
                    "cannot open an rtnetlink socket to configure interfaces; the kernel or a seccomp "
                            + "profile forbids it");
        }
        return new Rtnetlink(libc, fd);
    }

    /** The link with this name, or null if there is none in this namespace. */
    LinkInfo link(String name) throws TunTapException {
        begin(RTM_GETLINK, NLM_F_REQUEST);
        putIfinfomsg(0, 0, 0);
        putStringAttribute(IFLA_IFNAME, name);
        List<LinkInfo> found = new ArrayList<>();
        int errno = exchange(found, null);
        if (errno == Errno.ENODEV) {
            return null;
        }
        if (errno != 0) {
            throw LinuxErrors.ofCommon("rtnetlink RTM_GETLINK " + name, errno, "cannot read interface " + name);
        }
        return found.isEmpty() ? null : found.get(0);
    }

    /** The link with this index, or null if there is none. */
    LinkInfo link(int index) throws TunTapException {
        begin(RTM_GETLINK, NLM_F_REQUEST);
        putIfinfomsg(index, 0, 0);
        List<LinkInfo> found = new ArrayList<>();
        int errno = exchange(found, null);
        if (errno == Errno.ENODEV) {
            return null;
        }
        if (errno != 0) {
            throw LinuxErrors.ofCommon("rtnetlink RTM_GETLINK #" + index, errno, "cannot read interface #" + index);
        }
        return found.isEmpty() ? null : found.get(0);
    }

    /** Every link in this namespace. */
    List<LinkInfo> links() throws TunTapException {
        begin(RTM_GETLINK, (short) (NLM_F_REQUEST | NLM_F_DUMP));
        putIfinfomsg(0, 0, 0);
        List<LinkInfo> found = new ArrayList<>();
        int errno = exchange(found, null);
        if (errno != 0) {
            throw LinuxErrors.ofCommon("rtnetlink RTM_GETLINK (dump)", errno, "cannot list the interfaces");
        }
        return found;
    }

    /** Sets the MTU; returns 0 or the kernel's errno (EINVAL: out of the device's range). */
    int setMtu(int index, int mtu) throws TunTapException {
        begin(RTM_SETLINK, (short) (NLM_F_REQUEST | NLM_F_ACK));
        putIfinfomsg(index, 0, 0);
        putIntAttribute(IFLA_MTU, mtu);
        return exchange(null, null);
    }

    /** Sets or clears IFF_UP; returns 0 or the kernel's errno. */
    int setUp(int index, boolean up) throws TunTapException {
        begin(RTM_SETLINK, (short) (NLM_F_REQUEST | NLM_F_ACK));
        putIfinfomsg(index, up ? Rtnl.IFF_UP : 0, Rtnl.IFF_UP);
        return exchange(null, null);
    }

    /** Sets the link-layer address; returns 0 or the kernel's errno. */
    int setMac(int index, byte[] mac) throws TunTapException {
        begin(RTM_SETLINK, (short) (NLM_F_REQUEST | NLM_F_ACK));
        putIfinfomsg(index, 0, 0);
        putBytesAttribute(IFLA_ADDRESS, mac);
        return exchange(null, null);
    }

    /**
     * Adds an address; returns 0 or the kernel's errno (EEXIST: already there). An IPv6 address goes without
     * duplicate address detection, as the BSD backend adds it, so that it can be bound to when this returns.
     */
    int addAddress(int index, DeviceAddress address) throws TunTapException {
        begin(RTM_NEWADDR, (short) (NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL));
        putAddressRequest(index, address, address.local().isIpv4() ? 0 : Rtnl.IFA_F_NODAD);
        return exchange(null, null);
    }

    /** Removes an address; returns 0 or the kernel's errno (EADDRNOTAVAIL: not there). */
    int removeAddress(int index, DeviceAddress address) throws TunTapException {
        begin(RTM_DELADDR, (short) (NLM_F_REQUEST | NLM_F_ACK));
        putAddressRequest(index, address, 0);
        return exchange(null, null);
    }

    /** Every IPv4 and IPv6 address on the interface. */
    List<DeviceAddress> addresses(int index) throws TunTapException {
        begin(RTM_GETADDR, (short) (NLM_F_REQUEST | NLM_F_DUMP));
        buf.put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0).putInt(0); // ifaddrmsg: every family
        List<DeviceAddress> found = new ArrayList<>();
        int errno = exchange(null, (ifIndex, prefix) -> {
            if (ifIndex == index) {
                found.add(prefix);
            }
        });
        if (errno != 0) {
            throw LinuxErrors.ofCommon("rtnetlink RTM_GETADDR", errno, "cannot list the addresses of interface #" + index);
        }
        return found;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            libc.close(fd);
            memory.close();
        }
    }

    // ---- building requests -------------------------------------------------------------------------

    /** Starts a request: the header, its length patched by {@link #exchange}. Returns the buffer to write the body to. */
    ByteBuffer begin(short type, short flags) {
        buf.clear();
        buf.putInt(0); // nlmsg_len, patched in exchange()
        buf.putShort(type).putShort(flags).putInt(++sequence).putInt(0);
        return buf;
    }

    private void putIfinfomsg(int index, int flags, int change) {
        buf.put((byte) 0).put((byte) 0).putShort((short) 0).putInt(index).putInt(flags).putInt(change);
    }

    private void putAddressRequest(int index, DeviceAddress address, int flags) {
        IpPrefix prefix = address.local();
        byte[] local = prefix.address().getAddress();
        buf.put((byte) (prefix.isIpv4() ? Sys.AF_INET : Sys.AF_INET6)).put((byte) prefix.prefixLength())
                .put((byte) flags).put((byte) 0).putInt(index);
        // As iproute2 does: IFA_LOCAL is the interface's own address and IFA_ADDRESS the peer; without a peer
        // both are the local address, and the prefix is on-link.
        putBytesAttribute(IFA_LOCAL, local);
        putBytesAttribute(IFA_ADDRESS, address.peer().map(InetAddress::getAddress).orElse(local));
    }

    void putIntAttribute(short type, int value) {
        buf.putShort((short) (RTATTR_SIZE + 4)).putShort(type).putInt(value);
    }

    void putBytesAttribute(short type, byte[] value) {
        buf.putShort((short) (RTATTR_SIZE + value.length)).putShort(type).put(value);
        align();
    }

    private void putStringAttribute(short type, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        buf.putShort((short) (RTATTR_SIZE + bytes.length + 1)).putShort(type).put(bytes).put((byte) 0);
        align();
    }

    private void align() {
        while ((buf.position() & 3) != 0) {
            buf.put((byte) 0);
        }
    }

    // ---- exchanging --------------------------------------------------------------------------------

    /** Receives one address from an RTM_NEWADDR message. */
    interface AddressSink {
        void accept(int index, DeviceAddress address);
    }

    /** Receives one reply message: its type, and its body from {@code start} (after the header) to {@code end}. */
    interface MessageSink {
        /**
         * @return false to stop reading (a single answer that is not part of a dump)
         */
        boolean accept(ByteBuffer buf, int type, int start, int end);
    }

    /**
     * Sends the request being built and reads replies until the acknowledgement, error or end of dump.
     *
     * @return 0, or the positive errno the kernel answered with
     */
    private int exchange(List<LinkInfo> links, AddressSink addresses) throws TunTapException {
        return exchange((b, type, start, end) -> {
            if (type == RTM_NEWLINK && links != null) {
                LinkInfo link = RtnetlinkReplies.parseLink(b, start, end);
                if (link != null) {
                    links.add(link);
                }
                return (b.getShort(start - NLMSGHDR_SIZE + 6) & Rtnl.NLM_F_MULTI) != 0;
            } else if (type == RTM_NEWADDR && addresses != null) {
                RtnetlinkReplies.parseAddress(b, start, end, addresses);
            }
            return true;
        });
    }

    /**
     * Sends the request being built and passes each reply of its sequence number that is neither an error nor
     * the end of a dump to {@code sink}, until the acknowledgement, error or end of dump.
     *
     * @return 0, or the positive errno the kernel answered with
     */
    int exchange(MessageSink sink) throws TunTapException {
        int length = buf.position();
        buf.putInt(0, length);
        int seq = buf.getInt(8);
        long sent = libc.send(fd, Pointer.nativeValue(memory), length, 0);
        if (sent < 0) {
            int errno = libc.errno();
            throw LinuxErrors.ofCommon("send(rtnetlink)", errno, "the kernel did not take the request");
        }
        while (true) {
            long n = libc.recv(fd, Pointer.nativeValue(memory), BUFFER_SIZE, 0);
            if (n < 0) {
                int errno = libc.errno();
                if (errno == Errno.EINTR) {
                    continue;
                }
                throw LinuxErrors.ofCommon("recv(rtnetlink)", errno, "no answer from the kernel");
            }
            int errno = replies(buf, (int) n, seq, sink);
            if (errno != MORE) {
                return errno;
            }
        }
    }

    /** What {@link #replies} returns when the datagram did not end the answer: read the next one. */
    static final int MORE = -1;

    /**
     * Walks the messages of one received datagram, the first {@code n} bytes of {@code buf}, and passes each
     * message of sequence number {@code seq} that is neither an error nor the end of a dump to {@code sink}.
     *
     * @return 0 or the positive errno the kernel answered with once the answer is complete, or {@link #MORE}
     * @throws TunTapException if a message's length does not fit the datagram, or an error message is not one the
     *     kernel sends (its {@code struct nlmsgerr} cut short, or an error that is not 0 or a negated errno)
     */
    static int replies(ByteBuffer buf, int n, int seq, MessageSink sink) throws TunTapException {
        int offset = 0;
        while (offset + NLMSGHDR_SIZE <= n) {
            int msgLength = buf.getInt(offset);
            short type = buf.getShort(offset + 4);
            int msgSeq = buf.getInt(offset + 8);
            // Compared with what is left: offset + msgLength can overflow an int.
            if (msgLength < NLMSGHDR_SIZE || msgLength > n - offset) {
                throw LinuxErrors.malformedNetlink(msgLength, offset, n);
            }
            if (msgSeq == seq) {
                int body = offset + NLMSGHDR_SIZE;
                if (type == NLMSG_ERROR) {
                    // struct nlmsgerr begins with int error: 0 (the acknowledgement) or a negated errno.
                    int error = msgLength >= NLMSGHDR_SIZE + 4 ? buf.getInt(body) : 1;
                    if (error > 0 || error == Integer.MIN_VALUE) {
                        throw LinuxErrors.malformedNetlink(msgLength, offset, n);
                    }
                    return -error;
                } else if (type == NLMSG_DONE) {
                    return 0;
                } else if (!sink.accept(buf, type, body, offset + msgLength)) {
                    return 0;
                }
            }
            offset += align4(msgLength);
        }
        return MORE;
    }

    private static int align4(int n) {
        return (n + 3) & ~3;
    }
}
