// SPDX-License-Identifier: Apache-2.0
/**
 * Internal: not API. The io_uring batch path of the Linux backend: {@link io.tuntap.linux.uring.IoUring}, one
 * ring driven from Java over memory mapped once; {@link io.tuntap.linux.uring.UringBatchIo}, the batch calls
 * of one queue on two such rings; {@link io.tuntap.linux.uring.UringSupport}, the once-per-process probe and
 * the {@code tuntap.linux.io_uring} switch.
 *
 * <p>Decisions, and why:
 * <ul>
 * <li>Every request carries {@code RWF_NOWAIT}. On a TUN fd the kernel then runs it in the submitting thread
 *     and answers EAGAIN when it cannot go on at once. Without it, a read of an empty queue stays armed in
 *     the ring (measured on 6.18: {@code io_uring_enter} waits) where {@code close()} cannot reach it, and a
 *     write that cannot go on may be handed to a kernel worker thread, where it can overtake the next one.
 *     Waiting is left to the queue's own {@code poll} on the device and its close eventfd, as for single
 *     packets, so that close, interrupt and timeouts behave the same.</li>
 * <li>Writes go unlinked: linking ({@code IOSQE_IO_LINK}) makes each request wait until the one before it
 *     completed and was freed, which costs C's own io_uring loop 19–30 % (BENCHMARKS.md). Unlinked requests
 *     with {@code RWF_NOWAIT} are still issued in order, inline. The refusals a packet's own bytes decide are
 *     checked in Java before the batch goes in, so such a packet still ends the batch before it; the device's
 *     state (link down, memory) meets each request on its own, and each completion says whether its packet
 *     went. Chains stay where Java cannot foresee a refusal (the caller's own virtio_net_hdr, offload's
 *     coalesced units) and on a queue whose device was found full (EAGAIN), where room coming back during a
 *     submission could let a later packet go first. Reads cannot be linked (a TUN read is always shorter
 *     than its buffer, which breaks a link), so the slots of a read batch are put back in order after the
 *     fact.</li>
 * <li>The device fd is a registered file (no file reference taken per request). Buffers are not
 *     registered: they are the caller's, different from call to call, and a TUN read or write copies them
 *     anyway.</li>
 * <li>One ring per direction, as a queue has one reader and one writer; no {@code SQPOLL} (a kernel thread
 *     spinning per queue would cost a CPU on a 2-vCPU machine), no {@code SINGLE_ISSUER} (a caller may read
 *     from different threads over time).</li>
 * </ul>
 */
package io.tuntap.linux.uring;
