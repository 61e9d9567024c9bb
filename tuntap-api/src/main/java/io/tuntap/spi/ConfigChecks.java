// SPDX-License-Identifier: Apache-2.0
package io.tuntap.spi;

import io.tuntap.Capability;
import io.tuntap.DeviceAddress;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.DeviceOption;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.Offload;
import io.tuntap.OpenPolicy;
import io.tuntap.TunTapException;
import io.tuntap.UnsupportedFeatureException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Checks a {@link DeviceConfig} against what a provider can do, before any native call: every backend rejects
 * the same configurations with the same words. {@link Capability#CHOOSE_NAME} is not checked here, since the
 * system's own unit names are accepted without it: the backend checks names against its rules.
 */
public final class ConfigChecks {
    private ConfigChecks() {
    }

    /**
     * Checks capabilities, then options.
     *
     * @param config the configuration to open
     * @param provider the provider's {@link TunTapProvider#name()}
     * @param capabilities the provider's {@link TunTapProvider#capabilities(DeviceMode)} for the config's mode
     * @param supportedOptions the provider's {@link TunTapProvider#supportedOptions()}
     * @throws UnsupportedFeatureException naming the first setting the provider cannot serve
     * @throws InvalidConfigurationException naming an option of this provider that it does not know
     */
    public static void check(DeviceConfig config, String provider, Set<Capability> capabilities,
            Set<DeviceOption<?>> supportedOptions) throws TunTapException {
        checkCapabilities(config, provider, capabilities);
        checkOptions(config, provider, supportedOptions);
    }

    /**
     * The capabilities the configuration needs, each with the setting that needs it, in a fixed order (the
     * mode first).
     *
     * @param config the configuration
     * @return capability to the setting that needs it, e.g. {@code MULTI_QUEUE -> "queues(4)"}
     */
    public static Map<Capability, String> required(DeviceConfig config) {
        Map<Capability, String> needs = new LinkedHashMap<>();
        needs.put(config.mode() == DeviceMode.TUN ? Capability.TUN : Capability.TAP, config.mode() + " mode");
        if (config.queues() > 1) {
            needs.put(Capability.MULTI_QUEUE, "queues(" + config.queues() + ")");
        }
        if (config.persistent()) {
            needs.put(Capability.PERSISTENT, "persistent(true)");
        }
        if (config.owner().isPresent() || config.group().isPresent()) {
            needs.put(Capability.OWNER_AND_GROUP, config.owner().isPresent() ? "owner(" + config.owner().getAsInt()
                    + ")" : "group(" + config.group().getAsInt() + ")");
        }
        if (config.openPolicy() == OpenPolicy.ATTACH_EXISTING) {
            needs.put(Capability.ATTACH, "openPolicy(ATTACH_EXISTING)");
        }
        if (config.mtu().isPresent()) {
            needs.put(Capability.MTU, "mtu(" + config.mtu().getAsInt() + ")");
        }
        if (!config.up()) {
            needs.put(Capability.LINK_STATE, "up(false)");
        }
        for (DeviceAddress a : config.addresses()) {
            needs.putIfAbsent(a.isIpv4() ? Capability.IPV4_ADDRESSES : Capability.IPV6_ADDRESSES, "address(" + a + ")");
            if (a.isPointToPoint()) {
                needs.putIfAbsent(Capability.PEER_ADDRESSES, "address(" + a + ")");
            }
        }
        if (!config.routes().isEmpty()) {
            needs.put(Capability.ROUTES, "route(" + config.routes().get(0) + ")");
            config.routes().stream().filter(r -> r.metric().isPresent()).findFirst()
                    .ifPresent(r -> needs.put(Capability.ROUTE_METRICS, "route(" + r + ")"));
        }
        if (config.macAddress().isPresent()) {
            needs.put(Capability.SET_MAC_ADDRESS, "macAddress(" + config.macAddress().get() + ")");
        }
        if (config.offload() == Offload.VIRTIO_NET_HDR) {
            needs.put(Capability.OFFLOAD, "offload(VIRTIO_NET_HDR)");
        }
        return needs;
    }

    /**
     * Checks that the provider has every capability the configuration needs.
     *
     * @param config the configuration to open
     * @param provider the provider's name, for the message
     * @param capabilities what the provider's devices of the configuration's mode can do here
     * @throws UnsupportedFeatureException naming the first missing capability and the setting that needs it
     */
    public static void checkCapabilities(DeviceConfig config, String provider, Set<Capability> capabilities)
            throws UnsupportedFeatureException {
        Set<Capability> have = capabilities.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(capabilities);
        for (Map.Entry<Capability, String> need : required(config).entrySet()) {
            if (!have.contains(need.getKey())) {
                throw new UnsupportedFeatureException("open", 0, ErrorMessages.failed("open",
                        "the configuration asks for " + need.getValue() + ", which needs Capability." + need.getKey()
                                + ", and provider '" + provider + "' lacks it here (it has " + have + "); remove "
                                + "the setting, or see TunTap.diagnostics() for a provider that has it"));
            }
        }
    }

    /**
     * Checks the options that name this provider: each must be one it supports. Options of other providers are
     * ignored, so that one configuration serves every system.
     *
     * @param config the configuration to open
     * @param provider the provider's name, as options name it
     * @param supported the options the provider reads
     * @throws InvalidConfigurationException naming the first unknown option and the ones the provider knows
     */
    public static void checkOptions(DeviceConfig config, String provider, Set<DeviceOption<?>> supported)
            throws InvalidConfigurationException {
        for (DeviceOption<?> option : config.options()) {
            if (option.provider().equals(provider) && !supported.contains(option)) {
                throw new InvalidConfigurationException("open", 0, ErrorMessages.failed("open", "option " + option
                        + " (" + option.type().getSimpleName() + ") is not one provider '" + provider + "' knows; "
                        + (supported.isEmpty() ? "it takes no options" : "it knows " + supported)
                        + ". Check the option's spelling and type, or that the backend's version matches"));
            }
        }
    }

    /**
     * Checks a run-time method's capability.
     *
     * @param capabilities the device's capabilities
     * @param needed the capability the method needs
     * @param call the method, e.g. {@code "addRoute"}
     * @param what the device, e.g. {@code "tun0"}
     * @param why why the backend lacks it, for the message
     * @throws UnsupportedFeatureException if the device lacks it
     */
    public static void require(Set<Capability> capabilities, Capability needed, String call, String what, String why)
            throws UnsupportedFeatureException {
        if (!capabilities.contains(needed)) {
            throw ErrorMessages.unsupported(call, what, needed, why);
        }
    }
}
