// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import io.tuntap.spi.HostOs;

/**
 * TUN and TAP on FreeBSD through the /dev/tun and /dev/tap clone devices. Found with {@link java.util.ServiceLoader}; harmless on other systems, where it reports itself
 * unavailable without loading native code.
 */
public final class FreeBsdTunTapProvider extends AbstractBsdProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public FreeBsdTunTapProvider() {
        super(HostOs.FREEBSD, "FreeBSD", new FreeBsdSystem());
    }

    @Override
    public String name() {
        return "freebsd";
    }
}
