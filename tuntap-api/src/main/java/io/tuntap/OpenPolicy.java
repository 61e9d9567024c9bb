// SPDX-License-Identifier: Apache-2.0
package io.tuntap;

/** What {@link TunTap#open(DeviceConfig)} does when a device of the requested name does or does not exist. */
public enum OpenPolicy {
    /** Attach to the named device if it exists (for example a persistent one), otherwise create it. */
    CREATE_OR_ATTACH,
    /** Create a new device; fail with {@link DeviceBusyException} if the name is taken. */
    CREATE_NEW,
    /** Attach to an existing device; fail with {@link DeviceNotFoundException} if there is none. */
    ATTACH_EXISTING
}
