// SPDX-License-Identifier: Apache-2.0
/** The Windows backend. It has no provider yet: see the module's README. */
module io.tuntap.windows {
    requires transitive io.tuntap.api;
}
