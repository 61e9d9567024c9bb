// SPDX-License-Identifier: Apache-2.0
/**
 * The Linux backend. Applications reach it through {@link io.tuntap.TunTap}; the public types here are the
 * provider, found with {@link java.util.ServiceLoader}, and {@link io.tuntap.linux.LinuxNetworkNamespace},
 * which opens devices inside a named network namespace.
 */
package io.tuntap.linux;
