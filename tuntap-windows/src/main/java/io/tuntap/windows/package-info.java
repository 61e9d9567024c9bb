// SPDX-License-Identifier: Apache-2.0
/**
 * The Windows backend: providers for tap-windows6-compatible drivers and for Wintun, and the
 * {@link io.tuntap.windows.WindowsAdapter} extension of the devices they open.
 */
package io.tuntap.windows;
