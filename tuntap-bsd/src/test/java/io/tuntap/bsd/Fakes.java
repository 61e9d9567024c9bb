// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import io.tuntap.DeviceConfig;
import io.tuntap.TunTapException;

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
