// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import io.tuntap.Capability;
import io.tuntap.DeviceMode;
import io.tuntap.NoProviderException;
import io.tuntap.PacketChannel;
import io.tuntap.TunTap;
import io.tuntap.TunTapException;
import io.tuntap.spi.Availability;
import io.tuntap.spi.TunTapProvider;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Helpers for tests on real devices: whether this process can open one ({@link #whyUnavailable}), names no other
 * test uses ({@link #uniqueName}), and reading until the packet a test waits for comes ({@link #readUntil}),
 * past what the kernel sends on its own (IPv6 router solicitations and MLD reports on a new interface).
 */
public final class RealDevices {
    /** Linux's IFNAMSIZ is 16 with the NUL: 15 characters, the shortest limit of the systems served. */
    private static final int MAX_NAME = 15;
    private static final int SUFFIX = 6;
    private static final int MAX_PACKET = 65535 + Frames.ETHERNET_HEADER_LENGTH;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<String> NAMES = ConcurrentHashMap.newKeySet();

    private RealDevices() {
    }

    /**
     * What stops this process from creating real devices of these modes with these capabilities here, or empty if
     * nothing does: no backend for a mode (then the library's diagnostics report), a backend whose availability
     * says this process may not create devices (on Linux: no CAP_NET_ADMIN), a capability the backend lacks, or a
     * program missing from the {@code PATH}.
     *
     * @param modes the modes to open
     * @param capabilities what the devices must offer, in each mode
     * @param programs witness programs the test runs
     * @return the reason, in the library's words, or empty
     */
    public static Optional<String> whyUnavailable(Collection<DeviceMode> modes, Collection<Capability> capabilities,
            Collection<String> programs) {
        return whyUnavailable(modes, capabilities, programs, TunTap::provider, TunTap::diagnostics);
    }

    /** The library's chosen backend for a mode. */
    @FunctionalInterface
    interface Backends {
        TunTapProvider provider(DeviceMode mode) throws NoProviderException;
    }

    /**
     * {@link #whyUnavailable(Collection, Collection, Collection)} over given backends and diagnostics, so that the
     * decision can be checked with each answer a backend may give.
     */
    static Optional<String> whyUnavailable(Collection<DeviceMode> modes, Collection<Capability> capabilities,
            Collection<String> programs, Backends backends, Supplier<String> diagnostics) {
        for (DeviceMode mode : modes) {
            TunTapProvider provider;
            try {
                provider = backends.provider(mode);
            } catch (NoProviderException e) {
                return Optional.of("no tuntap backend can open " + mode + " devices here: " + e.getMessage());
            }
            Availability a = provider.availability();
            if (!a.canCreateDevices()) {
                return Optional.of("the " + provider.name() + " backend cannot create " + mode + " devices for this "
                        + "process: " + a + "\n" + diagnostics.get());
            }
            Set<Capability> missing = EnumSet.noneOf(Capability.class);
            missing.addAll(capabilities);
            missing.removeAll(provider.capabilities(mode));
            if (!missing.isEmpty()) {
                return Optional.of("the " + provider.name() + " backend's " + mode + " devices lack " + missing
                        + " here; they have " + provider.capabilities(mode));
            }
        }
        for (String program : programs) {
            if (!onPath(program)) {
                return Optional.of("the test runs '" + program + "', which is not on the PATH ("
                        + System.getenv("PATH") + "); install it");
            }
        }
        return Optional.empty();
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p) || windows && Files.isExecutable(Path.of(dir, program + ".exe"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * An interface name that no other call in this process has returned and that is unlikely to be in use on the
     * machine: {@code prefix} and six random letters and digits, at most 15 characters (Linux's limit).
     *
     * @param prefix up to 9 characters, letters and digits, e.g. {@code "tt"}
     * @return the name
     * @throws IllegalArgumentException if the prefix is too long or not letters and digits
     */
    public static String uniqueName(String prefix) {
        if (prefix.length() > MAX_NAME - SUFFIX || !prefix.chars().allMatch(Character::isLetterOrDigit)) {
            throw new IllegalArgumentException("name prefix '" + prefix + "': use at most " + (MAX_NAME - SUFFIX)
                    + " letters and digits, so that the name fits Linux's 15 characters");
        }
        while (true) {
            StringBuilder name = new StringBuilder(prefix);
            for (int i = 0; i < SUFFIX; i++) {
                name.append(Character.forDigit(RANDOM.nextInt(36), 36));
            }
            if (NAMES.add(name.toString())) {
                return name.toString();
            }
        }
    }

    /**
     * Reads packets from {@code channel} until one matches {@code wanted}, skipping the others, and returns it; fails
     * the test (with what was skipped) if none comes within {@code timeout}. The predicate sees each packet as a
     * read-only buffer from its first byte to its last.
     *
     * @param channel the device or queue to read
     * @param wanted which packet the test waits for
     * @param timeout how long to wait for it in all
     * @return a copy of the matching packet, position 0, limit its length
     * @throws TunTapException if a read fails
     */
    public static ByteBuffer readUntil(PacketChannel channel, Predicate<ByteBuffer> wanted, Duration timeout)
            throws TunTapException {
        ByteBuffer dst = ByteBuffer.allocate(MAX_PACKET);
        List<String> skipped = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return fail("no matching packet within " + timeout + "; skipped " + skipped.size() + " packets"
                        + (skipped.isEmpty() ? "" : ": " + String.join(", ", skipped.subList(0,
                                Math.min(skipped.size(), 20)))));
            }
            dst.clear();
            int n = channel.read(dst, Duration.ofNanos(left));
            if (n == 0) {
                continue;
            }
            ByteBuffer packet = dst.flip().asReadOnlyBuffer();
            if (wanted.test(packet.duplicate())) {
                ByteBuffer copy = ByteBuffer.allocate(n).put(packet);
                return copy.flip();
            }
            skipped.add(describe(packet));
        }
    }

    /** A few words on a skipped packet: its length and first bytes, for the failure message. */
    private static String describe(ByteBuffer packet) {
        StringBuilder s = new StringBuilder().append(packet.remaining()).append(" bytes [");
        for (int i = 0; i < Math.min(packet.remaining(), 8); i++) {
            s.append(String.format(Locale.ROOT, "%02x", packet.get(packet.position() + i)));
        }
        return s.append(packet.remaining() > 8 ? "...]" : "]").toString();
    }
}
