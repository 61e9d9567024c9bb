// SPDX-License-Identifier: Apache-2.0
package io.tuntap.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.WrappedByteBuf;
import io.netty.channel.AbstractChannel;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import io.netty.util.internal.StringUtil;
import io.tuntap.Capability;
import io.tuntap.DeviceEvent;
import io.tuntap.EventSubscription;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.LinkDownException;
import io.tuntap.PacketChannel;
import io.tuntap.PacketTooLargeException;
import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;
import io.tuntap.spi.ErrorMessages;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Netty {@link io.netty.channel.Channel} over one queue of a TUN or TAP device: each message read is one packet
 * (an IP packet on TUN, an Ethernet frame on TAP) in a direct {@link ByteBuf} of its own, and each {@link ByteBuf}
 * written is sent as one packet. The device's {@link DeviceEvent}s ({@link Capability#EVENTS}) go down the
 * pipeline as user events ({@code userEventTriggered}), on the channel's event loop, in order.
 *
 * <!-- snippet context
 * with tuntap-netty
 * TunTapDevice device;
 * io.netty.channel.EventLoopGroup group;
 * io.netty.channel.ChannelHandler handler;
 * -->
 * <pre>{@code
 * TunTapChannel channel = new TunTapChannel(device);
 * channel.pipeline().addLast(handler);
 * group.register(channel).sync();
 * }</pre>
 *
 * <h2>How packets reach the event loop</h2>
 * On Linux, with an event loop of Netty's epoll transport ({@code EpollIoHandler}) and the Linux backend, the
 * queue's file descriptor is registered with the event loop itself: no thread of its own, and reads run on the
 * loop when the kernel has packets. Reads take a batch per call ({@code readPackets}, which uses io_uring and
 * kernel offload where the device has them); with offload, the packets split from one super-packet that did not
 * fit a batch are read in the same turn of the loop, since epoll cannot see them. On any other event loop (NIO,
 * or any operating system but Linux) a reader thread per channel ({@link TunTapChannelOption#READER_THREAD_FACTORY})
 * waits in {@code readPackets} and hands each batch to the event loop. Either way reads follow Netty's rules:
 * with auto-read off, a batch is read only after {@code read()}.
 *
 * <h2>Buffers</h2>
 * Reads take a batch into the channel's own staging buffers, each with room for the largest packet, and copy
 * each packet into a direct buffer of its length from the channel's allocator
 * ({@link io.netty.channel.ChannelOption#ALLOCATOR}); the handler that receives a buffer owns it and releases
 * it. (Reading straight into buffers of the allocator was measured slower on Linux: such buffers are smaller than
 * the largest packet, and change from batch to batch, both of which cost the batch read more than the copy.)
 * Netty's {@link io.netty.channel.RecvByteBufAllocator} is not used: the batch size is
 * {@link TunTapChannelOption#BATCH_SIZE}.
 *
 * <p>Writes send each flush with one {@code writePackets} per batch. A direct buffer with memory of its own in
 * one piece (one that came from a direct allocator, or a packet read and passed on) is sent from its own memory;
 * a heap buffer, a slice, duplicate or composite is first copied into the channel's native staging area, so that
 * the batch stays in native memory (a heap buffer would send the whole batch one system call per packet). A
 * packet the system refuses ({@link PacketTooLargeException}, {@link LinkDownException},
 * {@link InvalidConfigurationException}, or a plain {@link TunTapException}) fails that write's promise only;
 * the interface gone or the queue closed fails the write and closes the channel.
 *
 * <h2>Ownership</h2>
 * The channel owns its queue: nothing else may read it, and closing the channel closes the queue. Queue 0 is the
 * device itself ({@link TunTapDevice#queues()}), so closing the channel of queue 0 closes the device and every
 * queue with it. Steady state allocates nothing per packet beyond the packet's {@link ByteBuf} (with a pooled
 * allocator, the pool's own objects).
 */
public final class TunTapChannel extends AbstractChannel {
    private static final ChannelMetadata METADATA = new ChannelMetadata(false, 16);
    /** What one read may return: a 64 KiB IP packet, an Ethernet header with a VLAN tag, a virtio-net header. */
    static final int PACKET_ROOM = 65536 + 64;
    /** The staging area of writes that cannot be sent in place; a batch that does not fit takes more calls. */
    private static final int WRITE_AREA = 256 * 1024;
    /** Batches read in one turn of the event loop at most, before other channels get their turn. */
    private static final int BATCHES_PER_TURN = 8;

    private final TunTapDevice device;
    private final PacketChannel queue;
    private final TunTapAddress address;
    private final TunTapChannelConfig config;
    /** With offload, a read can leave split packets in the queue's user-space state, which epoll cannot see. */
    private final boolean offload;
    private volatile boolean open = true;

    // Read side: the event loop's in epoll mode, the reader thread's otherwise.
    private ByteBuffer[] readStage;
    // Event loop only.
    private boolean readPending;
    private EpollReadiness epoll;
    private ReaderThread reader;
    private EventSubscription events;
    private final WriteGatherer gatherer = new WriteGatherer();
    private final Runnable readLeftovers = () -> readReady(false);
    private final Runnable closeOnShutdown = () -> unsafe().close(voidPromise());

    /**
     * A channel over queue 0 of {@code device}, the device itself.
     *
     * @param device an open device; the channel owns it from now on
     */
    public TunTapChannel(TunTapDevice device) {
        this(device, 0);
    }

    /**
     * A channel over queue {@code queue} of {@code device}.
     *
     * @param device an open device
     * @param queue the queue's index, 0 to {@code device.queues().size() - 1}
     * @throws IndexOutOfBoundsException if there is no such queue
     */
    public TunTapChannel(TunTapDevice device, int queue) {
        super(null);
        this.device = Objects.requireNonNull(device, "device");
        this.queue = device.queues().get(queue);
        this.address = new TunTapAddress(device.name(), queue);
        this.offload = device.capabilities().contains(Capability.OFFLOAD);
        this.config = new TunTapChannelConfig(this);
    }

    /**
     * One channel per queue of {@code device}, in queue order; register each with an event loop of its own to
     * spread the work. The channel of queue 0 owns the device.
     *
     * @param device an open device
     * @return the channels
     */
    public static List<TunTapChannel> forEachQueue(TunTapDevice device) {
        int n = device.queues().size();
        List<TunTapChannel> channels = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            channels.add(new TunTapChannel(device, i));
        }
        return List.copyOf(channels);
    }

    /** {@return the device whose queue this channel reads and writes} */
    public TunTapDevice device() {
        return device;
    }

    /** {@return the queue this channel reads and writes} */
    public PacketChannel queue() {
        return queue;
    }

    /** {@return whether the event loop watches the queue itself (Linux epoll) rather than a reader thread} */
    public boolean isEventLoopNative() {
        return epoll != null;
    }

    TunTapAddress address() {
        return address;
    }

    @Override
    public TunTapChannelConfig config() {
        return config;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isActive() {
        return open;
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }

    @Override
    public TunTapAddress localAddress() {
        return address;
    }

    @Override
    public SocketAddress remoteAddress() {
        return null;
    }

    @Override
    protected AbstractUnsafe newUnsafe() {
        return new AbstractUnsafe() {
            @Override
            public void connect(SocketAddress remote, SocketAddress local, ChannelPromise promise) {
                promise.setFailure(new UnsupportedOperationException("a TUN or TAP queue has no peer to connect to"));
            }
        };
    }

    /** Any event loop: Linux epoll watches the queue itself, any other gets a reader thread. */
    @Override
    protected boolean isCompatible(EventLoop loop) {
        return true;
    }

    @Override
    protected SocketAddress localAddress0() {
        return address;
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return null;
    }

    @Override
    protected void doRegister(ChannelPromise promise) {
        int batch = config.getBatchSize();
        if (readStage == null || readStage.length != batch) {
            readStage = new ByteBuffer[batch];
            for (int i = 0; i < batch; i++) {
                readStage[i] = ByteBuffer.allocateDirect(PACKET_ROOM);
            }
            gatherer.size(batch);
        }
        subscribe();
        EventLoop loop = eventLoop();
        // Netty's own transports close their channels when the event loop shuts down; a shutdown hook does it here
        // on either path (the epoll handler closes its handles too, which finds the channel closed then).
        if (loop instanceof SingleThreadEventExecutor executor) {
            executor.addShutdownHook(closeOnShutdown);
        }
        int fd = loop instanceof IoEventLoop io && EpollReadiness.fits(io) ? LinuxQueues.fileDescriptor(device,
                address.queue()) : -1;
        if (fd < 0) {
            if (reader == null) {
                reader = new ReaderThread(this, queue, readStage, config.getReaderThreadFactory());
            }
            promise.setSuccess();
            return;
        }
        EpollReadiness handle = new EpollReadiness(this, fd);
        ((IoEventLoop) loop).register(handle).addListener(f -> {
            if (f.isSuccess()) {
                handle.registered((io.netty.channel.IoRegistration) f.getNow());
                epoll = handle;
                promise.setSuccess();
            } else {
                promise.setFailure(f.cause());
            }
        });
    }

    /** Delivers the device's events on the event loop as user events, where the device reports them. */
    private void subscribe() {
        if (events != null || !device.capabilities().contains(Capability.EVENTS)) {
            return;
        }
        ChannelPipeline pipeline = pipeline();
        try {
            events = device.subscribe(eventLoop(), event -> {
                if (open) {
                    pipeline.fireUserEventTriggered(event);
                }
            });
        } catch (TunTapException e) {
            pipeline.fireExceptionCaught(e);
        }
    }

    @Override
    protected void doBind(SocketAddress localAddress) {
        throw new UnsupportedOperationException("a TunTapChannel is bound to its queue when made: register it instead");
    }

    @Override
    protected void doDisconnect() {
        doClose();
    }

    @Override
    protected void doClose() {
        if (!open) {
            return;
        }
        open = false;
        if (epoll != null) {
            epoll.cancel(); // out of the epoll set while the fd is still open
        }
        if (events != null) {
            events.close();
        }
        if (reader != null) {
            reader.stop();
        }
        queue.close();
    }

    @Override
    protected void doDeregister() {
        if (eventLoop() instanceof SingleThreadEventExecutor executor) {
            executor.removeShutdownHook(closeOnShutdown);
        }
        if (epoll != null) {
            epoll.cancel();
            epoll = null;
        }
        if (events != null) {
            events.close();
            events = null;
        }
    }

    @Override
    protected void doBeginRead() {
        if (!open) {
            return;
        }
        readPending = true;
        if (epoll != null) {
            epoll.wantRead(true);
        } else if (reader != null) {
            reader.request();
        }
    }

    /** Whether the channel wants packets now: a read is pending, or auto-read is on. */
    boolean wantsRead() {
        return readPending || config.isAutoRead();
    }

    /**
     * The epoll side: the queue is readable (or reported an error), or a turn ended with split packets left.
     * Runs on the event loop.
     *
     * @param kernelReady whether epoll reported the queue readable, so that a read cannot wait
     */
    void readReady(boolean kernelReady) {
        if (!open || epoll == null) {
            return; // closed, or deregistered while split packets waited: the next registration reads them
        }
        if (!wantsRead()) {
            epoll.wantRead(false);
            return;
        }
        readPending = false;
        ChannelPipeline pipeline = pipeline();
        int batch = readStage.length;
        boolean more = false;
        try {
            int n;
            if (kernelReady) {
                clear(readStage, batch);
                n = queue.readPackets(readStage, batch);
            } else {
                n = readQueued(batch);
            }
            deliver(readStage, n);
            for (int turn = 1; offload && n == batch; turn++) {
                if (turn == BATCHES_PER_TURN) {
                    more = true;
                    break;
                }
                n = readQueued(batch);
                deliver(readStage, n);
            }
        } catch (PacketTooLargeException e) {
            pipeline.fireExceptionCaught(e); // that one packet was dropped; the queue goes on
        } catch (TunTapException e) {
            pipeline.fireChannelReadComplete();
            pipeline.fireExceptionCaught(e);
            unsafe().close(voidPromise());
            return;
        }
        pipeline.fireChannelReadComplete();
        if (more) {
            eventLoop().execute(readLeftovers);
        } else if (!wantsRead() && epoll != null) {
            epoll.wantRead(false);
        }
    }

    /** Reads, without waiting, the packets that are queued already, up to {@code batch}. */
    private int readQueued(int batch) throws TunTapException {
        int n = 0;
        while (n < batch) {
            ByteBuffer b = readStage[n];
            b.clear();
            if (queue.read(b, Duration.ZERO) == 0) {
                break;
            }
            n++;
        }
        return n;
    }

    private static void clear(ByteBuffer[] buffers, int n) {
        for (int i = 0; i < n; i++) {
            buffers[i].clear();
        }
    }

    /**
     * Copies {@code n} packets read into {@code stage} into buffers of their own and fires them; a handler that
     * closes the channel ends it. Event loop.
     */
    void deliver(ByteBuffer[] stage, int n) {
        ByteBufAllocator alloc = config.getAllocator();
        ChannelPipeline pipeline = pipeline();
        for (int i = 0; i < n && open; i++) {
            ByteBuffer packet = stage[i];
            packet.flip();
            int length = packet.remaining();
            ByteBuf buf = alloc.directBuffer(length, length);
            buf.writeBytes(packet);
            pipeline.fireChannelRead(buf);
        }
    }

    /** The reader thread's batch, on the event loop: as {@link #readReady} does with what it read. */
    void deliverFromReader(int n) {
        if (!open) {
            return;
        }
        readPending = false;
        deliver(readStage, n);
        pipeline().fireChannelReadComplete();
    }

    /** A failure of the reader thread, on the event loop. */
    void readFailed(TunTapException e, boolean fatal) {
        if (!open) {
            return;
        }
        pipeline().fireExceptionCaught(e);
        if (fatal) {
            unsafe().close(voidPromise());
        }
    }

    @Override
    protected Object filterOutboundMessage(Object msg) throws PacketTooLargeException {
        if (msg instanceof ByteBuf buf) {
            if (buf.readableBytes() > PACKET_ROOM) {
                throw new PacketTooLargeException("write", buf.readableBytes(), PACKET_ROOM, ErrorMessages.failed(
                        "write on " + address, "a buffer of " + buf.readableBytes() + " bytes is larger than any packet"
                                + " (" + PACKET_ROOM + " bytes at most); write one packet per buffer"));
            }
            return msg;
        }
        throw new UnsupportedOperationException("unsupported message type: " + StringUtil.simpleClassName(msg)
                + " (expected: ByteBuf, one packet per buffer)");
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) throws Exception {
        WriteGatherer gatherer = this.gatherer;
        ByteBuffer[] packets = gatherer.packets;
        while (!in.isEmpty()) {
            gatherer.start();
            in.forEachFlushedMessage(gatherer);
            int n = gatherer.count;
            try {
                queue.writePackets(packets, n);
                for (int i = 0; i < n; i++) {
                    in.remove();
                }
            } catch (TunTapException e) {
                settle(in, packets, n, e);
            }
        }
    }

    /**
     * Settles a batch that {@code writePackets} ended with {@code e}. Each buffer that went has its position at its
     * limit and the others keep theirs ({@link PacketChannel#writePackets}), and packets after the failed one may
     * have gone too (Linux's io_uring batches are not chained). In order: those before the failed one succeed; the
     * failed one's promise fails with {@code e}, as does any other that did not go but has a later one that did
     * (sent now, it would come after it: dropped instead, as the device would have dropped it), so that no packet
     * goes twice or out of order; those that went succeed; what follows the last that went stays flushed, for the
     * loop to send again. A failure that is not about one packet ends the loop after the packets before it.
     */
    private static void settle(ChannelOutboundBuffer in, ByteBuffer[] packets, int n, TunTapException e)
            throws TunTapException {
        int failed = 0;
        while (failed < n && !packets[failed].hasRemaining()) {
            failed++;
        }
        for (int i = 0; i < failed; i++) {
            in.remove();
        }
        if (failed == n || !dropsOnePacket(e)) {
            throw e;
        }
        int last = n - 1;
        while (last > failed && packets[last].hasRemaining()) {
            last--;
        }
        for (int i = failed; i <= last; i++) {
            if (packets[i].hasRemaining()) {
                in.remove(e);
            } else {
                in.remove();
            }
        }
    }

    /** Whether a write's failure is about that packet alone, so the loop goes on (see {@link PacketChannel}). */
    private static boolean dropsOnePacket(TunTapException e) {
        return e instanceof PacketTooLargeException || e instanceof LinkDownException
                || e instanceof InvalidConfigurationException || e.getClass() == TunTapException.class;
    }

    /**
     * Gathers the flushed buffers of one {@code writePackets} call, until the batch or the staging area is full.
     * A direct buffer with memory of its own in one piece (not a slice, duplicate or composite) is sent in place
     * through its internal NIO view, which is the buffer's own object, so nothing is allocated; any other buffer
     * is copied into the staging area, since a heap buffer would take the batch off the native path and a
     * derived buffer's view would be a new object per packet, and the same buffer twice in one batch is copied
     * the second time, since both would share one view.
     */
    private static final class WriteGatherer implements ChannelOutboundBuffer.MessageProcessor {
        /** What {@code writePackets} sends: in-place views and staging views, one per packet. */
        ByteBuffer[] packets = new ByteBuffer[0];
        /** Per slot, a view of the staging area, made at the first copy. */
        private ByteBuffer[] staging = new ByteBuffer[0];
        private ByteBuffer area;
        private int count;
        private int offset;

        /** Sets the batch size; at registration, before any write. */
        void size(int batch) {
            packets = new ByteBuffer[batch];
            staging = new ByteBuffer[batch];
        }

        void start() {
            count = 0;
            offset = 0;
        }

        @Override
        public boolean processMessage(Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            int length = buf.readableBytes();
            ByteBuffer view = inPlace(buf, length);
            if (view == null) {
                if (offset + length > WRITE_AREA) {
                    return false; // sent with the next call (one packet always fits: filterOutboundMessage checked it)
                }
                view = staged(count);
                view.limit(offset + length).position(offset);
                buf.getBytes(buf.readerIndex(), view);
                view.position(offset);
                offset += length;
            }
            packets[count++] = view;
            return count < packets.length;
        }

        /** The buffer's own view of its readable bytes, or null if it must be copied. */
        private ByteBuffer inPlace(ByteBuf buf, int length) {
            ByteBuf own = buf;
            while (own instanceof WrappedByteBuf) {
                own = own.unwrap(); // a leak detector's wrapper: the buffer within is what counts
            }
            if (!own.isDirect() || own.unwrap() != null || own instanceof CompositeByteBuf
                    || buf.nioBufferCount() != 1) {
                return null;
            }
            ByteBuffer view = buf.internalNioBuffer(buf.readerIndex(), length);
            for (int i = 0; i < count; i++) {
                if (packets[i] == view) {
                    return null;
                }
            }
            return view;
        }

        private ByteBuffer staged(int slot) {
            ByteBuffer view = staging[slot];
            if (view == null) {
                if (area == null) {
                    area = ByteBuffer.allocateDirect(WRITE_AREA);
                }
                view = area.duplicate();
                staging[slot] = view;
            }
            return view;
        }
    }
}
