// SPDX-License-Identifier: Apache-2.0
package io.tuntap.netty;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;

/**
 * A queue's file descriptor in the epoll set of a Netty epoll event loop: the loop calls {@link #handle} when the
 * queue is readable, and the channel reads there. Level-triggered, so a batch that left packets in the kernel's
 * queue is called again on the loop's next turn. Touched only on the event loop; the class is loaded only for an
 * event loop that takes epoll handles, so Netty's epoll classes are never initialised elsewhere.
 *
 * <p>The descriptor stays the device's: the handle never closes it, and the channel takes it out of the epoll
 * set ({@link #cancel}) before it closes the queue.
 */
final class EpollReadiness implements EpollIoHandle {
    private final TunTapChannel channel;
    private final FileDescriptor fd;
    private IoRegistration registration;
    private boolean reading;

    EpollReadiness(TunTapChannel channel, int fd) {
        this.channel = channel;
        this.fd = new FileDescriptor(fd);
    }

    /** Whether {@code loop} runs Netty's epoll handler. */
    static boolean fits(IoEventLoop loop) {
        return loop.isCompatible(EpollReadiness.class);
    }

    void registered(IoRegistration registration) {
        this.registration = registration;
        // Errors only until a read is asked for: tun_chr_poll reports EPOLLERR once the interface is gone
        // (torvalds/linux v6.12 drivers/net/tun.c, tun_chr_poll), and the read that follows says so.
        registration.submit(EpollIoOps.EPOLLERR);
    }

    /** Watches for packets, or stops watching for them (auto-read off and no read pending). */
    void wantRead(boolean read) {
        if (read != reading && registration != null && registration.isValid()) {
            registration.submit(read ? EpollIoOps.EPOLLIN.with(EpollIoOps.EPOLLERR) : EpollIoOps.EPOLLERR);
            reading = read;
        }
    }

    /** Leaves the epoll set; on the event loop, at once. */
    void cancel() {
        if (registration != null) {
            registration.cancel();
        }
    }

    @Override
    public FileDescriptor fd() {
        return fd;
    }

    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        channel.readReady(((EpollIoEvent) event).ops().contains(EpollIoOps.EPOLLIN));
    }

    /** The event loop shuts down: the channel closes. */
    @Override
    public void close() {
        channel.unsafe().close(channel.unsafe().voidPromise());
    }
}
