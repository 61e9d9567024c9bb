// SPDX-License-Identifier: Apache-2.0
/**
 * The Unix packet path that the backends share: the POSIX libc calls, the wakeable poll, the queue, the event
 * thread and the direct-buffer address cache. Internal to the backends: not an API, and it may change in any release.
 */
module io.tuntap.posix {
    requires transitive io.tuntap.api;
    requires com.sun.jna;

    exports io.tuntap.posix to io.tuntap.linux, io.tuntap.bsd, io.tuntap.solaris;
    // JNA registers the native methods of the direct-mapped class reflectively.
    opens io.tuntap.posix to com.sun.jna;
}
