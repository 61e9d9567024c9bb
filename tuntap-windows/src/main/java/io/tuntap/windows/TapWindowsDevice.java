// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import com.sun.jna.Pointer;
import io.tuntap.Capability;
import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceClosedException;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.DeviceNotFoundException;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.IpPrefix;
import io.tuntap.MacAddress;
import io.tuntap.PacketChannel;
import io.tuntap.TapDevice;
import io.tuntap.TunDevice;
import io.tuntap.TunTapException;
import io.tuntap.UnsupportedFeatureException;
import io.tuntap.windows.win32.IpHelper;
import io.tuntap.windows.win32.Kernel32Io;
import io.tuntap.windows.win32.SockaddrInet;
import io.tuntap.windows.win32.TapIoctl;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A device on a tap-windows6-compatible adapter (OpenVPN's {@code tap0901}, the project's {@code tuntap6}):
 * the driver's control device opened exclusively for overlapped I/O ({@link TapChannel}), and the adapter's
 * IP interface ({@link IpInterface}).
 *
 * <p>Open sequence, as OpenVPN does it: {@code CreateFile}, {@code GET_VERSION} (at least 9.9),
 * {@code GET_MTU}, {@code GET_MAC}; in TUN mode {@code CONFIG_TUN} with the first IPv4 address and its
 * network (the driver then strips and adds the Ethernet header, answers ARP for that network and neighbour
 * solicitations for {@code fe80::8}); addresses and MTU through IP Helper; {@code SET_MEDIA_STATUS}. The
 * adapter persists: {@link #close()} removes the addresses this object added, and the driver reports the
 * media disconnected when its handle closes.
 */
abstract class TapWindowsDevice implements WindowsAdapter {
    /** What tap-windows6 devices support. */
    static final Set<Capability> COMMON_CAPABILITIES = Set.of(Capability.MTU, Capability.LINK_STATE,
            Capability.IPV4_ADDRESSES, Capability.IPV6_ADDRESSES, Capability.ATTACH, Capability.PERSISTENT);

    private final TapChannel channel;
    private final IpInterface ipi;
    private final TapAdapter adapter;
    private final DeviceMode mode;
    private final String name;
    private final String version;
    private final int driverMtu;
    private final MacAddress mac;
    private final Set<Capability> capabilities;
    private final List<PacketChannel> queues;
    /** Addresses this object added, removed again on close. */
    private final List<IpPrefix> added = new ArrayList<>();

    TapWindowsDevice(TapChannel channel, IpInterface ipi, TapAdapter adapter, DeviceMode mode, String name,
            String version, int driverMtu, MacAddress mac, Set<Capability> capabilities) {
        this.channel = channel;
        this.ipi = ipi;
        this.adapter = adapter;
        this.mode = mode;
        this.name = name;
        this.version = version;
        this.driverMtu = driverMtu;
        this.mac = mac;
        this.capabilities = capabilities;
        this.queues = List.of(this);
    }

    /**
     * Opens {@code adapter} as {@code config} says. On failure nothing is left: the handle is closed, the
     * memory freed, the addresses added removed.
     */
    static TapWindowsDevice open(Kernel32Io k32, IpHelper ip, TapAdapter adapter, DeviceConfig config)
            throws TunTapException {
        String path = TapIoctl.devicePath(adapter.guidText());
        String label = adapter.name() != null ? "'" + adapter.name() + "'" : adapter.guidText();
        if (config.queues() > 1) {
            throw new UnsupportedFeatureException("open", 0, "a tap-windows6 adapter has one queue; "
                    + config.queues() + " were asked for");
        }
        if (config.macAddress().isPresent()) {
            throw new UnsupportedFeatureException("open", 0, "tap-windows6 takes its MAC address from the "
                    + "adapter's NetworkAddress property when the adapter starts; set it there, not at open");
        }
        InetAddress[] tun = null;
        if (config.mode() == DeviceMode.TUN) {
            tun = tunConfiguration(config.addresses());
        }
        long handle = k32.CreateFile(path, Kernel32Io.GENERIC_READ | Kernel32Io.GENERIC_WRITE, 0,
                Kernel32Io.OPEN_EXISTING, Kernel32Io.FILE_ATTRIBUTE_SYSTEM | Kernel32Io.FILE_FLAG_OVERLAPPED);
        if (handle == Kernel32Io.INVALID_HANDLE_VALUE || handle == 0) {
            throw openError(k32.GetLastError(), path, label);
        }
        TapChannel channel = TapChannel.open(k32, handle, path, label, config.mode());
        TapWindowsDevice device = null;
        try {
            channel.ioctl(TapIoctl.GET_VERSION, "TAP_WIN_IOCTL_GET_VERSION", null, TapIoctl.VERSION_SIZE);
            Pointer out = channel.ioctlOutput();
            int major = out.getInt(TapIoctl.VERSION_MAJOR);
            int minor = out.getInt(TapIoctl.VERSION_MINOR);
            if (major < TapIoctl.MIN_MAJOR || (major == TapIoctl.MIN_MAJOR && minor < TapIoctl.MIN_MINOR)) {
                throw new UnsupportedFeatureException("DeviceIoControl(TAP_WIN_IOCTL_GET_VERSION)", 0, "the driver of "
                        + label + " (" + adapter.componentId() + ") is version " + major + "." + minor + ", older than "
                        + TapIoctl.MIN_MAJOR + "." + TapIoctl.MIN_MINOR + ", the oldest this library supports: install "
                        + "a current TAP-Windows driver (OpenVPN's tap-windows6 9.21 or later)");
            }
            channel.ioctl(TapIoctl.GET_MTU, "TAP_WIN_IOCTL_GET_MTU", null, TapIoctl.MTU_SIZE);
            int driverMtu = out.getInt(0);
            channel.ioctl(TapIoctl.GET_MAC, "TAP_WIN_IOCTL_GET_MAC", null, TapIoctl.MAC_SIZE);
            MacAddress mac = MacAddress.of(out.getByteArray(0, TapIoctl.MAC_SIZE));
            if (tun != null) {
                byte[] in = new byte[TapIoctl.TUN_SIZE];
                System.arraycopy(tun[0].getAddress(), 0, in, TapIoctl.TUN_LOCAL_IP, 4);
                System.arraycopy(tun[1].getAddress(), 0, in, TapIoctl.TUN_REMOTE_NETWORK, 4);
                System.arraycopy(tun[2].getAddress(), 0, in, TapIoctl.TUN_REMOTE_NETMASK, 4);
                channel.ioctl(TapIoctl.CONFIG_TUN, "TAP_WIN_IOCTL_CONFIG_TUN", in, 0);
            }
            IpInterface ipi = IpInterface.ofGuid(ip, adapter.guid());
            String name = adapter.name() != null ? adapter.name() : ipi.alias();
            String version = major + "." + minor;
            Set<Capability> caps = capabilities(config.mode());
            device = config.mode() == DeviceMode.TUN
                    ? new Tun(channel, ipi, adapter, name, version, driverMtu, mac, caps)
                    : new Tap(channel, ipi, adapter, name, version, driverMtu, mac, caps);
            if (config.mtu().isPresent()) {
                device.setMtu(config.mtu().getAsInt());
            }
            for (IpPrefix a : config.addresses()) {
                device.addConfigured(a);
            }
            device.setUp(config.up());
            return device;
        } catch (TunTapException | RuntimeException | Error e) {
            if (device != null) {
                device.close();
            } else {
                channel.close();
            }
            throw e;
        }
    }

    static Set<Capability> capabilities(DeviceMode mode) {
        java.util.EnumSet<Capability> caps = java.util.EnumSet.copyOf(COMMON_CAPABILITIES);
        caps.add(mode == DeviceMode.TUN ? Capability.TUN : Capability.TAP);
        return Set.copyOf(caps);
    }

    /**
     * CONFIG_TUN's {local, remote network, remote netmask} from the first IPv4 address: the driver then
     * carries IP for that network. tap-windows6 has no IPv6-only form.
     */
    static InetAddress[] tunConfiguration(List<IpPrefix> addresses) throws InvalidConfigurationException {
        for (IpPrefix a : addresses) {
            if (a.isIpv4()) {
                byte[] local = a.address().getAddress();
                int bits = a.prefixLength();
                int mask = bits == 0 ? 0 : -1 << (32 - bits);
                byte[] m = {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask};
                byte[] net = new byte[4];
                for (int i = 0; i < 4; i++) {
                    net[i] = (byte) (local[i] & m[i]);
                }
                try {
                    return new InetAddress[] {a.address(), InetAddress.getByAddress(net), InetAddress.getByAddress(m)};
                } catch (java.net.UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new InvalidConfigurationException("open", 0, "a TUN device on a tap-windows6 adapter needs an IPv4 "
                + "address in its configuration: the driver's TUN mode (TAP_WIN_IOCTL_CONFIG_TUN) is set up with "
                + "one; add one with DeviceConfig.Builder.address, or use Wintun for an IPv6-only TUN device");
    }

    private static TunTapException openError(int error, String path, String label) {
        String call = "CreateFile(" + path + ")";
        return switch (error) {
            // tap-windows6 refuses a second handle with STATUS_UNSUCCESSFUL, which Win32 reports as 31.
            case WinErrors.ERROR_GEN_FAILURE, WinErrors.ERROR_SHARING_VIOLATION, WinErrors.ERROR_BUSY ->
                    new DeviceBusyException(call, error, call + " failed with " + WinErrors.name(error) + " (Win32 error "
                            + error + "): adapter " + label + " is already open in another program or handle (the "
                            + "driver allows one); close it there, or use another adapter");
            case WinErrors.ERROR_FILE_NOT_FOUND, WinErrors.ERROR_PATH_NOT_FOUND -> new DeviceNotFoundException(call,
                    error, call + " failed with " + WinErrors.name(error) + ": adapter " + label + " is disabled or "
                            + "was removed; enable it in Network Connections");
            case WinErrors.ERROR_ACCESS_DENIED -> WinErrors.of(call, error, "adapter " + label + " does not allow "
                    + "non-administrators to open it (its AllowNonAdmin property is 0): " + WinErrors.ADMIN_FIX);
            default -> WinErrors.of(call, error, "cannot open adapter " + label);
        };
    }

    private void addConfigured(IpPrefix a) throws TunTapException {
        if (ipi.addresses().contains(a)) {
            return; // left by an earlier user of this persistent adapter: keep it, it is not ours to remove
        }
        ipi.addAddress(a);
        synchronized (added) {
            added.add(a);
        }
    }

    // ---- identity ---------------------------------------------------------------------------------

    @Override
    public DeviceMode mode() {
        return mode;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int index() {
        return ipi.index();
    }

    @Override
    public List<? extends PacketChannel> queues() {
        return queues;
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    @Override
    public UUID guid() {
        return adapter.guid();
    }

    @Override
    public long luid() {
        return ipi.luid();
    }

    @Override
    public String driver() {
        return adapter.driver();
    }

    @Override
    public String driverVersion() {
        return version;
    }

    @Override
    public long droppedWrites() {
        return 0;
    }

    /** The adapter's MAC address (the host side's address; a TAP device's frames to the host go to it). */
    public MacAddress macAddress() throws TunTapException {
        ensureOpen();
        return mac;
    }

    // ---- packets ----------------------------------------------------------------------------------

    @Override
    public int read(ByteBuffer dst) throws TunTapException {
        return channel.read(dst);
    }

    @Override
    public int read(ByteBuffer dst, Duration timeout) throws TunTapException {
        return channel.read(dst, timeout);
    }

    @Override
    public int write(ByteBuffer src) throws TunTapException {
        return channel.write(src);
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() {
        if (!channel.isOpen()) {
            return;
        }
        List<IpPrefix> ours;
        synchronized (added) {
            ours = new ArrayList<>(added);
            added.clear();
        }
        for (IpPrefix a : ours) {
            try {
                ipi.removeAddress(a);
            } catch (TunTapException e) {
                // Removed by someone else already, or the adapter went away: nothing left to clean.
            }
        }
        channel.close();
    }

    // ---- configuration ----------------------------------------------------------------------------

    private void ensureOpen() throws DeviceClosedException {
        if (!channel.isOpen()) {
            throw new DeviceClosedException("configure", 0, name + " is closed");
        }
    }

    @Override
    public int mtu() throws TunTapException {
        ensureOpen();
        return ipi.mtu(SockaddrInet.AF_INET);
    }

    /** Sets the IPv4 MTU, and the IPv6 one where the value is at least 1280 (IPv6's minimum). */
    @Override
    public void setMtu(int mtu) throws TunTapException {
        ensureOpen();
        ipi.setMtu(SockaddrInet.AF_INET, mtu, driverMtu);
        if (mtu >= 1280) {
            ipi.setMtu(SockaddrInet.AF_INET6, mtu, driverMtu);
        }
    }

    @Override
    public int ipv6Mtu() throws TunTapException {
        ensureOpen();
        return ipi.mtu(SockaddrInet.AF_INET6);
    }

    /** The media status this device set; tap-windows6 has no administrative state of its own. */
    @Override
    public boolean isUp() throws TunTapException {
        ensureOpen();
        return channel.isLinkUp();
    }

    /** {@code TAP_WIN_IOCTL_SET_MEDIA_STATUS}: the adapter shows as connected or as "cable unplugged". */
    @Override
    public void setUp(boolean up) throws TunTapException {
        ensureOpen();
        byte[] in = {(byte) (up ? 1 : 0), 0, 0, 0};
        channel.ioctl(TapIoctl.SET_MEDIA_STATUS, "TAP_WIN_IOCTL_SET_MEDIA_STATUS", in, 0);
        channel.setLinkUp(up);
    }

    @Override
    public List<IpPrefix> addresses() throws TunTapException {
        ensureOpen();
        return List.copyOf(ipi.addresses());
    }

    @Override
    public void addAddress(IpPrefix address) throws TunTapException {
        ensureOpen();
        ipi.addAddress(address);
        synchronized (added) {
            added.add(address);
        }
    }

    @Override
    public void removeAddress(IpPrefix address) throws TunTapException {
        ensureOpen();
        ipi.removeAddress(address);
        synchronized (added) {
            added.remove(address);
        }
    }

    /** Always true: a tap-windows6 adapter is a device that stays installed. */
    @Override
    public boolean isPersistent() throws TunTapException {
        ensureOpen();
        return true;
    }

    @Override
    public void setPersistent(boolean persistent) throws TunTapException {
        ensureOpen();
        if (!persistent) {
            throw new UnsupportedFeatureException("setPersistent", 0, "a tap-windows6 adapter is an installed "
                    + "device and always persists; remove it in Device Manager or with the adapter removal of this "
                    + "library (administrator)");
        }
    }

    @Override
    public void setDnsServers(List<InetAddress> servers, List<String> searchDomains) throws TunTapException {
        ensureOpen();
        ipi.setDns(adapter.guid(), servers, searchDomains);
    }

    @Override
    public int interfaceMetric() throws TunTapException {
        ensureOpen();
        return ipi.metric();
    }

    @Override
    public void setInterfaceMetric(int metric) throws TunTapException {
        ensureOpen();
        ipi.setMetric(metric);
    }

    /** The IP interface, for routes and events. */
    IpInterface ipInterface() {
        return ipi;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + ", " + adapter.guidText() + ", " + adapter.componentId()
                + " " + version + (isOpen() ? "" : ", closed") + "]";
    }

    /** TUN mode: {@code CONFIG_TUN} makes the driver carry bare IP packets. */
    static final class Tun extends TapWindowsDevice implements TunDevice {
        Tun(TapChannel channel, IpInterface ipi, TapAdapter adapter, String name, String version, int driverMtu,
                MacAddress mac, Set<Capability> caps) {
            super(channel, ipi, adapter, DeviceMode.TUN, name, version, driverMtu, mac, caps);
        }
    }

    /** TAP mode: Ethernet frames. */
    static final class Tap extends TapWindowsDevice implements TapDevice {
        Tap(TapChannel channel, IpInterface ipi, TapAdapter adapter, String name, String version, int driverMtu,
                MacAddress mac, Set<Capability> caps) {
            super(channel, ipi, adapter, DeviceMode.TAP, name, version, driverMtu, mac, caps);
        }

        @Override
        public void setMacAddress(MacAddress address) throws TunTapException {
            throw new UnsupportedFeatureException("setMacAddress", 0, "tap-windows6 takes its MAC address from the "
                    + "adapter's NetworkAddress property when the adapter starts; it cannot change while open");
        }
    }
}
