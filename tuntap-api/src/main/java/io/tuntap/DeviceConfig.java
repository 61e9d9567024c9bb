// SPDX-License-Identifier: Apache-2.0
package io.tuntap;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What device to open and how to set it up. Immutable; made with {@link #tun()} or {@link #tap()}:
 *
 * <pre>{@code
 * DeviceConfig config = DeviceConfig.tun()
 *         .name("tun7")
 *         .mtu(1420)
 *         .address("10.7.0.1/24")
 *         .address("fd07::1/64")
 *         .route(Route.onLink(IpPrefix.parse("10.8.0.0/16")))
 *         .build();
 * }</pre>
 *
 * <p>{@link Builder#build()} checks everything that can be checked without the operating system, and a
 * backend checks the rest (such as the interface name rules of its OS) before it makes any native call.
 *
 * <p>Longer than 400 lines on purpose: it is the whole configuration surface, the immutable value and its
 * {@link Builder}, and each field's check sits in the builder method that sets it; the Javadoc of those
 * methods is most of the file, and moving the builder out would only add a file that readers must open with it.
 */
public final class DeviceConfig {
    /** The smallest MTU accepted: the IPv4 minimum (RFC 791). IPv6 addresses need at least 1280. */
    public static final int MIN_MTU = 68;
    /** The largest MTU accepted. */
    public static final int MAX_MTU = 65535;
    /** The most queues accepted here; a backend may allow fewer (Linux: 256). */
    public static final int MAX_QUEUES = 1024;

    private static final MacAddress ZERO_MAC = MacAddress.of(new byte[MacAddress.LENGTH]);
    private static final MacAddress BROADCAST = MacAddress.parse("ff:ff:ff:ff:ff:ff");

    private final DeviceMode mode;
    private final String name;
    private final int mtu;
    private final boolean persistent;
    private final int owner;
    private final int group;
    private final int queues;
    private final OpenPolicy openPolicy;
    private final List<DeviceAddress> addresses;
    private final List<Route> routes;
    private final boolean up;
    private final MacAddress macAddress;
    private final Offload offload;
    private final Map<DeviceOption<?>, Object> options;

    private DeviceConfig(Builder b) {
        this.mode = b.mode;
        this.name = b.name;
        this.mtu = b.mtu;
        this.persistent = b.persistent;
        this.owner = b.owner;
        this.group = b.group;
        this.queues = b.queues;
        this.openPolicy = b.openPolicy;
        this.addresses = List.copyOf(b.addresses);
        this.routes = List.copyOf(b.routes);
        this.up = b.up;
        this.macAddress = b.macAddress;
        this.offload = b.offload;
        this.options = Collections.unmodifiableMap(new LinkedHashMap<>(b.options));
    }

    /** {@return a builder for a TUN (layer 3, IP packets) device} */
    public static Builder tun() {
        return new Builder(DeviceMode.TUN);
    }

    /** {@return a builder for a TAP (layer 2, Ethernet frames) device} */
    public static Builder tap() {
        return new Builder(DeviceMode.TAP);
    }

    /**
     * A builder for a device of the given mode.
     *
     * @param mode TUN or TAP
     * @return the builder, with every setting at its default
     */
    public static Builder builder(DeviceMode mode) {
        return new Builder(Objects.requireNonNull(mode, "mode"));
    }

    /** {@return a builder that starts from this configuration} */
    public Builder toBuilder() {
        Builder b = new Builder(mode);
        b.name = name;
        b.mtu = mtu;
        b.persistent = persistent;
        b.owner = owner;
        b.group = group;
        b.queues = queues;
        b.openPolicy = openPolicy;
        b.addresses.addAll(addresses);
        b.routes.addAll(routes);
        b.up = up;
        b.macAddress = macAddress;
        b.offload = offload;
        b.options.putAll(options);
        return b;
    }

    /**
     * TUN or TAP.
     *
     * @return the device's mode
     */
    public DeviceMode mode() {
        return mode;
    }

    /** {@return the exact interface name, or empty to let the operating system choose one} */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    /** {@return the MTU to set on open, or empty to keep the system's default (1500 on most)} */
    public OptionalInt mtu() {
        return mtu == 0 ? OptionalInt.empty() : OptionalInt.of(mtu);
    }

    /** {@return whether the device outlives this handle ({@link Capability#PERSISTENT}; Linux {@code TUNSETPERSIST})} */
    public boolean persistent() {
        return persistent;
    }

    /** {@return the user id that may attach to the device without privileges, if set} */
    public OptionalInt owner() {
        return owner < 0 ? OptionalInt.empty() : OptionalInt.of(owner);
    }

    /** {@return the group id whose members may attach to the device without privileges, if set} */
    public OptionalInt group() {
        return group < 0 ? OptionalInt.empty() : OptionalInt.of(group);
    }

    /** {@return the number of packet queues: one handle each, on one interface} */
    public int queues() {
        return queues;
    }

    /** {@return whether to create the device, attach to an existing one, or either} */
    public OpenPolicy openPolicy() {
        return openPolicy;
    }

    /**
     * Addresses to assign on open, in order.
     *
     * @return the addresses, unmodifiable; empty if none
     */
    public List<DeviceAddress> addresses() {
        return addresses;
    }

    /**
     * Routes to add through the device on open, in order, after the addresses and bringing the link up.
     *
     * @return the routes, unmodifiable; empty if none
     */
    public List<Route> routes() {
        return routes;
    }

    /**
     * The value of a backend option, if the configuration sets it.
     *
     * @param <T> the option's type
     * @param option the option
     * @return the value, or empty
     */
    public <T> Optional<T> option(DeviceOption<T> option) {
        return Optional.ofNullable(option.type().cast(options.get(option)));
    }

    /** {@return every backend option set, of every provider, in the order set} */
    public Set<DeviceOption<?>> options() {
        return options.keySet();
    }

    /** {@return whether to bring the link up on open} */
    public boolean up() {
        return up;
    }

    /** {@return the MAC address to set on a TAP device on open, if any} */
    public Optional<MacAddress> macAddress() {
        return Optional.ofNullable(macAddress);
    }

    /**
     * Kernel segmentation offload: {@link Offload#AUTO} unless set.
     *
     * @return the offload setting
     */
    public Offload offload() {
        return offload;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceConfig c && mode == c.mode && Objects.equals(name, c.name) && mtu == c.mtu
                && persistent == c.persistent && owner == c.owner && group == c.group && queues == c.queues
                && openPolicy == c.openPolicy && addresses.equals(c.addresses) && routes.equals(c.routes)
                && up == c.up && Objects.equals(macAddress, c.macAddress) && offload == c.offload
                && options.equals(c.options);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, name, mtu, persistent, owner, group, queues, openPolicy, addresses, routes, up,
                macAddress, offload, options);
    }

    @Override
    public String toString() {
        return "DeviceConfig{" + mode + (name == null ? ", name chosen by the system" : ", name=" + name)
                + (mtu == 0 ? "" : ", mtu=" + mtu) + (persistent ? ", persistent" : "")
                + (owner < 0 ? "" : ", owner=" + owner) + (group < 0 ? "" : ", group=" + group)
                + ", queues=" + queues + ", " + openPolicy + (addresses.isEmpty() ? "" : ", addresses=" + addresses)
                + (routes.isEmpty() ? "" : ", routes=" + routes) + (up ? ", up" : ", down")
                + (macAddress == null ? "" : ", mac=" + macAddress) + ", offload=" + offload
                + (options.isEmpty() ? "" : ", options=" + options) + "}";
    }

    /**
     * Builds a {@link DeviceConfig}. Not thread-safe.
     *
     * <p>One rule for mistakes, whatever the overload: a value that cannot exist (an address or route that does
     * not parse, a prefix length of 33, a route with host bits set) fails where it is made, with
     * {@link IllegalArgumentException}, as the value types ({@link IpPrefix}, {@link DeviceAddress},
     * {@link Route}, {@link MacAddress}) do; so {@code address("10.0.0.1/33")} and
     * {@code address(IpPrefix.parse("10.0.0.1/33"))} fail alike. A value that exists but does not fit this
     * configuration (an MTU out of range, a MAC address on TUN, a route while the link stays down, an address
     * listed twice) is reported by {@link #build()} with {@link InvalidConfigurationException}, which names the
     * first such problem.
     */
    public static final class Builder {
        private final DeviceMode mode;
        private String name;
        private int mtu;
        private boolean persistent;
        private int owner = -1;
        private int group = -1;
        private int queues = 1;
        private OpenPolicy openPolicy = OpenPolicy.CREATE_OR_ATTACH;
        private final List<DeviceAddress> addresses = new ArrayList<>();
        private final List<Route> routes = new ArrayList<>();
        private boolean up = true;
        private MacAddress macAddress;
        private Offload offload = Offload.AUTO;
        private final Map<DeviceOption<?>, Object> options = new LinkedHashMap<>();
        private String firstProblem;

        private Builder(DeviceMode mode) {
            this.mode = mode;
        }

        /**
         * The exact interface name. Without it the system picks one (e.g. {@code tun0}).
         *
         * @param name the interface name; its rules are the system's (on Linux at most 15 characters)
         * @return this builder
         */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * The MTU to set on open, {@value #MIN_MTU} to {@value #MAX_MTU}.
         *
         * @param mtu the MTU in bytes; out of range is reported by {@link #build()}
         * @return this builder
         */
        public Builder mtu(int mtu) {
            this.mtu = mtu;
            if (mtu < MIN_MTU || mtu > MAX_MTU) {
                problem("MTU " + mtu + " is out of range: use " + MIN_MTU + " to " + MAX_MTU);
            }
            return this;
        }

        /**
         * Keep the device after the handle closes (default false: it goes away with the last handle).
         *
         * @param persistent true to keep the device ({@link Capability#PERSISTENT})
         * @return this builder
         */
        public Builder persistent(boolean persistent) {
            this.persistent = persistent;
            return this;
        }

        /**
         * Let this user id attach later without privileges.
         *
         * @param uid a user id, not negative
         * @return this builder
         */
        public Builder owner(int uid) {
            this.owner = uid;
            if (uid < 0) {
                problem("owner uid " + uid + " is negative");
            }
            return this;
        }

        /**
         * Let members of this group id attach later without privileges.
         *
         * @param gid a group id, not negative
         * @return this builder
         */
        public Builder group(int gid) {
            this.group = gid;
            if (gid < 0) {
                problem("group gid " + gid + " is negative");
            }
            return this;
        }

        /**
         * The number of packet queues (default 1). More than one needs {@link Capability#MULTI_QUEUE}.
         *
         * @param queues 1 or more, at most {@link #MAX_QUEUES}
         * @return this builder
         */
        public Builder queues(int queues) {
            this.queues = queues;
            if (queues < 1 || queues > MAX_QUEUES) {
                problem("queue count " + queues + " is out of range: use 1 to " + MAX_QUEUES);
            }
            return this;
        }

        /**
         * Create, attach, or either (default {@link OpenPolicy#CREATE_OR_ATTACH}).
         *
         * @param openPolicy what to do when the named device exists, or does not
         * @return this builder
         */
        public Builder openPolicy(OpenPolicy openPolicy) {
            this.openPolicy = Objects.requireNonNull(openPolicy, "openPolicy");
            return this;
        }

        /**
         * Adds an address without a peer to assign on open: its prefix is on-link.
         *
         * @param address the address and its prefix length
         * @return this builder
         */
        public Builder address(IpPrefix address) {
            return address(DeviceAddress.of(Objects.requireNonNull(address, "address")));
        }

        /**
         * Adds an address to assign on open, possibly with a point-to-point peer.
         *
         * @param address the address, with its peer if any
         * @return this builder
         */
        public Builder address(DeviceAddress address) {
            addresses.add(Objects.requireNonNull(address, "address"));
            return this;
        }

        /**
         * Adds an address to assign on open, given as {@code "10.0.0.1/24"}, {@code "fd00::1/64"} or
         * {@code "10.0.0.1/32 peer 10.0.0.2"}: the same as {@code address(DeviceAddress.parse(address))}, and
         * failing the same way.
         *
         * @param address the address in text
         * @return this builder
         * @throws IllegalArgumentException if the text is not an address (see {@link DeviceAddress#parse(String)})
         */
        public Builder address(String address) {
            return address(DeviceAddress.parse(address));
        }

        /**
         * Adds a route to add through the device on open ({@link Capability#ROUTES}). Needs the link up.
         *
         * @param route the destination and, optionally, a gateway
         * @return this builder
         */
        public Builder route(Route route) {
            routes.add(Objects.requireNonNull(route, "route"));
            return this;
        }

        /**
         * Sets a backend option; only the provider it names reads it (see {@link DeviceOption}).
         *
         * @param <T> the option's type
         * @param option the option
         * @param value its value, an instance of {@link DeviceOption#type()}
         * @return this builder
         */
        public <T> Builder option(DeviceOption<T> option, T value) {
            Objects.requireNonNull(option, "option");
            Objects.requireNonNull(value, "value");
            if (!option.type().isInstance(value)) {
                problem("option " + option + " takes a " + option.type().getSimpleName() + ", not a "
                        + value.getClass().getSimpleName());
            }
            options.put(option, value);
            return this;
        }

        /**
         * Bring the link up on open (default true).
         *
         * @param up false to leave the link down until {@link TunTapDevice#setUp(boolean)}
         * @return this builder
         */
        public Builder up(boolean up) {
            this.up = up;
            return this;
        }

        /**
         * The MAC address of a TAP device. Must be unicast.
         *
         * @param macAddress a unicast address; a TUN device has none
         * @return this builder
         */
        public Builder macAddress(MacAddress macAddress) {
            this.macAddress = Objects.requireNonNull(macAddress, "macAddress");
            return this;
        }

        /**
         * Kernel segmentation offload (default {@link Offload#AUTO}).
         *
         * @param offload whether to ask the kernel for segmentation offload
         * @return this builder
         */
        public Builder offload(Offload offload) {
            this.offload = Objects.requireNonNull(offload, "offload");
            return this;
        }

        /**
         * Checks the configuration and builds it.
         *
         * @return the configuration
         * @throws InvalidConfigurationException naming the first problem found
         */
        public DeviceConfig build() throws InvalidConfigurationException {
            if (firstProblem == null) {
                checkCombination();
            }
            if (firstProblem != null) {
                throw new InvalidConfigurationException("DeviceConfig.build", 0,
                        "invalid device configuration: " + firstProblem);
            }
            return new DeviceConfig(this);
        }

        private void checkCombination() {
            if (name != null && (name.isEmpty() || name.indexOf('\0') >= 0)) {
                problem("the name must be non-empty and contain no NUL character (leave it unset to let the system choose)");
            } else if (openPolicy == OpenPolicy.ATTACH_EXISTING && name == null) {
                problem("ATTACH_EXISTING needs the name of the device to attach to");
            } else if (macAddress != null && mode != DeviceMode.TAP) {
                problem("a MAC address can only be set on a TAP device; a TUN device has no link-layer address");
            } else if (macAddress != null && macAddress.isMulticast()) {
                problem("MAC address " + macAddress + " is a " + (macAddress.equals(BROADCAST) ? "broadcast" : "multicast")
                        + " address; an interface needs a unicast one (the lowest bit of the first byte clear), "
                        + "e.g. MacAddress.randomLocal()");
            } else if (macAddress != null && macAddress.equals(ZERO_MAC)) {
                problem("MAC address 00:00:00:00:00:00 names no interface; use a unicast, non-zero one, "
                        + "e.g. MacAddress.randomLocal()");
            } else if (addresses.stream().map(DeviceAddress::local).distinct().count() != addresses.size()) {
                problem("an address is listed twice: " + addresses);
            } else if (mtu != 0 && mtu < 1280 && addresses.stream().anyMatch(a -> !a.isIpv4())) {
                problem("MTU " + mtu + " is below 1280, the IPv6 minimum (RFC 8200), but IPv6 addresses are configured");
            } else if (new LinkedHashSet<>(routes).size() != routes.size()) {
                problem("a route is listed twice: " + routes);
            } else if (!routes.isEmpty() && !up) {
                problem("routes are configured but the link stays down; a route needs the link up (up(true))");
            }
        }

        private void problem(String text) {
            if (firstProblem == null) {
                firstProblem = text;
            }
        }
    }
}
