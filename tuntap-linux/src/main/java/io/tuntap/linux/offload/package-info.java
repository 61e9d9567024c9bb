// SPDX-License-Identifier: Apache-2.0
/**
 * Internal: not API. Segmentation and coalescing for Linux TUN devices opened with {@code IFF_VNET_HDR} and
 * {@code TUNSETOFFLOAD}: the {@code virtio_net_hdr} prefix ({@link io.tuntap.linux.offload.VirtioNetHdr}),
 * RFC 1071 checksums ({@link io.tuntap.linux.offload.Checksums}), splitting kernel GSO super-packets on read
 * ({@link io.tuntap.linux.offload.GsoSplitter}) and coalescing TCP/UDP segments on write
 * ({@link io.tuntap.linux.offload.GroCoalescer}).
 *
 * <p>The types are public only so that the Linux backend in {@code io.tuntap.linux} can use them; the
 * package is not exported from the module and may change at any time.
 *
 * <p>Everything works on {@link java.nio.ByteBuffer}s (heap or direct, either byte order) with absolute
 * indexing and allocates nothing per packet: the splitter and the coalescer keep all their state in
 * arrays allocated by their constructors and are meant to be reused, one instance per queue. None of the
 * types is thread-safe.
 *
 * <p>Read path: read into a buffer of at least {@link io.tuntap.linux.offload.GsoSplitter#MAX_READ_SIZE}
 * bytes, call {@code start(buf, 0, n)}; on a negative result drop the packet (and count it); otherwise call
 * {@code next(dst)} into per-packet buffers of at least the MTU (or
 * {@link io.tuntap.linux.offload.GsoSplitter#nextLength()}) until it returns {@code DONE}; on
 * {@code NO_ROOM} hand the filled buffers to the caller and continue later with the same splitter.
 *
 * <p>Write path: {@code coalesce(srcs, count, out, offsets, lengths)} with {@code out} holding at least
 * {@link io.tuntap.linux.offload.GroCoalescer#requiredRoom} bytes ({@code count * (10 + MTU)} suffices for
 * MTU-sized packets), then one {@code write()} per unit from {@code out} at {@code offsets[u]} for
 * {@code lengths[u]} bytes. Packets need no headroom: the coalescer copies them behind their headers.
 */
package io.tuntap.linux.offload;
