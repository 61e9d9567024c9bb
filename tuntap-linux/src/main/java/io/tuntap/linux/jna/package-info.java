// SPDX-License-Identifier: Apache-2.0
/**
 * Internal: mirrors C headers; not API. The libc calls of the Linux backend, their constants, and the
 * layouts of the structures they take (LP64 Linux: x86-64 and arm64).
 */
package io.tuntap.linux.jna;
