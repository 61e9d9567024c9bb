// SPDX-License-Identifier: Apache-2.0
/**
 * The POSIX libc seam of the Unix backends: {@link io.tuntap.posix.PosixLibC}, an interface so that unit
 * tests can put a fake kernel behind it, and {@link io.tuntap.posix.PosixLibCDirect}, the real calls. Not API.
 */
package io.tuntap.posix;
