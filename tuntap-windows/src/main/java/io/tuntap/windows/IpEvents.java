// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import io.tuntap.DeviceAddress;
import io.tuntap.DeviceEvent;
import io.tuntap.IpPrefix;
import io.tuntap.TunTapException;
import io.tuntap.spi.EventDispatcher;
import io.tuntap.windows.win32.IpHelper;
import io.tuntap.windows.win32.MibUnicastIpAddressRow;
import io.tuntap.windows.win32.SockaddrInet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;

/**
 * Events of one adapter. Changes made through the device are published by the device right after each
 * change, so that they come out in the order they were made. Changes made by other programs come from IP
 * Helper's change notifications ({@code NotifyIpInterfaceChange}, {@code NotifyUnicastIpAddressChange}):
 * an address notification carries the row added or deleted; an interface notification carries only the
 * interface's identity (Microsoft documents the rest of the row as incomplete), so the MTU and the media
 * state ({@code Connected}, which tap-windows6's {@code SET_MEDIA_STATUS} drives) are read again. Every
 * event updates one snapshot of MTU, link and addresses, and only a difference from it is published, so
 * no change arrives twice, whichever path sees it first.
 *
 * <p>IP Helper calls back on its own threads; the handlers are serialised here, so that events come out in
 * order. {@code CancelMibChangeNotify2} waits for running callbacks, so none publishes after {@link #stop()}.
 */
final class IpEvents implements EventDispatcher.Source {
    /** {@code MibAddInstance}. */
    static final int MIB_ADD_INSTANCE = 1;
    /** {@code MibDeleteInstance}. */
    static final int MIB_DELETE_INSTANCE = 2;

    private final IpInterface ipi;
    private Function<IpPrefix, DeviceAddress> describe = DeviceAddress::of;
    // The callbacks are fields: JNA must keep them reachable while registered.
    private final IpHelper.InterfaceChangeCallback interfaceCallback = (context, row, type) -> onInterface(row);
    private final IpHelper.AddressChangeCallback addressCallback = (context, row, type) -> onAddress(row, type);

    private EventDispatcher dispatcher;
    private Pointer interfaceHandle;
    private Pointer addressHandle;
    private int mtu;
    private boolean link;
    private Set<IpPrefix> addresses = Set.of();

    IpEvents(IpInterface ipi) {
        this.ipi = ipi;
    }

    /** How an address of the interface is described (with its peer where the device knows one). */
    synchronized void describeWith(Function<IpPrefix, DeviceAddress> describe) {
        this.describe = describe;
    }

    @Override
    public void start(EventDispatcher dispatcher) throws TunTapException {
        IpHelper ip = ipi.helper();
        synchronized (this) {
            this.dispatcher = dispatcher;
            mtu = ipi.mtu(SockaddrInet.AF_INET);
            link = ipi.connected();
            addresses = new LinkedHashSet<>(ipi.addresses());
        }
        PointerByReference h = new PointerByReference();
        int error = ip.NotifyIpInterfaceChange(SockaddrInet.AF_UNSPEC, interfaceCallback, null, (byte) 0, h);
        if (error != 0) {
            throw WinErrors.of("NotifyIpInterfaceChange", error, "cannot watch the interface for changes");
        }
        interfaceHandle = h.getValue();
        PointerByReference a = new PointerByReference();
        error = ip.NotifyUnicastIpAddressChange(SockaddrInet.AF_UNSPEC, addressCallback, null, (byte) 0, a);
        if (error != 0) {
            ip.CancelMibChangeNotify2(interfaceHandle);
            interfaceHandle = null;
            throw WinErrors.of("NotifyUnicastIpAddressChange", error, "cannot watch the addresses for changes");
        }
        addressHandle = a.getValue();
    }

    @Override
    public void stop() {
        IpHelper ip = ipi.helper();
        if (interfaceHandle != null) {
            ip.CancelMibChangeNotify2(interfaceHandle);
            interfaceHandle = null;
        }
        if (addressHandle != null) {
            ip.CancelMibChangeNotify2(addressHandle);
            addressHandle = null;
        }
        synchronized (this) {
            dispatcher = null;
        }
    }

    /** {@code MIB_IPINTERFACE_ROW.InterfaceLuid} is at offset 8. */
    private void onInterface(Pointer row) {
        if (row != null && row.getLong(8) != ipi.luid()) {
            return;
        }
        synchronized (this) {
            if (dispatcher == null) {
                return;
            }
            try {
                int now = ipi.mtu(SockaddrInet.AF_INET);
                if (now != mtu) {
                    mtu = now;
                    dispatcher.publish(new DeviceEvent.MtuChanged(now));
                }
                boolean connected = ipi.connected();
                if (connected != link) {
                    link = connected;
                    dispatcher.publish(new DeviceEvent.LinkChanged(connected));
                }
            } catch (TunTapException e) {
                // The interface is going away; the device reports that on its next call.
            }
        }
    }

    /**
     * An address row changed: {@code MibAddInstance} (1) or {@code MibDeleteInstance} (2) carry the row that
     * came or went, which is published as it is (the list may have moved on by the time this runs).
     */
    private void onAddress(Pointer row, int type) {
        if (row == null || (type != MIB_ADD_INSTANCE && type != MIB_DELETE_INSTANCE)) {
            return;
        }
        MibUnicastIpAddressRow r = new MibUnicastIpAddressRow(row);
        r.read();
        IpPrefix p = r.InterfaceLuid == ipi.luid() ? IpInterface.prefix(r) : null;
        if (p == null) {
            return;
        }
        synchronized (this) {
            if (dispatcher == null) {
                return;
            }
            if (type == MIB_ADD_INSTANCE && addresses.add(p)) {
                dispatcher.publish(new DeviceEvent.AddressAdded(describe.apply(p)));
            } else if (type == MIB_DELETE_INSTANCE && addresses.remove(p)) {
                dispatcher.publish(new DeviceEvent.AddressRemoved(describe.apply(p)));
            }
        }
    }


    // ---- changes made through the device: published at once, in the order they were made ----------

    /** The device set the MTU. */
    synchronized void mtuChanged(int now) {
        if (dispatcher != null && now != mtu) {
            mtu = now;
            dispatcher.publish(new DeviceEvent.MtuChanged(now));
        }
    }

    /** The device set the media status. */
    synchronized void linkChanged(boolean up) {
        if (dispatcher != null && up != link) {
            link = up;
            dispatcher.publish(new DeviceEvent.LinkChanged(up));
        }
    }

    /** The device added or removed an address. */
    synchronized void addressChanged(DeviceAddress address, boolean added) {
        if (dispatcher == null) {
            return;
        }
        if (added && addresses.add(address.local())) {
            dispatcher.publish(new DeviceEvent.AddressAdded(address));
        } else if (!added && addresses.remove(address.local())) {
            dispatcher.publish(new DeviceEvent.AddressRemoved(address));
        }
    }

    /** The adapter is going away. */
    synchronized void removed() {
        if (dispatcher != null) {
            dispatcher.publish(new DeviceEvent.Removed());
        }
    }
}
