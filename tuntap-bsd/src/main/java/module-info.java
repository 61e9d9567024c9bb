// SPDX-License-Identifier: Apache-2.0
/** The FreeBSD, OpenBSD, NetBSD and macOS backend. It has no provider yet: see the module's README. */
module io.tuntap.bsd {
    requires transitive io.tuntap.api;
}
