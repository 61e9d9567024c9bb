// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

/**
 * Counters of kernel segmentation offload on a Linux device ({@link LinuxDevice#offloadStatistics()}), summed
 * over its queues since it was opened.
 *
 * @param enabled whether offload is on for this device (split and coalesced by this library)
 * @param superPacketsRead super-packets (GSO) read from the kernel and split into packets
 * @param segmentsCoalesced packets that writePackets merged into another packet's super-packet
 * @param malformedDropped packets read whole from the kernel whose header and contents disagreed, dropped as
 *     the kernel drops malformed packets
 * @param queuesRefusingCoalescing queues on which the kernel refused a coalesced packet, so that they write
 *     packets one by one from then on (a kernel offload regression)
 */
public record OffloadStatistics(boolean enabled, long superPacketsRead, long segmentsCoalesced,
        long malformedDropped, int queuesRefusingCoalescing) {
}
