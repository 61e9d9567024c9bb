// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.uring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.linux.uring.BatchChoice.Mechanism;
import org.junit.jupiter.api.Test;

/** The choice between io_uring and one call per packet, fed with made-up timings instead of a kernel. */
class BatchChoiceTest {
    private static final int PACKETS = 32;

    /** What a probe batch measures per packet on a made-up host; negative: the batch waited, no timing. */
    private interface Host {
        long perPacket(Mechanism m);
    }

    /** A host on which a packet costs {@code uringNs} through io_uring and {@code plainNs} with a call each. */
    private static Host host(long uringNs, long plainNs) {
        return m -> m == Mechanism.IO_URING ? uringNs : plainNs;
    }

    /** Runs {@code batches} batches on {@code host}, timing the probe batches; returns how many took each way. */
    private static int[] run(BatchChoice choice, Host host, int batches) {
        int[] taken = new int[2];
        for (int i = 0; i < batches; i++) {
            Mechanism m = choice.next();
            taken[m.ordinal()]++;
            if (choice.sampling()) {
                long ns = host.perPacket(m);
                if (ns >= 0) {
                    choice.record(m, ns * PACKETS, PACKETS);
                }
            }
        }
        return taken;
    }

    private static BatchChoice warmedUp() {
        BatchChoice choice = new BatchChoice("tun0 queue 0 writes", "one write per packet");
        for (int i = 0; i < BatchChoice.WARM_UP; i++) {
            Mechanism m = choice.next();
            assertEquals(i % 2 == 0 ? Mechanism.IO_URING : Mechanism.PLAIN, m, "the warm-up alternates");
            assertFalse(choice.sampling(), "the warm-up is not timed: the JIT has not compiled the paths yet");
        }
        return choice;
    }

    @Test
    void whereSystemCallsAreDearIoUringIsKept() {
        BatchChoice choice = warmedUp();
        int[] taken = run(choice, host(450, 1800), BatchChoice.INTERVAL);
        assertEquals(Mechanism.IO_URING, choice.current());
        assertEquals(BatchChoice.INTERVAL - BatchChoice.PROBE / 2, taken[Mechanism.IO_URING.ordinal()],
                "only the probe's half runs the slower way");
        assertTrue(choice.toString().startsWith("tun0 queue 0 writes: io_uring: measured 450 ns per packet through "
                + "io_uring and 1800 ns per packet with one write per packet"), choice.toString());
    }

    @Test
    void whereSystemCallsAreCheapBatchesTakeOneCallPerPacket() {
        // The other host of the measurements: the plain loop faster than io_uring's per-request bookkeeping.
        BatchChoice choice = warmedUp();
        run(choice, host(1050, 900), BatchChoice.PROBE);
        int[] taken = run(choice, host(1050, 900), BatchChoice.INTERVAL - BatchChoice.PROBE);
        assertEquals(Mechanism.PLAIN, choice.current());
        assertEquals(BatchChoice.INTERVAL - BatchChoice.PROBE, taken[Mechanism.PLAIN.ordinal()],
                "after the probe every batch takes the faster way");
        assertTrue(choice.toString().contains("one write per packet: measured 1050 ns per packet through io_uring "
                + "and 900 ns per packet"), choice.toString());
    }

    @Test
    void theChoiceFollowsTheHostWhenItsCostsChange() {
        BatchChoice choice = warmedUp();
        run(choice, host(1050, 900), BatchChoice.INTERVAL);
        assertEquals(Mechanism.PLAIN, choice.current());
        run(choice, host(450, 1800), BatchChoice.INTERVAL);
        assertEquals(Mechanism.IO_URING, choice.current(), "the next probe moves back");
    }

    @Test
    void aDifferenceWithinTheMarginChangesNothing() {
        BatchChoice choice = warmedUp();
        run(choice, host(1000, 980), 4 * BatchChoice.INTERVAL); // plain 2 % faster: within 3 %
        assertEquals(Mechanism.IO_URING, choice.current());
        run(choice, host(1000, 960), BatchChoice.INTERVAL); // 4 %: beyond it
        assertEquals(Mechanism.PLAIN, choice.current());
        run(choice, host(980, 1000), 4 * BatchChoice.INTERVAL);
        assertEquals(Mechanism.PLAIN, choice.current(), "and back only beyond the margin too");
    }

    @Test
    void oneSlowBatchDoesNotDecide() {
        // A batch preempted by another process measures far slower: the median ignores it.
        BatchChoice choice = warmedUp();
        boolean[] spoiled = {false};
        run(choice, m -> {
            if (m == Mechanism.IO_URING && !spoiled[0]) {
                spoiled[0] = true;
                return 50_000;
            }
            return m == Mechanism.IO_URING ? 500 : 900;
        }, BatchChoice.INTERVAL);
        assertTrue(spoiled[0]);
        assertEquals(Mechanism.IO_URING, choice.current());
    }

    @Test
    void aProbeWithoutEnoughTimingsChangesNothing() {
        // Reads that waited for packets are not timings: here only two batches per way came without a wait.
        BatchChoice choice = warmedUp();
        int[] timed = {0};
        run(choice, m -> timed[0]++ < 4 ? (m == Mechanism.IO_URING ? 5000 : 100) : -1, BatchChoice.INTERVAL);
        assertEquals(Mechanism.IO_URING, choice.current());
        assertTrue(choice.toString().contains("not measured yet"), choice.toString());
    }

    @Test
    void timingsOutsideAProbeAndEmptyBatchesAreIgnored() {
        BatchChoice choice = warmedUp();
        run(choice, host(500, 900), BatchChoice.PROBE);
        for (int i = 0; i < 100; i++) {
            choice.next();
            assertFalse(choice.sampling());
            choice.record(Mechanism.PLAIN, 1, PACKETS); // would make plain look free
            choice.record(Mechanism.PLAIN, 1, 0);
        }
        run(choice, host(500, 900), BatchChoice.INTERVAL);
        assertEquals(Mechanism.IO_URING, choice.current());
    }

    @Test
    void aFixedChoiceNeitherAlternatesNorMeasures() {
        BatchChoice choice = BatchChoice.fixed(Mechanism.PLAIN);
        int[] taken = run(choice, host(100, 5000), BatchChoice.WARM_UP + 3 * BatchChoice.INTERVAL);
        assertEquals(0, taken[Mechanism.IO_URING.ordinal()]);
        assertTrue(choice.toString().contains("fixed"), choice.toString());
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertEquals(25, BatchChoice.median(new long[] {40, 10, 30, 20}, 4));
        assertEquals(20, BatchChoice.median(new long[] {30, 10, 20, 99}, 3), "only the first n count");
    }
}
