// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris;

import io.tuntap.DeviceAddress;
import io.tuntap.DeviceEvent;
import io.tuntap.DeviceMode;
import io.tuntap.IpPrefix;
import io.tuntap.TunTapException;
import io.tuntap.posix.EventWatcher;
import io.tuntap.posix.LinkState;
import io.tuntap.solaris.jna.Errno;
import io.tuntap.solaris.jna.Lifreq;
import io.tuntap.solaris.jna.RouteMessages;
import io.tuntap.solaris.jna.Sys;
import io.tuntap.spi.EventDispatcher;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The device's events from a routing socket ({@code socket(AF_ROUTE, SOCK_RAW, 0)}), read by an
 * {@link EventWatcher} thread that polls it together with a stop pipe:
 * <ul>
 * <li>{@code RTM_NEWADDR}/{@code RTM_DELADDR} for the device's index become {@link DeviceEvent.AddressAdded}/
 *     {@link DeviceEvent.AddressRemoved}, with the address ({@code RTA_IFA}), its netmask and, on TUN, the
 *     destination ({@code RTA_BRD}) as peer when it differs from the local address;</li>
 * <li>{@code RTM_IFINFO} for the device gives the link state ({@code ifm_flags}) and MTU ({@code ifi_mtu}), and
 *     what changed becomes {@link DeviceEvent.LinkChanged} or {@link DeviceEvent.MtuChanged}; a second without
 *     messages re-reads both from the interface, in case a change sent none; an interface that is gone gives
 *     {@link DeviceEvent.Removed}, once.</li>
 * </ul>
 */
final class SolarisEvents implements EventDispatcher.Source {
    private static final int BUFFER = 4096;
    private static final int CHECK_MILLIS = 1000;

    private final SunOs os;
    private final IfConfig config;
    private final String name;
    private final int index;
    private final DeviceMode mode;
    /** The running watcher, or null. */
    private final AtomicReference<EventWatcher> watcher = new AtomicReference<>();

    SolarisEvents(SunOs os, IfConfig config, String name, int index, DeviceMode mode) {
        this.os = os;
        this.config = config;
        this.name = name;
        this.index = index;
        this.mode = mode;
    }

    @Override
    public synchronized void start(EventDispatcher dispatcher) throws TunTapException {
        LinkState link = new LinkState(config.isUp(), config.mtu());
        int fd = os.libc().socket(Sys.AF_ROUTE, Sys.SOCK_RAW, 0);
        if (fd < 0) {
            throw SolarisErrors.ofCommon("socket(AF_ROUTE, SOCK_RAW)", os.libc().errno(), "cannot open the routing "
                    + "socket that reports the changes of " + name);
        }
        // The watcher owns the pipe and closes it as its thread ends; Run.ended closes the socket then.
        watcher.set(EventWatcher.startOnPipe(Errno.EINTR, name, "AF_ROUTE", CHECK_MILLIS, BUFFER,
                new Run(dispatcher, fd, link), SolarisErrors.POSIX));
    }

    @Override
    public void stop() {
        EventWatcher.stop(watcher);
    }

    /**
     * One run of the watcher: reads the routing socket when it is readable, and a second without messages
     * re-reads the link state and MTU from the interface. Once the interface is gone it stops listening.
     */
    private final class Run extends EventWatcher.SocketHandler {
        Run(EventDispatcher dispatcher, int fd, LinkState link) {
            super(os.libc(), dispatcher, fd, link);
        }

        @Override
        public boolean readable(long buffer, ByteBuffer message) {
            long n = libc.read(socket, buffer, BUFFER);
            if (n >= RouteMessages.INDEX + 2
                    && (message.get(RouteMessages.VERSION) & 0xff) == RouteMessages.RTM_VERSION
                    && (message.getShort(RouteMessages.INDEX) & 0xffff) == index) {
                int type = message.get(RouteMessages.TYPE) & 0xff;
                if (type == RouteMessages.RTM_NEWADDR || type == RouteMessages.RTM_DELADDR) {
                    DeviceAddress a = address(message, (int) n);
                    if (a != null) {
                        dispatcher.publish(type == RouteMessages.RTM_NEWADDR ? new DeviceEvent.AddressAdded(a)
                                : new DeviceEvent.AddressRemoved(a));
                    }
                } else if (type == RouteMessages.RTM_IFINFO) {
                    // The message's own flags and MTU, so that events keep the order of the messages
                    // (re-reading the interface here could report a later state ahead of queued messages).
                    int nowMtu = n >= RouteMessages.IFM_MTU + 4 ? message.getInt(RouteMessages.IFM_MTU) : 0;
                    link.update((message.getInt(RouteMessages.FLAGS) & Sys.IFF_UP) != 0,
                            nowMtu > 0 ? nowMtu : link.mtu(), dispatcher);
                    if (nowMtu <= 0) {
                        return idle();
                    }
                }
            } else if (n < 0 && os.libc().errno() != Errno.EINTR && os.libc().errno() != Errno.EAGAIN) {
                return idle();
            }
            return true;
        }

        /** Re-reads the link state and MTU from the interface; false once it is gone. */
        @Override
        public boolean idle() {
            try {
                link.update(config.isUp(), config.mtu(), dispatcher);
            } catch (TunTapException e) {
                if (e.errorCode() == Errno.ENXIO || e instanceof io.tuntap.DeviceNotFoundException) {
                    dispatcher.publish(new DeviceEvent.Removed());
                    return false;
                }
                return !(e instanceof io.tuntap.DeviceClosedException);
            }
            return true;
        }
    }

    /**
     * The address of an ifa_msghdr: RTA_NETMASK, RTA_IFA and RTA_BRD, each sized by its family. The kernel
     * (ip_rts.c rts_new_rtsmsg) also sends RTA_IFP, a sockaddr_dl of its exact size (252), between the netmask
     * and the address: it is stepped over.
     */
    DeviceAddress address(ByteBuffer m, int length) {
        int addrs = m.getInt(RouteMessages.ADDRS);
        int offset = RouteMessages.IFA_MSGHDR_SIZE;
        InetAddress mask = null;
        InetAddress local = null;
        InetAddress destination = null;
        for (int bit = RouteMessages.RTA_DST; bit <= RouteMessages.RTA_BRD; bit <<= 1) {
            if ((addrs & bit) == 0) {
                continue;
            }
            if (offset + 2 > length) {
                return null;
            }
            int family = m.getShort(offset);
            if (family == RouteMessages.AF_LINK) {
                offset += RouteMessages.SOCKADDR_DL_SIZE; // RTA_IFP: the interface, named by the message already
                continue;
            }
            int size = family == Sys.AF_INET6 ? Lifreq.SOCKADDR_IN6_SIZE
                    : family == Sys.AF_INET ? Lifreq.SOCKADDR_IN_SIZE : -1;
            if (size < 0 || offset + size > length) {
                return null; // an unknown family: its size is not known here
            }
            InetAddress a = Lifreq.getSockaddr(m, offset);
            if (bit == RouteMessages.RTA_NETMASK) {
                mask = a;
            } else if (bit == RouteMessages.RTA_IFA) {
                local = a;
            } else if (bit == RouteMessages.RTA_BRD) {
                destination = a;
            }
            offset += size;
        }
        if (local == null || local.isAnyLocalAddress()) {
            return null;
        }
        int width = local.getAddress().length;
        if (mask != null && mask.getAddress().length != width) {
            return null; // a netmask of the other family: not a message the kernel sends
        }
        if (destination != null && destination.getAddress().length != width) {
            destination = null;
        }
        int prefix = mask == null ? width * 8 : Math.max(0, Lifreq.prefixLength(mask));
        IpPrefix p = new IpPrefix(local, prefix);
        if (mode == DeviceMode.TUN && destination != null && !destination.isAnyLocalAddress()
                && !Objects.equals(destination, local)) {
            return DeviceAddress.pointToPoint(p, destination);
        }
        return DeviceAddress.of(p);
    }
}
