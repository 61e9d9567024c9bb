// SPDX-License-Identifier: Apache-2.0
/**
 * The POSIX libc calls that the Unix backends share. Internal to the backends: not an API, and it may change
 * in any release.
 */
module io.tuntap.posix {
    requires com.sun.jna;

    exports io.tuntap.posix;
    // JNA registers the native methods of the direct-mapped class reflectively.
    opens io.tuntap.posix to com.sun.jna;
}
