// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import io.tuntap.spi.HostOs;

/**
 * macOS: TUN through utun kernel-control sockets, TAP through a {@code feth} interface pair read and written
 * with BPF (the device is the {@code fethN} end the system uses; its far end is made, kept up and destroyed with
 * it). Found with {@link java.util.ServiceLoader}; harmless on other systems, where it reports itself unavailable
 * without loading native code.
 */
public final class MacOsTunTapProvider extends AbstractBsdProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public MacOsTunTapProvider() {
        super(HostOs.MACOS, "macOS", new DarwinSystem());
    }

    @Override
    public String name() {
        return "macos-utun";
    }
}
