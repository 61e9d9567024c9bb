// SPDX-License-Identifier: Apache-2.0
/**
 * A Netty {@link io.netty.channel.Channel} over one queue of a TUN or TAP device. See
 * {@link io.tuntap.netty.TunTapChannel}.
 */
package io.tuntap.netty;
