// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import io.tuntap.TunTapDevice;

/**
 * What a device of the BSD and macOS backend offers beyond {@link TunTapDevice}. Every device this backend
 * opens implements it.
 */
public interface BsdDevice extends TunTapDevice {

    /**
     * The file descriptor packets flow through: the {@code /dev/tunN} or {@code /dev/tapN} fd, or the utun
     * control socket on macOS, or for a macOS TAP device the {@code /dev/bpfN} descriptor bound to the far end
     * of its {@code feth} pair (reads return BPF's buffer of records, and must ask for exactly its size). It stays owned by the device: do not close it, and do not read or write it
     * while the device is in use. Non-blocking. TUN packets on it carry the 4-byte address-family header.
     *
     * @throws io.tuntap.DeviceClosedException if the device is closed
     */
    int fileDescriptor() throws io.tuntap.DeviceClosedException;

    /** The kernel driver: {@code "tun"}, {@code "tap"}, {@code "utun"} or {@code "feth"} (macOS TAP). */
    String driver();
}
