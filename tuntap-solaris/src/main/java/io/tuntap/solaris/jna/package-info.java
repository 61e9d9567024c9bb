// SPDX-License-Identifier: Apache-2.0
/**
 * Internal: mirrors C headers; not API. The Solaris-only calls of the backend ({@code getmsg}, {@code putmsg}),
 * the ioctl numbers of illumos {@code <sys/sockio.h>}, {@code <sys/stropts.h>} and the tun/tap driver's
 * {@code if_tun.h}, and the amd64 layouts of the structures they take.
 */
package io.tuntap.solaris.jna;
