// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris;

import io.tuntap.TunTapException;
import io.tuntap.posix.PosixErrors;
import io.tuntap.solaris.jna.Errno;

/**
 * The one place where an illumos errno becomes an exception: {@link PosixErrors} over the illumos errno table.
 * Call sites give the cause and the fix that fit their call; the errno picks the type. It returns the exception
 * and never throws it.
 */
final class SolarisErrors {
    /** Where the driver comes from. */
    static final String DRIVER_FIX = "install the STREAMS tun/tap driver: on OpenIndiana 'pkg install "
            + "driver/network/tun driver/network/tap', on OmniOS 'pkg install driver/tuntap' from the extra.omnios "
            + "publisher, elsewhere build https://github.com/kaizawa/tuntap; it works in the global zone only";
    /** How to get the privilege that plumbing interfaces needs. */
    static final String PRIVILEGE_FIX = "run as root, or grant the JVM the net_rawaccess and sys_ip_config "
            + "privileges (ppriv), in the global zone";
    /** The errno translator over the illumos errno table. */
    static final PosixErrors POSIX = new PosixErrors(Errno.TABLE, PRIVILEGE_FIX);

    private SolarisErrors() {
    }

    /**
     * An exception for a failed native call.
     *
     * @param function the call, e.g. {@code "ioctl(I_STR TUNNEWPPA)"}
     * @param errno the error number
     * @param explanation what it means at this call site and what to do
     */
    static TunTapException of(String function, int errno, String explanation) {
        return POSIX.of(function, errno, explanation);
    }

    /**
     * {@link #of} with the explanation shared by all call sites for this errno if there is one, else
     * {@code otherwise}.
     */
    static TunTapException ofCommon(String function, int errno, String otherwise) {
        return POSIX.ofCommon(function, errno, otherwise);
    }
}
