// SPDX-License-Identifier: Apache-2.0
package io.tuntap.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledDirectByteBuf;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An allocator that keeps every buffer it makes (unpooled and direct, so that a buffer is never reused and
 * reference counts mean one thing) and counts, per buffer, the releases made after its count reached zero and
 * the times its memory was freed. A leak is a buffer never freed; a double release is a release at zero, which
 * Netty would only report through an exception somebody may swallow, or, with a pool, would free a buffer
 * somebody else was given since. The buffers are handed out through Netty's leak detector like any allocator's.
 */
final class CountingAllocator extends AbstractByteBufAllocator {
    private final List<Counted> made = new CopyOnWriteArrayList<>();

    CountingAllocator() {
        super(true);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return newDirectBuffer(initialCapacity, maxCapacity);
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        Counted buffer = new Counted(this, initialCapacity, maxCapacity);
        made.add(buffer);
        return buffer;
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    /** {@return how many buffers this allocator made} */
    int made() {
        return made.size();
    }

    /**
     * Waits until every buffer made has been freed (a reader thread releases its last batch as it ends), then
     * checks that each was freed once and never released at a count of zero.
     *
     * @param seconds how long to wait at most
     */
    void assertEachFreedOnce(long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (made.stream().anyMatch(b -> b.frees.get() == 0) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        long leaked = made.stream().filter(b -> b.frees.get() == 0).count();
        assertEquals(0, leaked, leaked + " of " + made.size() + " buffers were never freed");
        for (Counted b : made) {
            assertEquals(1, b.frees.get(), "a buffer freed " + b.frees.get() + " times");
            assertEquals(0, b.releasesAtZero.get(), "a buffer released " + b.releasesAtZero.get()
                    + " more times after it was freed");
        }
        assertTrue(made.size() > 0, "no buffer was made");
    }

    /** A buffer that counts its frees and the releases that come after them. */
    private static final class Counted extends UnpooledDirectByteBuf {
        final AtomicInteger frees = new AtomicInteger();
        final AtomicInteger releasesAtZero = new AtomicInteger();

        Counted(CountingAllocator alloc, int initialCapacity, int maxCapacity) {
            super(alloc, initialCapacity, maxCapacity);
        }

        @Override
        public boolean release() {
            return release(1);
        }

        @Override
        public boolean release(int decrement) {
            if (refCnt() == 0) {
                releasesAtZero.incrementAndGet();
            }
            return super.release(decrement);
        }

        @Override
        protected void deallocate() {
            frees.incrementAndGet();
            super.deallocate();
        }
    }
}
