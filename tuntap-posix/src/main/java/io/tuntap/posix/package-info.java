// SPDX-License-Identifier: Apache-2.0
/**
 * The Unix packet path that the Linux, BSD, macOS and Solaris backends share: {@link io.tuntap.posix.PosixLibC},
 * an interface so that unit tests can put a fake kernel behind it, with the real calls through JNA
 * ({@link io.tuntap.posix.PosixLibCDirect}) or, on Java 22 and later, the foreign function API
 * ({@link io.tuntap.posix.ForeignPosixLibC}), as {@link io.tuntap.posix.PosixCalls} picks once for every backend;
 * {@link io.tuntap.posix.WakeablePoll}, the wait on a device fd that close can wake, in which a virtual thread
 * parks with the process's {@link io.tuntap.posix.ParkingPoller} (a {@link io.tuntap.posix.Parking} per fd;
 * {@link io.tuntap.posix.PollParkingPoller} where the backend has nothing better);
 * {@link io.tuntap.posix.PosixQueue}, the queue written once over each backend's framing (its read and write
 * loops in {@code QueueLoops}); {@link io.tuntap.posix.EventWatcher}, the event thread of every backend, waiting
 * on its notification socket through the same poll; and
 * {@link io.tuntap.posix.DirectAddresses}, the direct-buffer address cache. Not API.
 */
package io.tuntap.posix;
