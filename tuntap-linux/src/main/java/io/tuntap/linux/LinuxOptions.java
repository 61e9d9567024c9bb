// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import io.tuntap.DeviceOption;

/**
 * Options of the {@code "linux"} provider, for {@link io.tuntap.DeviceConfig.Builder#option}. Other providers
 * ignore them, so one configuration serves every OS.
 */
public final class LinuxOptions {
    private LinuxOptions() {
    }

    /**
     * Whether {@code readPackets} and {@code writePackets} of this device may submit their batches through
     * io_uring (one {@code io_uring_enter} per batch) where the kernel allows it. Default true; false keeps the
     * plain path (one {@code read} or {@code write} per packet) for this device. The system property
     * {@code -Dtuntap.linux.io_uring=false} turns io_uring off for every device of the process; where the
     * kernel forbids io_uring the plain path is taken whatever this says.
     */
    public static final DeviceOption<Boolean> IO_URING = DeviceOption.of("linux", "io-uring", Boolean.class);
}
