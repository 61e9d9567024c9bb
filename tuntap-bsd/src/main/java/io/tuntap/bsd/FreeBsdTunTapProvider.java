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

    /** Takes over a tun or tap descriptor ({@code TUNGIFNAME}, {@code TUNGIFHEAD}); see {@link BsdAdopter}. */
    @Override
    public io.tuntap.TunTapDevice adopt(int[] fds) throws io.tuntap.TunTapException {
        return adoptWith(fds);
    }

    @Override
    public String name() {
        return "freebsd";
    }
}
