// SPDX-License-Identifier: Apache-2.0
/**
 * The Solaris and illumos backend: {@link io.tuntap.solaris.SolarisTunTapProvider}, found with
 * {@link java.util.ServiceLoader}. It needs the third-party STREAMS tun/tap driver (package
 * {@code driver/network/tuntap} on OpenIndiana, {@code tuntap} from the OmniOS extra repository), which provides
 * {@code /dev/tun} and {@code /dev/tap}.
 */
package io.tuntap.solaris;
