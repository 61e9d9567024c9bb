// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.MacAddress;
import io.tuntap.TapDevice;
import io.tuntap.TunTapException;
import io.tuntap.testkit.ChannelPeer;
import io.tuntap.testkit.ContractHarness;
import io.tuntap.testkit.ContractHarness.DeviceUnderTest;

/** Opens devices of the backend against a fake kernel. */
final class Fakes {
    private Fakes() {
    }

    static BsdContext context(FakeKernel k) {
        return new BsdContext(k, k, k.abi);
    }

    static BsdSystem system(FakeKernel k) {
        return switch (k.abi.os) {
            case FREEBSD -> new FreeBsdSystem();
            case OPENBSD -> new OpenBsdSystem();
            case NETBSD -> new NetBsdSystem();
            case DARWIN -> new DarwinSystem();
        };
    }

    static BsdTunTapDevice open(FakeKernel k, DeviceConfig config) throws TunTapException {
        return BsdTunTapDevice.open(context(k), system(k), providerName(k), config);
    }

    /** A device on {@code k} for the contract tests, whose peer is the fake's host side. */
    static DeviceUnderTest underTest(FakeKernel k, DeviceConfig config) throws TunTapException {
        BsdTunTapDevice device = open(k, config);
        MacAddress hostMac = config.mode() == DeviceMode.TAP ? ((TapDevice) device).macAddress() : null;
        return new DeviceUnderTest(device, new ChannelPeer(k.host(device.name()), config.mode(), hostMac,
                ContractHarness.REMOTE_MAC), null);
    }

    static String providerName(FakeKernel k) {
        return switch (k.abi.os) {
            case FREEBSD -> "freebsd";
            case OPENBSD -> "openbsd";
            case NETBSD -> "netbsd";
            case DARWIN -> "macos-utun";
        };
    }

    static FakeKernel[] all() {
        return new FakeKernel[] {new FakeFreeBsd(15), new FakeOpenBsd(), new FakeNetBsd(), new FakeDarwin()};
    }
}
