// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import io.tuntap.Capability;
import io.tuntap.DeviceAddress;
import io.tuntap.DeviceBusyException;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.IpPrefix;
import io.tuntap.MacAddress;
import io.tuntap.TapDevice;
import io.tuntap.TunDevice;
import io.tuntap.TunTapException;
import io.tuntap.UnsupportedFeatureException;
import io.tuntap.spi.ErrorMessages;
import io.tuntap.windows.win32.IpHelper;
import io.tuntap.windows.win32.Kernel32Io;
import io.tuntap.windows.win32.SockaddrInet;
import io.tuntap.windows.win32.TapIoctl;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Set;

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
abstract class TapWindowsDevice extends WindowsDeviceBase {
    /** What tap-windows6 devices support in both modes. */
    static final Set<Capability> COMMON_CAPABILITIES = Set.of(Capability.MTU, Capability.LINK_STATE,
            Capability.IPV4_ADDRESSES, Capability.IPV6_ADDRESSES, Capability.ATTACH, Capability.PERSISTENT,
            Capability.ROUTES, Capability.ROUTE_METRICS, Capability.PEER_ADDRESSES, Capability.EVENTS,
            Capability.BYPASS_ROUTES);

    private final TapChannel channel;
    private final TapAdapter adapter;
    private final String version;
    private final int driverMtu;
    private final MacAddress mac;

    TapWindowsDevice(TapChannel channel, IpInterface ipi, TapAdapter adapter, DeviceMode mode, String name,
            String version, int driverMtu, MacAddress mac, Set<Capability> capabilities) {
        super(mode, name, ipi, capabilities, adapter.guid(), adapter.driver(), version);
        // A tap-windows6 adapter is an installed device that stays.
        fixPersistence(true, "a tap-windows6 adapter is an installed device and always persists; remove it in "
                + "Device Manager or with the adapter removal of this library (administrator)");
        this.channel = channel;
        this.adapter = adapter;
        this.version = version;
        this.driverMtu = driverMtu;
        this.mac = mac;
        attachQueues(List.of(channel));
    }

    /** Sends a control code without input; its reply, exactly the bytes the driver wrote (at most {@code size}). */
    private static ByteBuffer reply(TapChannel channel, int code, String codeName, int size) throws TunTapException {
        int written = channel.ioctl(code, codeName, null, size);
        return channel.ioctlOutput().getByteBuffer(0, Math.max(0, Math.min(written, size)))
                .order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Opens {@code adapter} as {@code config} says. On failure nothing is left: the handle is closed, the
     * memory freed, the addresses and routes added removed.
     */
    static TapWindowsDevice open(Kernel32Io k32, IpHelper ip, TapAdapter adapter, DeviceConfig config)
            throws TunTapException {
        String path = TapIoctl.devicePath(adapter.guidText());
        String label = adapter.name() != null ? "'" + adapter.name() + "'" : adapter.guidText();
        if (config.queues() > 1) {
            throw new UnsupportedFeatureException("open", 0, ErrorMessages.failed("open(" + label + ")", "a "
                    + "tap-windows6 adapter has one queue; " + config.queues() + " were asked for: open it with "
                    + "queues(1)"));
        }
        if (config.macAddress().isPresent()) {
            throw new UnsupportedFeatureException("open", 0, ErrorMessages.failed("open(" + label + ")",
                    "tap-windows6 takes its MAC address from the adapter's NetworkAddress property when the adapter "
                    + "starts; set it there, not at open"));
        }
        InetAddress[] tun = null;
        if (config.mode() == DeviceMode.TUN) {
            tun = tunConfiguration(config.addresses());
        }
        long handle = k32.CreateFile(path, Kernel32Io.GENERIC_READ | Kernel32Io.GENERIC_WRITE, 0,
                Kernel32Io.OPEN_EXISTING, Kernel32Io.FILE_ATTRIBUTE_SYSTEM | Kernel32Io.FILE_FLAG_OVERLAPPED);
        if (handle == Kernel32Io.INVALID_HANDLE_VALUE || handle == 0) {
            throw openError(k32.GetLastError(), path, label, adapter.driver());
        }
        TapChannel channel = TapChannel.open(k32, handle, path, label, config.mode());
        InetAddress[] tunConfig = tun;
        return openConfigured(channel, config, () -> {
            TapReplies.Version v = TapReplies.version(reply(channel, TapIoctl.GET_VERSION, "TAP_WIN_IOCTL_GET_VERSION",
                    TapIoctl.VERSION_SIZE), "DeviceIoControl(TAP_WIN_IOCTL_GET_VERSION) on " + path);
            int major = v.major();
            int minor = v.minor();
            if (major < TapIoctl.MIN_MAJOR || (major == TapIoctl.MIN_MAJOR && minor < TapIoctl.MIN_MINOR)) {
                throw new UnsupportedFeatureException("DeviceIoControl(TAP_WIN_IOCTL_GET_VERSION)", 0,
                        ErrorMessages.failed("open(" + label + ")", "the driver of " + label + " ("
                        + adapter.componentId() + ") is version " + major + "." + minor + ", older than "
                        + TapIoctl.MIN_MAJOR + "." + TapIoctl.MIN_MINOR + ", the oldest this library supports: install "
                        + "a current TAP-Windows driver (OpenVPN's tap-windows6 9.21 or later)"));
            }
            int driverMtu = TapReplies.mtu(reply(channel, TapIoctl.GET_MTU, "TAP_WIN_IOCTL_GET_MTU", TapIoctl.MTU_SIZE),
                    "DeviceIoControl(TAP_WIN_IOCTL_GET_MTU) on " + path);
            MacAddress mac = TapReplies.mac(reply(channel, TapIoctl.GET_MAC, "TAP_WIN_IOCTL_GET_MAC", TapIoctl.MAC_SIZE),
                    "DeviceIoControl(TAP_WIN_IOCTL_GET_MAC) on " + path);
            if (tunConfig != null) {
                byte[] in = new byte[TapIoctl.TUN_SIZE];
                System.arraycopy(tunConfig[0].getAddress(), 0, in, TapIoctl.TUN_LOCAL_IP, 4);
                System.arraycopy(tunConfig[1].getAddress(), 0, in, TapIoctl.TUN_REMOTE_NETWORK, 4);
                System.arraycopy(tunConfig[2].getAddress(), 0, in, TapIoctl.TUN_REMOTE_NETMASK, 4);
                channel.ioctl(TapIoctl.CONFIG_TUN, "TAP_WIN_IOCTL_CONFIG_TUN", in, 0);
            }
            IpInterface ipi = IpInterface.ofGuid(ip, adapter.guid());
            String name = adapter.name() != null ? adapter.name() : ipi.alias();
            String version = major + "." + minor;
            Set<Capability> caps = capabilities(config.mode());
            return config.mode() == DeviceMode.TUN
                    ? new Tun(channel, ipi, adapter, name, version, driverMtu, mac, caps)
                    : new Tap(channel, ipi, adapter, name, version, driverMtu, mac, caps);
        });
    }

    static Set<Capability> capabilities(DeviceMode mode) {
        java.util.EnumSet<Capability> caps = java.util.EnumSet.copyOf(COMMON_CAPABILITIES);
        caps.add(mode == DeviceMode.TUN ? Capability.TUN : Capability.TAP);
        return Set.copyOf(caps);
    }

    /**
     * CONFIG_TUN's {local, remote network, remote netmask} from the first IPv4 address: with a peer
     * {local, peer, 255.255.255.255}, else the address's own network. tap-windows6 has no IPv6-only form.
     */
    static InetAddress[] tunConfiguration(List<DeviceAddress> addresses) throws InvalidConfigurationException {
        for (DeviceAddress d : addresses) {
            if (!d.isIpv4()) {
                continue;
            }
            IpPrefix a = d.local();
            try {
                if (d.peer().isPresent()) {
                    return new InetAddress[] {a.address(), d.peer().get(),
                            InetAddress.getByAddress(new byte[] {-1, -1, -1, -1})};
                }
                byte[] local = a.address().getAddress();
                int bits = a.prefixLength();
                int mask = bits == 0 ? 0 : -1 << (32 - bits);
                byte[] m = {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask};
                byte[] net = new byte[4];
                for (int i = 0; i < 4; i++) {
                    net[i] = (byte) (local[i] & m[i]);
                }
                return new InetAddress[] {a.address(), InetAddress.getByAddress(net), InetAddress.getByAddress(m)};
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e); // lengths are always 4
            }
        }
        throw new InvalidConfigurationException("open", 0, ErrorMessages.failed("open(TUN)", "a TUN device on a "
                + "tap-windows6 adapter needs an IPv4 address in its configuration: the driver's TUN mode "
                + "(TAP_WIN_IOCTL_CONFIG_TUN) is set up with one; add one with DeviceConfig.Builder.address, or use "
                + "Wintun for an IPv6-only TUN device"));
    }

    /**
     * The security descriptor of the project's tuntap6 control device ({@code DefaultSDDLString} in
     * native-driver {@code glue/tt_control_device.c}): a protected DACL granting all access to Local System
     * (SY) and the built-in Administrators (BA) only. Unlike OpenVPN's tap0901 it has no AllowNonAdmin property.
     */
    /** How long open waits for the stack to see the media connected before it adds addresses. */
    private static final long MEDIA_CONNECT_WAIT_NANOS = 2_000_000_000L;

    static final String TUNTAP6_SDDL = "D:P(A;;GA;;;SY)(A;;GA;;;BA)";

    private static TunTapException openError(int error, String path, String label, String driver) {
        String call = "CreateFile(" + path + ")";
        return switch (error) {
            // tap-windows6 refuses a second handle with STATUS_UNSUCCESSFUL, which Win32 reports as 31.
            case WinErrors.ERROR_GEN_FAILURE, WinErrors.ERROR_SHARING_VIOLATION, WinErrors.ERROR_BUSY ->
                    new DeviceBusyException(call, error, WinErrors.message(call, error, "adapter " + label + " is "
                            + "already open in another program or handle (the driver allows one); close it there, or "
                            + "use another adapter"));
            case WinErrors.ERROR_FILE_NOT_FOUND, WinErrors.ERROR_PATH_NOT_FOUND -> WinErrors.of(call, error,
                    "adapter " + label + " is disabled or was removed; enable it in Network Connections");
            case WinErrors.ERROR_ACCESS_DENIED -> WinErrors.of(call, error, switch (driver) {
                case "tuntap6" -> "adapter " + label + " is the project's tuntap6, whose control device admits only "
                        + "SYSTEM and Administrators (security descriptor " + TUNTAP6_SDDL + ")";
                case "tap0901" -> "adapter " + label + " does not allow non-administrators to open it (its "
                        + "AllowNonAdmin property is 0)";
                default -> "the driver of adapter " + label + " (" + driver + ") refuses this user";
            } + ": " + WinErrors.ADMIN_FIX);
            case WinErrors.ERROR_NOT_READY -> WinErrors.of(call, error, "adapter " + label + " is still starting "
                    + "(its driver has not published its device yet); open it again in a moment");
            default -> WinErrors.of(call, error, "cannot open adapter " + label);
        };
    }

    // ---- identity ---------------------------------------------------------------------------------

    @Override
    int maxMtu() {
        return driverMtu;
    }

    @Override
    public long droppedWrites() {
        return 0;
    }

    /** The adapter's MAC address (the host side's address; a TAP device's frames to the host go to it). */
    public MacAddress macAddress() throws TunTapException {
        return query("macAddress", () -> mac);
    }

    // ---- lifecycle --------------------------------------------------------------------------------

    // ---- configuration ----------------------------------------------------------------------------

    /** The media status this device set; tap-windows6 has no administrative state of its own. */
    @Override
    protected boolean fetchUp() throws TunTapException {
        return channel.isLinkUp();
    }

    /**
     * {@code TAP_WIN_IOCTL_SET_MEDIA_STATUS}: the adapter shows as connected or as "cable unplugged". While it
     * is down, writes fail here: the driver itself would accept and drop them.
     */
    @Override
    protected void storeUp(boolean up) throws TunTapException {
        byte[] in = {(byte) (up ? 1 : 0), 0, 0, 0};
        channel.ioctl(TapIoctl.SET_MEDIA_STATUS, "TAP_WIN_IOCTL_SET_MEDIA_STATUS", in, 0);
        channel.setLinkUp(up);
        events.linkChanged(up);
    }

    /**
     * The media first: duplicate address detection, which adding an address waits for, cannot finish on a
     * disconnected adapter. The stack learns of the connect asynchronously, so wait for it briefly.
     */
    @Override
    void beforeAddresses(DeviceConfig config) throws TunTapException {
        setUp(config.up());
        if (config.up() && !config.addresses().isEmpty()) {
            ipInterface().awaitConnected(MEDIA_CONNECT_WAIT_NANOS);
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name() + ", " + adapter.guidText() + ", " + adapter.componentId()
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
            throw new UnsupportedFeatureException("setMacAddress", 0, ErrorMessages.failed("setMacAddress(" + address
                    + ")", "tap-windows6 takes its MAC address from the adapter's NetworkAddress property when the "
                    + "adapter starts; it cannot change while open"));
        }
    }
}
