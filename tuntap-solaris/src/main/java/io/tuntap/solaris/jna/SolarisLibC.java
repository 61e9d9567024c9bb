// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris.jna;

/**
 * The libc calls only Solaris and illumos have, beyond {@link io.tuntap.posix.PosixLibC}: the STREAMS message
 * calls. An interface so that unit tests can put a fake kernel behind it. Conventions as in C: -1 on failure,
 * with the error from {@link io.tuntap.posix.PosixLibC#errno()}; pointers are native addresses as {@code long}.
 */
public interface SolarisLibC {

    /**
     * getmsg(2): takes the next message from the stream head. {@code ctlptr} and {@code dataptr} point to
     * {@code struct strbuf}s ({@link Stropts.Strbuf}) or are 0; each {@code len} is set to the bytes received, or
     * -1 if the message had no such part. {@code flagsp} points to an int: 0 for any message, RS_HIPRI for a
     * high-priority one only; it is set to the kind received.
     *
     * @return 0 for a whole message; a positive {@code MORECTL|MOREDATA} if the part did not fit (the rest stays
     *     for the next call); -1 with EAGAIN (non-blocking, empty), EINTR, EBADMSG, ENOSTR, EINVAL...
     */
    int getmsg(int fd, long ctlptr, long dataptr, long flagsp);

    /**
     * putmsg(2): sends one message made of the control part {@code ctlptr} and the data part {@code dataptr}
     * ({@code struct strbuf}s or 0). A data part only makes an {@code M_DATA} message.
     *
     * @return 0, or -1 with EAGAIN (non-blocking, flow-controlled), ERANGE (size outside the driver's packet
     *     size range), EINTR, ENXIO (hung up), EINVAL...
     */
    int putmsg(int fd, long ctlptr, long dataptr, int flags);
}
