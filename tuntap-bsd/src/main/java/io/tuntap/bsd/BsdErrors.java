// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import io.tuntap.LinkDownException;
import io.tuntap.TunTapException;
import io.tuntap.bsd.jna.BsdErrno;
import io.tuntap.posix.PosixErrors;
import io.tuntap.spi.ErrorMessages;

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

    /**
     * The refusal of a write while the link is down, which several of these kernels would drop silently; no
     * call failed, so the error code is 0.
     *
     * @param device the device
     * @param unit what would be dropped: "packet" or "frame"
     */
    static LinkDownException linkDown(String device, String unit) {
        return new LinkDownException("write", 0, ErrorMessages.failed("write to " + device, "the link is down, "
                + "and the " + unit + " would be dropped; bring it up with setUp(true)"));
    }

    /** {@link #of} with the shared explanation for this errno if there is one, else {@code otherwise}. */
    static TunTapException ofCommon(String function, int errno, String otherwise) {
        return POSIX.ofCommon(function, errno, otherwise);
    }
}
