// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.uring;

import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.Locale;

/**
 * How the batches of one direction of one queue go to the kernel, chosen by what this host measures: through
 * io_uring (one {@code io_uring_enter} per batch) or one {@code read}/{@code write} system call per packet.
 * Neither wins everywhere: where a system call is dear (mitigations, a virtual machine), io_uring saves most of
 * it; where it is cheap, io_uring's per-request bookkeeping costs more than the calls it saves.
 *
 * <p>The batches time themselves. The first {@value #WARM_UP} batches alternate between the two mechanisms
 * unmeasured, so that the JIT compiles both paths. Then, every {@value #INTERVAL} batches, a probe of
 * {@value #PROBE} batches alternates between them again, each batch timed with {@link System#nanoTime()}; at its
 * end the mechanism with the lower median time per packet is kept until the next probe, the current one unless
 * the other is faster by more than {@value #MARGIN_PERCENT} %. A probe that got fewer than {@value #MIN_SAMPLES}
 * valid timings per mechanism (a batch that waited for a packet or for room is not a timing of the mechanism)
 * changes nothing. So at most {@value #PROBE}/2 batches in {@value #INTERVAL} run on the slower mechanism, and
 * a host whose costs change (load, another kernel) is followed within one interval.
 *
 * <p>The logic is pure: the caller times its batches and passes the figures in ({@link #record}), so tests
 * inject timings. One per queue direction, used by that direction's thread only; not thread-safe, except
 * {@link #toString()}, which may be called from any thread for diagnostics and reads what was last published.
 */
public final class BatchChoice {
    /** How a batch goes to the kernel. */
    public enum Mechanism {
        /** One io_uring_enter per batch. */
        IO_URING,
        /** One read or write system call per packet. */
        PLAIN
    }

    /** Batches at the start that alternate unmeasured, so that both paths are compiled before any timing. */
    public static final int WARM_UP = 256;
    /** Batches per probe, alternating between the mechanisms: half each. */
    public static final int PROBE = 16;
    /** Batches from the start of one probe to the start of the next. */
    static final int INTERVAL = 2048;
    /** How much faster the other mechanism must measure before a probe switches to it. */
    static final int MARGIN_PERCENT = 3;
    /** Valid timings per mechanism that a probe needs before it decides anything. */
    static final int MIN_SAMPLES = 3;

    private static final System.Logger LOG = System.getLogger("io.tuntap.linux");

    private final String what;
    private final String plainName;
    /** The mechanism of every batch, or null to measure. */
    private final Mechanism fixed;
    private long batches;
    private boolean sampling;
    private Mechanism current = Mechanism.IO_URING;
    /** Picoseconds per packet of the current probe's valid batches, per mechanism. */
    private final long[] uringSamples = new long[PROBE];
    private final long[] plainSamples = new long[PROBE];
    private int uringCount;
    private int plainCount;
    private volatile String decision;

    /**
     * A choice that starts by alternating.
     *
     * @param what the queue direction, for diagnostics, e.g. {@code "tun0 queue 0 writes"}
     * @param plainName the plain mechanism in words, e.g. {@code "one write per packet"}
     */
    public BatchChoice(String what, String plainName) {
        this(what, plainName, null, "not measured yet (the first " + WARM_UP + " batches alternate between "
                + "io_uring and " + plainName + ")");
    }

    private BatchChoice(String what, String plainName, Mechanism fixed, String decision) {
        this.what = what;
        this.plainName = plainName;
        this.fixed = fixed;
        this.decision = decision;
        if (fixed != null) {
            current = fixed;
        }
    }

    /**
     * A choice that always answers {@code mechanism} and measures nothing: for tests of one path.
     *
     * @param mechanism the mechanism of every batch
     * @return the choice
     */
    public static BatchChoice fixed(Mechanism mechanism) {
        return new BatchChoice("batches", mechanism.name(), mechanism, mechanism + " (fixed, not measured)");
    }

    /**
     * The mechanism of the batch about to run; counts it. Afterwards {@link #sampling()} says whether to time it.
     *
     * @return the mechanism to use
     */
    public Mechanism next() {
        if (fixed != null) {
            return fixed;
        }
        long b = batches++;
        if (b < WARM_UP) {
            sampling = false;
            return (b & 1) == 0 ? Mechanism.IO_URING : Mechanism.PLAIN;
        }
        long inCycle = (b - WARM_UP) % INTERVAL;
        if (inCycle < PROBE) {
            sampling = true;
            return (inCycle & 1) == 0 ? Mechanism.IO_URING : Mechanism.PLAIN;
        }
        if (sampling) {
            sampling = false;
            decide();
        }
        return current;
    }

    /**
     * Whether the batch {@link #next()} just chose is part of a probe: time it and {@link #record} the timing.
     *
     * @return true during a probe
     */
    public boolean sampling() {
        return sampling;
    }

    /**
     * The timing of a probe batch that moved {@code packets} packets without waiting for the device.
     *
     * @param mechanism the mechanism the batch ran on (the plain one where io_uring declined the batch)
     * @param nanos how long the batch took
     * @param packets how many packets it moved
     */
    public void record(Mechanism mechanism, long nanos, int packets) {
        if (!sampling || packets <= 0 || nanos < 0) {
            return;
        }
        long picosPerPacket = nanos * 1000 / packets;
        if (mechanism == Mechanism.IO_URING) {
            if (uringCount < uringSamples.length) {
                uringSamples[uringCount++] = picosPerPacket;
            }
        } else if (plainCount < plainSamples.length) {
            plainSamples[plainCount++] = picosPerPacket;
        }
    }

    /** The mechanism chosen by the last probe (io_uring until the first probe has decided). */
    public Mechanism current() {
        return current;
    }

    private void decide() {
        int u = uringCount;
        int p = plainCount;
        uringCount = 0;
        plainCount = 0;
        if (u < MIN_SAMPLES || p < MIN_SAMPLES) {
            return;
        }
        long uring = median(uringSamples, u);
        long plain = median(plainSamples, p);
        Mechanism chosen = current;
        if (current == Mechanism.IO_URING && plain * 100 < uring * (100 - MARGIN_PERCENT)) {
            chosen = Mechanism.PLAIN;
        } else if (current == Mechanism.PLAIN && uring * 100 < plain * (100 - MARGIN_PERCENT)) {
            chosen = Mechanism.IO_URING;
        }
        String text = (chosen == Mechanism.IO_URING ? "io_uring" : plainName) + String.format(Locale.ROOT,
                ": measured %.0f ns per packet through io_uring and %.0f ns per packet with %s (medians of %d and "
                        + "%d batches of the last probe; probes every %d batches)", uring / 1000.0, plain / 1000.0,
                plainName, u, p, INTERVAL);
        if (chosen != current) {
            LOG.log(Level.DEBUG, "tuntap {0} batches now take {1}", what, text);
        }
        current = chosen;
        decision = text;
    }

    /** The median of {@code values[0..n)}; sorts them. */
    static long median(long[] values, int n) {
        Arrays.sort(values, 0, n);
        return (n & 1) == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    /** Which mechanism is in use and why: the figures of the last probe. */
    @Override
    public String toString() {
        return what + ": " + decision;
    }
}
