// SPDX-License-Identifier: Apache-2.0
/**
 * The FreeBSD, OpenBSD, NetBSD and macOS backend. Applications use it through {@link io.tuntap.TunTap}; the
 * public types here are the providers that {@link java.util.ServiceLoader} finds and {@link BsdDevice}, the
 * extension a device of this backend offers.
 */
package io.tuntap.bsd;
