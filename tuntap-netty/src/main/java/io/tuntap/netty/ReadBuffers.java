// SPDX-License-Identifier: Apache-2.0
package io.tuntap.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;

/**
 * The buffers one batch is read into: a direct {@link ByteBuf} of the channel's allocator per slot, which
 * {@code readPackets} fills in place through the buffer's internal NIO view, so that a packet is never copied
 * in Java. A packet read leaves its slot with its buffer ({@link #take}); the slot gets a new buffer at the next
 * {@link #prepare}, and the slots a read left unused keep theirs. A pooled buffer's internal view is the pool's
 * own object, so in steady state nothing is allocated per packet beyond the buffer itself.
 *
 * <p>Each slot's buffer is released exactly once: by {@link #take}'s caller (the pipeline) once handed out, or
 * by {@link #release} if it is still in its slot. Only the thread that owns the batch at the time touches it:
 * the event loop, or the reader thread while a read is under way (see {@link ReaderThread}).
 */
final class ReadBuffers {
    private final ByteBuf[] buffers;
    private final ByteBuffer[] views;
    /** Where each slot's packet starts in its view (a pooled buffer's view spans its whole chunk). */
    private final int[] starts;
    /** The room of each new buffer: a packet of the device's MTU with its link header, or more after a drop. */
    private int room;

    ReadBuffers(int batch, int room) {
        this.buffers = new ByteBuf[batch];
        this.views = new ByteBuffer[batch];
        this.starts = new int[batch];
        this.room = room;
    }

    /** {@return the number of slots, the batch size} */
    int size() {
        return buffers.length;
    }

    /** {@return the views {@code readPackets} fills, valid after {@link #prepare}} */
    ByteBuffer[] views() {
        return views;
    }

    /** {@return the room each new buffer gets} */
    int room() {
        return room;
    }

    /**
     * Raises the room of new buffers to at least {@code needed} bytes (at most {@link TunTapChannel#PACKET_ROOM});
     * the buffers already in their slots are replaced at the next {@link #prepare}. Never lowers it: packets of
     * the old size may still be queued.
     *
     * @param needed the length of a packet that must fit
     */
    void grow(int needed) {
        room = Math.max(room, Math.min(Math.max(needed, 1), TunTapChannel.PACKET_ROOM));
    }

    /** Gives every slot a buffer of the current room and sets its view to the whole buffer. */
    void prepare(ByteBufAllocator alloc) {
        for (int i = 0; i < buffers.length; i++) {
            ByteBuf buffer = buffers[i];
            if (buffer != null && buffer.capacity() < room) {
                buffers[i] = null;
                buffer.release();
                buffer = null;
            }
            if (buffer == null) {
                buffer = alloc.directBuffer(room, room);
                buffers[i] = buffer;
            }
            ByteBuffer view = buffer.internalNioBuffer(0, buffer.capacity());
            views[i] = view;
            starts[i] = view.position();
        }
    }

    /**
     * Hands out slot {@code i}'s buffer, holding the packet its view was filled with; the caller owns it now.
     *
     * @param i the slot, below the count the read returned
     * @return the packet
     */
    ByteBuf take(int i) {
        ByteBuf buffer = buffers[i];
        buffers[i] = null;
        return buffer.writerIndex(views[i].position() - starts[i]);
    }

    /** Releases the buffers still in their slots; idempotent. */
    void release() {
        for (int i = 0; i < buffers.length; i++) {
            ByteBuf buffer = buffers[i];
            if (buffer != null) {
                buffers[i] = null;
                views[i] = null;
                buffer.release();
            }
        }
    }
}
