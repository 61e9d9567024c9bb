// SPDX-License-Identifier: Apache-2.0
package io.tuntap.spi;

import io.tuntap.Capability;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceInfo;
import io.tuntap.DeviceMode;
import io.tuntap.DeviceOption;
import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;
import io.tuntap.UnsupportedFeatureException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A backend that opens TUN/TAP devices on some operating system. Found with {@link java.util.ServiceLoader};
 * register an implementation both in {@code module-info} ({@code provides io.tuntap.spi.TunTapProvider with
 * ...}) and in {@code META-INF/services/io.tuntap.spi.TunTapProvider}.
 *
 * <p>The public no-argument constructor must be cheap and must not load native code: a provider for another
 * OS is instantiated on every system. Native libraries are loaded only by {@link #availability()} once the
 * OS matches.
 *
 * <p>A provider states what it can do per {@link DeviceMode}: one module may register a provider per driver
 * (Windows: "wintun" for TUN, "tap-windows6" for TAP and TUN), or serve both modes with different kernel
 * interfaces (macOS, "macos-utun": utun for TUN, a {@code feth} pair read and written through BPF for TAP).
 * {@link io.tuntap.TunTap#open(DeviceConfig)} picks, among available providers whose
 * {@link #capabilities(DeviceMode)} is not empty for the configuration's mode, the one of highest priority.
 *
 * <p>The shared layer in this package does the OS-neutral part of a backend: {@link AbstractTunTapDevice}
 * (queue-0 delegation, {@code queues()}, closing), {@link CloseGate}, {@link ConfigChecks},
 * {@link BatchChecks}, {@link ErrorMessages} and {@link EventDispatcher}.
 */
public interface TunTapProvider {

    /** {@return a short unique name, such as {@code "linux"}, used by {@code -Dtuntap.provider=NAME} and by options} */
    String name();

    /**
     * Among available providers for a mode, the highest priority wins. Built-in providers use 100.
     *
     * @return the priority; built-in providers use 100, Wintun 110
     */
    int priority();

    /**
     * Whether this provider can open devices here. Computed once and cached by the implementation.
     *
     * @return whether and how this provider serves here, and why not
     */
    Availability availability();

    /**
     * What devices of this mode from this provider can do here. Empty if unavailable or if the provider does
     * not serve this mode; otherwise it contains {@link Capability#TUN} or {@link Capability#TAP} for the mode.
     *
     * @param mode TUN or TAP
     * @return the capabilities; empty where this provider does not serve the mode
     */
    Set<Capability> capabilities(DeviceMode mode);

    /** {@return the union of {@link #capabilities(DeviceMode)} over both modes, for reports} */
    default Set<Capability> capabilities() {
        Set<Capability> all = EnumSet.noneOf(Capability.class);
        for (DeviceMode mode : DeviceMode.values()) {
            all.addAll(capabilities(mode));
        }
        return all;
    }

    /** {@return the backend options this provider reads (each with {@link DeviceOption#provider()} equal to {@link #name()})} */
    default Set<DeviceOption<?>> supportedOptions() {
        return Set.of();
    }

    /**
     * The TUN and TAP devices of this provider's kind that exist on the system, including those other programs
     * made. An unavailable provider returns an empty list.
     *
     * @return the devices, in the system's order
     * @throws TunTapException if the system cannot be asked
     */
    List<DeviceInfo> devices() throws TunTapException;

    /**
     * Opens a device as configured. The returned object implements {@link io.tuntap.TunDevice} or
     * {@link io.tuntap.TapDevice} according to {@link DeviceConfig#mode()}.
     *
     * <p>Before any native call, a provider checks the configuration with
     * {@link ConfigChecks#check(DeviceConfig, String, Set, Set)}: capabilities, and options that name it but
     * that it does not know.
     *
     * <p>On failure nothing is left behind: no open handle, and no interface that this call created.
     *
     * @param config what to open
     * @return the open device; close it when done
     * @throws TunTapException naming the call, the cause and the fix; a subclass says which kind of failure
     */
    TunTapDevice open(DeviceConfig config) throws TunTapException;

    /**
     * Makes a network of its own, apart from the host's, in which tests open devices (on Linux, a new network
     * namespace; it needs CAP_SYS_ADMIN). Systems without such isolation throw.
     *
     * @return the network; close it when done
     * @throws UnsupportedFeatureException if this system has no isolated networks (the default)
     * @throws TunTapException if one cannot be made here (missing privilege, say)
     */
    default IsolatedNetwork openIsolatedNetwork() throws TunTapException {
        throw new UnsupportedFeatureException("openIsolatedNetwork", 0, ErrorMessages.failed("openIsolatedNetwork",
                "the " + name() + " backend has no isolated networks (network namespaces are Linux only); open "
                        + "devices in the host's own network instead"));
    }

    /**
     * Takes over open TUN/TAP descriptors made elsewhere, one per queue of the same interface, as a device
     * ({@link Capability#ADOPT}). The device learns name, mode and flags from the descriptors and owns them:
     * its {@code close()} closes them. On failure the descriptors are left open and unchanged, still the
     * caller's.
     *
     * @param fds the descriptors, at least one
     * @return the device, owning the descriptors
     * @throws io.tuntap.InvalidDescriptorException if one is not an open TUN/TAP descriptor this backend can use
     * @throws TunTapException if the interface cannot be reached
     */
    default TunTapDevice adopt(int[] fds) throws TunTapException {
        throw ErrorMessages.unsupported("adopt", "provider '" + name() + "'", Capability.ADOPT,
                "this backend cannot take over a descriptor made elsewhere");
    }

    /**
     * Sends the descriptors of every queue of {@code device}, one of this provider's, over the Unix socket at
     * {@code socket} ({@code SCM_RIGHTS}), waiting up to {@code timeout} for a receiver to listen there.
     *
     * @param device an open device of this provider
     * @param socket the path of the receiver's socket
     * @param timeout how long to wait for a receiver
     * @throws TunTapException if nothing listens in time or the sending fails
     */
    default void send(TunTapDevice device, Path socket, Duration timeout) throws TunTapException {
        throw ErrorMessages.unsupported("DeviceHandoff.send", device.name(), Capability.ADOPT,
                "this backend cannot pass descriptors");
    }

    /**
     * Listens on a new Unix socket at {@code socket} (mode 0600), receives the descriptors one sender passes
     * ({@code SCM_RIGHTS}) and adopts them as in {@link #adopt(int[])}, closing them if that fails.
     *
     * @param socket the path of the socket to listen on
     * @param timeout how long to wait for a sender
     * @return the received device, owning the descriptors
     * @throws TunTapException if nothing comes in time, or what came is not a TUN/TAP descriptor
     */
    default TunTapDevice receive(Path socket, Duration timeout) throws TunTapException {
        throw ErrorMessages.unsupported("DeviceHandoff.receive", "provider '" + name() + "'", Capability.ADOPT,
                "this backend cannot receive descriptors");
    }

    /**
     * The system's routing table outside any device, in the calling thread's network namespace where the
     * system has them ({@link Capability#BYPASS_ROUTES}).
     *
     * @return the table
     * @throws TunTapException if the system's routing interface cannot be opened
     */
    default SystemRouteTable routeTable() throws TunTapException {
        throw ErrorMessages.unsupported("TunTap.defaultRoute", "provider '" + name() + "'", Capability.BYPASS_ROUTES,
                "this backend cannot read or change the system's routes");
    }
}
