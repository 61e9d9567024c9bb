// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.DeviceAddress;
import io.tuntap.DeviceEvent;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.TunTapException;
import io.tuntap.linux.jna.Errno;
import io.tuntap.linux.jna.LinuxLibC;
import io.tuntap.linux.jna.Rtnl;
import io.tuntap.linux.jna.Sys;
import io.tuntap.posix.EventWatcher;
import io.tuntap.posix.LinkState;
import io.tuntap.spi.EventDispatcher;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Watches one interface for {@link DeviceEvent}s: an rtnetlink socket that joins the link and the IPv4 and
 * IPv6 address multicast groups while someone subscribes, read by one thread per device (none without
 * subscribers).
 *
 * <p>The socket is made when the device opens, so that it belongs to the device's network namespace whatever
 * thread subscribes later; it joins the groups only in {@link #start}. Events are derived by comparing each
 * notification with the last known state (link up, MTU, address set), so a notification that repeats the
 * state reports nothing. The receive buffer is {@value #RECEIVE_BUFFER} bytes ({@code SO_RCVBUFFORCE} where
 * allowed), room for thousands of notifications; if it overflows anyway, the kernel reports
 * {@code ENOBUFS}, and the thread publishes {@link DeviceEvent.EventsLost}, reads the state again and reports
 * the difference, so that the state seen through events always catches up with the kernel's.
 */
final class LinuxEvents implements EventDispatcher.Source {
    private static final System.Logger LOG = System.getLogger("io.tuntap");
    static final int RECEIVE_BUFFER = 8 * 1024 * 1024;
    private static final int READ_SIZE = 64 * 1024;
    private static final int[] GROUPS = {Rtnl.RTNLGRP_LINK, Rtnl.RTNLGRP_IPV4_IFADDR, Rtnl.RTNLGRP_IPV6_IFADDR};

    /** The state events are derived from. */
    record State(boolean up, int mtu, Set<DeviceAddress> addresses) {
    }

    /** Reads the current state of the interface (through the device's own rtnetlink socket). */
    interface StateReader {
        State read() throws TunTapException;
    }

    private final LinuxLibC libc;
    private final int fd;
    private final int index;
    private final String name;
    private final StateReader reader;

    /** The current run of the event thread, or null; guarded by this. */
    private Run current;

    // Touched only by the event thread (and by start before the thread runs).
    private EventDispatcher dispatcher;
    private LinkState linkState;
    private final Set<DeviceAddress> addresses = new LinkedHashSet<>();
    private boolean removed;

    LinuxEvents(LinuxLibC libc, int fd, int index, String name, StateReader reader) {
        this.libc = libc;
        this.fd = fd;
        this.index = index;
        this.name = name;
        this.reader = reader;
    }

    /** Opens the socket, in the calling thread's network namespace, without joining any group yet. */
    static LinuxEvents open(LinuxLibC libc, int index, String name, StateReader reader) throws TunTapException {
        int fd = libc.socket(Sys.AF_NETLINK, Sys.SOCK_RAW | Sys.SOCK_CLOEXEC | Sys.O_NONBLOCK, Rtnl.NETLINK_ROUTE);
        if (fd < 0) {
            int errno = libc.errno();
            throw LinuxErrors.ofCommon("socket(AF_NETLINK, NETLINK_ROUTE)", errno, "cannot open the rtnetlink "
                    + "socket that reports changes of " + name);
        }
        try (Memory address = new Memory(Rtnl.SOCKADDR_NL_SIZE)) {
            address.clear();
            address.setShort(0, (short) Sys.AF_NETLINK);
            if (libc.bind(fd, Pointer.nativeValue(address), Rtnl.SOCKADDR_NL_SIZE) < 0) {
                int errno = libc.errno();
                libc.close(fd);
                throw LinuxErrors.ofCommon("bind(rtnetlink)", errno, "cannot bind the rtnetlink socket that "
                        + "reports changes of " + name);
            }
        }
        return new LinuxEvents(libc, fd, index, name, reader);
    }

    @Override
    public synchronized void start(EventDispatcher target) throws TunTapException {
        drain();
        setReceiveBuffer();
        int wake;
        try {
            for (int group : GROUPS) {
                if (!membership(Rtnl.NETLINK_ADD_MEMBERSHIP, group)) {
                    int errno = libc.errno();
                    throw LinuxErrors.ofCommon("setsockopt(NETLINK_ADD_MEMBERSHIP, " + group + ")", errno,
                            "cannot listen for changes of " + name);
                }
            }
            track(target, reader.read());
            wake = libc.eventfd(0, Sys.EFD_CLOEXEC | Sys.EFD_NONBLOCK);
            if (wake < 0) {
                int errno = libc.errno();
                throw LinuxErrors.ofCommon("eventfd", errno, "cannot create the eventfd that stops the event thread "
                        + "of " + name);
            }
        } catch (TunTapException | RuntimeException e) {
            leaveGroups();
            throw e;
        }
        // The eventfd is the run's wake-up handle: EventWatcher closes it as the thread ends.
        Run run = new Run();
        run.watcher = EventWatcher.start(libc, fd, wake, wake, 8, Errno.EINTR, name, -1, READ_SIZE, run,
                errno -> LinuxErrors.ofCommon("poll(rtnetlink)", errno, "the event thread of " + name
                        + " cannot wait for notifications"));
        current = run;
    }

    /** Takes {@code s} as the last known state, from which notifications to {@code target} are derived. */
    void track(EventDispatcher target, State s) {
        dispatcher = target;
        linkState = new LinkState(s.up(), s.mtu());
        addresses.clear();
        addresses.addAll(s.addresses());
        removed = false;
    }

    @Override
    public void stop() {
        Run run;
        synchronized (this) {
            run = current;
            current = null;
        }
        if (run != null) {
            run.watcher.stop(); // outside this lock: the thread's end takes it (Run.ended)
        }
    }

    /** Closes the socket; for the device's close, after {@link #stop()}. */
    void close() {
        stop();
        libc.close(fd);
    }

    /** The socket's side of one run: reads the notifications. */
    private final class Run implements EventWatcher.Handler {
        /** Set by start, under the lock the thread's end takes too. */
        private EventWatcher watcher;

        @Override
        public boolean readable(long buffer, ByteBuffer view) throws TunTapException {
            long n = libc.recv(fd, buffer, READ_SIZE, Sys.MSG_DONTWAIT);
            if (n > 0) {
                handle(view, (int) n);
                return true;
            }
            int errno = n < 0 ? libc.errno() : Errno.EAGAIN;
            if (errno == Errno.ENOBUFS) {
                // The receive buffer overflowed: notifications were lost. Read the state again.
                resync();
            } else if (errno != Errno.EAGAIN && errno != Errno.EINTR) {
                throw LinuxErrors.ofCommon("recv(rtnetlink)", errno, "the event thread of " + name
                        + " cannot read notifications");
            }
            return true;
        }

        @Override
        public void ended() {
            synchronized (LinuxEvents.this) {
                if (current == this) {
                    current = null; // stopped by an error, not by stop()
                }
                if (current == null) {
                    leaveGroups();
                }
            }
        }
    }

    /** Handles every message of one datagram, the first {@code length} bytes of {@code b}. */
    void handle(ByteBuffer b, int length) throws TunTapException {
        int offset = 0;
        while (offset + Rtnl.NLMSGHDR_SIZE <= length) {
            int msgLength = b.getInt(offset);
            // Compared with what is left: offset + msgLength can overflow an int.
            if (msgLength < Rtnl.NLMSGHDR_SIZE || msgLength > length - offset) {
                return;
            }
            short type = b.getShort(offset + 4);
            int body = offset + Rtnl.NLMSGHDR_SIZE;
            int end = offset + msgLength;
            if (type == Rtnl.RTM_NEWLINK || type == Rtnl.RTM_DELLINK) {
                link(b, type, body, end);
            } else if (type == Rtnl.RTM_NEWADDR || type == Rtnl.RTM_DELADDR) {
                address(b, type, body, end);
            } else if (type == Rtnl.NLMSG_ERROR && msgLength >= Rtnl.NLMSGHDR_SIZE + 4
                    && b.getInt(body) == -Errno.ENOBUFS) {
                resync();
            }
            offset += (msgLength + 3) & ~3;
        }
    }

    private void link(ByteBuffer b, short type, int body, int end) {
        if (removed || end - body < Rtnl.IFINFOMSG_SIZE || b.getInt(body + 4) != index) {
            return;
        }
        if (type == Rtnl.RTM_DELLINK) {
            removed = true;
            publish(new DeviceEvent.Removed());
            return;
        }
        boolean nowUp = (b.getInt(body + 8) & Rtnl.IFF_UP) != 0;
        int[] newMtu = {linkState.mtu()};
        NetlinkAttributes.forEach(b, body + Rtnl.IFINFOMSG_SIZE, end, (attr, data, len) -> {
            if (attr == Rtnl.IFLA_MTU && len >= 4) {
                newMtu[0] = b.getInt(data);
            }
        });
        linkState.update(nowUp, newMtu[0], dispatcher);
    }

    private void address(ByteBuffer b, short type, int body, int end) {
        if (removed || end - body < Rtnl.IFADDRMSG_SIZE || b.getInt(body + 4) != index) {
            return;
        }
        int family = b.get(body) & 0xff;
        int prefixLength = b.get(body + 1) & 0xff;
        byte[][] attrs = new byte[2][];
        NetlinkAttributes.forEach(b, body + Rtnl.IFADDRMSG_SIZE, end, (attr, data, len) -> {
            if (attr == Rtnl.IFA_LOCAL) {
                attrs[0] = NetlinkAttributes.bytes(b, data, len);
            } else if (attr == Rtnl.IFA_ADDRESS) {
                attrs[1] = NetlinkAttributes.bytes(b, data, len);
            }
        });
        DeviceAddress a = RtnetlinkReplies.toDeviceAddress(family, prefixLength, attrs[0], attrs[1]);
        if (a == null) {
            return;
        }
        if (type == Rtnl.RTM_NEWADDR) {
            if (addresses.add(a)) {
                publish(new DeviceEvent.AddressAdded(a));
            }
        } else if (addresses.remove(a)) {
            publish(new DeviceEvent.AddressRemoved(a));
        }
    }

    /**
     * Reads the state again after lost notifications and reports what changed, after a
     * {@link DeviceEvent.EventsLost} that says so.
     */
    private void resync() throws TunTapException {
        LOG.log(Level.DEBUG, () -> "tuntap: the event buffer of " + name + " overflowed; reading the state again");
        drain();
        if (!removed) {
            publish(new DeviceEvent.EventsLost("rtnetlink ENOBUFS: the receive buffer of " + name + "'s event "
                    + "socket overflowed and the kernel dropped notifications; the state was read again"));
        }
        State s;
        try {
            s = reader.read();
        } catch (DeviceNotFoundException e) {
            if (!removed) {
                removed = true;
                publish(new DeviceEvent.Removed());
            }
            return;
        }
        linkState.update(s.up(), s.mtu(), dispatcher);
        List<DeviceAddress> gone = new ArrayList<>(addresses);
        gone.removeAll(s.addresses());
        for (DeviceAddress a : gone) {
            addresses.remove(a);
            publish(new DeviceEvent.AddressRemoved(a));
        }
        for (DeviceAddress a : s.addresses()) {
            if (addresses.add(a)) {
                publish(new DeviceEvent.AddressAdded(a));
            }
        }
    }

    private void publish(DeviceEvent event) {
        dispatcher.publish(event);
    }

    /** Throws away whatever the socket holds: notifications from before the state was read. */
    private void drain() {
        try (Memory scratch = new Memory(READ_SIZE)) {
            while (true) {
                long n = libc.recv(fd, Pointer.nativeValue(scratch), READ_SIZE, Sys.MSG_DONTWAIT);
                if (n <= 0 && (n == 0 || libc.errno() != Errno.ENOBUFS)) {
                    return;
                }
            }
        }
    }

    private void setReceiveBuffer() {
        try (Memory size = new Memory(4)) {
            size.setInt(0, RECEIVE_BUFFER);
            // SO_RCVBUFFORCE passes the system's rmem_max limit with CAP_NET_ADMIN; SO_RCVBUF is capped by it.
            if (libc.setsockopt(fd, Sys.SOL_SOCKET, Sys.SO_RCVBUFFORCE, Pointer.nativeValue(size), 4) < 0) {
                libc.setsockopt(fd, Sys.SOL_SOCKET, Sys.SO_RCVBUF, Pointer.nativeValue(size), 4);
                LOG.log(Level.DEBUG, () -> "tuntap: events of " + name + " use a receive buffer capped by "
                        + "net.core.rmem_max (no CAP_NET_ADMIN); a burst that overflows it is caught up by reading "
                        + "the state again");
            }
        }
    }

    /** Joins or leaves a group; false with errno set if the kernel refused. */
    private boolean membership(int option, int group) {
        try (Memory value = new Memory(4)) {
            value.setInt(0, group);
            return libc.setsockopt(fd, Rtnl.SOL_NETLINK, option, Pointer.nativeValue(value), 4) == 0;
        }
    }

    private void leaveGroups() {
        for (int group : GROUPS) {
            membership(Rtnl.NETLINK_DROP_MEMBERSHIP, group);
        }
    }
}
