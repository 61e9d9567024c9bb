// SPDX-License-Identifier: Apache-2.0
/**
 * Internal: mirrors C headers of FreeBSD, OpenBSD, NetBSD and macOS (ioctl numbers, structure layouts) and
 * binds the BSD-only libc calls; not API.
 */
package io.tuntap.bsd.jna;
