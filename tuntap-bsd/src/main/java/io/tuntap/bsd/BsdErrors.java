// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import io.tuntap.TunTapException;
import io.tuntap.bsd.jna.BsdErrno;
import io.tuntap.posix.PosixErrors;

/**
 * The one place where a BSD or macOS errno becomes an exception: {@link PosixErrors} over the BSD errno table.
 * Call sites give the cause and the fix; every method returns the exception and never throws it.
 */
final class BsdErrors {
    private BsdErrors() {
    }

    /** How to get the privilege that creating and configuring interfaces needs on these systems. */
    static final String PRIVILEGE_FIX = "run as root (creating tun, tap and utun interfaces and changing "
            + "addresses needs it on FreeBSD, OpenBSD, NetBSD and macOS)";

    /** The errno translator over the BSD errno table. */
    static final PosixErrors POSIX = new PosixErrors(BsdErrno.TABLE, PRIVILEGE_FIX);

    /**
     * An exception for a failed native call.
     *
     * @param function the call, e.g. {@code "ioctl(SIOCAIFADDR)"}
     * @param errno the error number
     * @param explanation what it means at this call site and what to do
     */
    static TunTapException of(String function, int errno, String explanation) {
        return POSIX.of(function, errno, explanation);
    }

    /** {@link #of} with the shared explanation for this errno if there is one, else {@code otherwise}. */
    static TunTapException ofCommon(String function, int errno, String otherwise) {
        return POSIX.ofCommon(function, errno, otherwise);
    }
}
