// SPDX-License-Identifier: Apache-2.0
/**
 * The service provider interface implemented by each backend and found with {@link java.util.ServiceLoader}.
 * Applications do not need it: {@link io.tuntap.TunTap} picks a provider.
 */
package io.tuntap.spi;
