// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import io.tuntap.DeviceAddress;
import io.tuntap.DeviceEvent;
import io.tuntap.IpPrefix;
import io.tuntap.TunTapException;
import io.tuntap.bsd.jna.BsdAbi;
import io.tuntap.bsd.jna.BsdErrno;
import io.tuntap.bsd.jna.RouteEvents;
import io.tuntap.posix.EventWatcher;
import io.tuntap.posix.LinkState;
import io.tuntap.spi.EventDispatcher;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Watches one interface through a routing socket ({@code PF_ROUTE}): an {@link EventWatcher} thread polls the
 * socket with a pipe that {@link #stop()} writes to, reads each message, keeps those about the interface's index
 * and turns them into {@link DeviceEvent}s. {@code RTM_IFINFO} gives link (IFF_UP) and MTU changes (reported only when they
 * differ from the last state seen), {@code RTM_NEWADDR}/{@code RTM_DELADDR} addresses, and
 * {@code RTM_IFANNOUNCE} departure the interface's removal (macOS has no such message).
 */
final class BsdEvents implements EventDispatcher.Source {
    private static final int BUFFER = 2048;
    private static final System.Logger LOG = System.getLogger("io.tuntap");

    private final BsdContext ctx;
    private final String name;
    private final int index;
    private final boolean pointToPoint;
    private final State initial;
    /** The running watcher, or null. */
    private final AtomicReference<EventWatcher> watcher = new AtomicReference<>();

    /** What the device looked like when watching started. */
    interface State {
        /** IFF_UP now. */
        boolean up() throws TunTapException;

        /** The MTU now. */
        int mtu() throws TunTapException;
    }

    BsdEvents(BsdContext ctx, String name, int index, boolean pointToPoint, State initial) {
        this.ctx = ctx;
        this.name = name;
        this.index = index;
        this.pointToPoint = pointToPoint;
        this.initial = initial;
    }

    @Override
    public synchronized void start(EventDispatcher dispatcher) throws TunTapException {
        boolean up = initial.up();
        int mtu = initial.mtu();
        int s = ctx.libc.socket(BsdAbi.AF_ROUTE, BsdAbi.SOCK_RAW, 0);
        if (s < 0) {
            throw BsdErrors.ofCommon("socket(PF_ROUTE)", ctx.libc.errno(), "cannot open the routing socket that "
                    + "reports changes of " + name);
        }
        // The watcher owns the pipe and closes it as its thread ends; Run.ended closes the socket then.
        watcher.set(EventWatcher.startOnPipe(BsdErrno.EINTR, name, "PF_ROUTE", -1, BUFFER,
                new Run(dispatcher, s, new LinkState(up, mtu)), BsdErrors.POSIX));
    }

    /**
     * Wakes the thread through the pipe and waits for it to end; the thread closes its descriptors itself as
     * it ends (so a listener running on it may stop it without waiting for itself).
     */
    @Override
    public void stop() {
        EventWatcher.stop(watcher);
    }

    /**
     * One run of the watcher: reads the routing socket when it is readable. After the interface is removed or
     * the socket fails it stops listening, and the thread waits for {@link #stop()} alone, so that the
     * descriptors stay its own until then.
     */
    private final class Run extends EventWatcher.SocketHandler {
        Run(EventDispatcher dispatcher, int sock, LinkState link) {
            super(ctx.libc, dispatcher, sock, link);
        }

        @Override
        public boolean readable(long buffer, ByteBuffer view) {
            long length = libc.read(socket, buffer, BUFFER);
            if (length <= 0) {
                int errno = ctx.libc.errno();
                if (length < 0 && errno != BsdErrno.EAGAIN && errno != BsdErrno.EINTR) {
                    LOG.log(System.Logger.Level.WARNING, "read(PF_ROUTE) for " + name + " failed with errno "
                            + errno + "; no further events");
                    return false;
                }
                return true;
            }
            RouteEvents.Message m = RouteEvents.parse(view, (int) length, ctx.abi);
            if (m == null || m.index() != index) {
                return true;
            }
            if (m instanceof RouteEvents.IfInfo info) {
                link.update((info.flags() & BsdAbi.IFF_UP) != 0, info.mtu() > 0 ? info.mtu() : link.mtu(),
                        dispatcher);
            } else if (m instanceof RouteEvents.AddressChange a) {
                DeviceAddress address = address(a);
                dispatcher.publish(a.added() ? new DeviceEvent.AddressAdded(address)
                        : new DeviceEvent.AddressRemoved(address));
            } else if (m instanceof RouteEvents.Departure) {
                dispatcher.publish(new DeviceEvent.Removed());
                return false; // nothing more can come for this index
            }
            return true;
        }
    }

    /**
     * The device address of a message: on a point-to-point interface the destination is the peer unless it is
     * the local address itself (how this backend adds an address without peer); elsewhere it is the broadcast
     * address.
     */
    private DeviceAddress address(RouteEvents.AddressChange a) {
        IpPrefix local = new IpPrefix(a.address(), a.prefix());
        InetAddress d = a.destination();
        if (pointToPoint && d != null && !d.equals(a.address()) && d.getClass() == a.address().getClass()) {
            return DeviceAddress.pointToPoint(local, d);
        }
        return DeviceAddress.of(local);
    }
}
