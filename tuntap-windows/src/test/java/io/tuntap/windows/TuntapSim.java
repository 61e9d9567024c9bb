// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The C API of the driver simulation ({@code native-driver/sim/tuntapsim.h}): the project's driver, its real
 * {@code glue/} and {@code core/} code, under a user-mode NDIS and I/O manager. Direct-mapped; pointers are
 * {@code long}, and every other parameter a fixed-width integer, so the one binding serves both builds:
 * {@code libtuntapsim.so} (LP64 Linux) and {@code tuntapsim.dll} (LLP64 Windows x64, built by mingw-w64, for a
 * Windows JVM).
 *
 * <p>Which build: {@code -Dtuntap.sim.variant=asan} takes {@code libtuntapsim-asan.so}, the same code under
 * ASan and UBSan, which needs the ASan runtime loaded first ({@code LD_PRELOAD}). On Linux the library is
 * rebuilt by the driver's Makefile before it is bound, every time (make does nothing when it is up to date),
 * so that a test never runs yesterday's driver code. On Windows it must have been built before the JVM
 * started ({@code make -C native-driver sim-dll}, as {@code scripts/windows-jvm-test} does).
 */
final class TuntapSim {
    static final int STATUS_SUCCESS = 0;
    static final int STATUS_PENDING = 0x103;
    static final int STATUS_TIMEOUT = 0x102;
    /** {@code tts_io_wait}'s "for ever". */
    static final int FOREVER = -1;

    private static volatile String loadError;
    private static volatile boolean loaded;

    private TuntapSim() {
    }

    static boolean onWindows() {
        return System.getProperty("os.name", "").startsWith("Windows");
    }

    /** {@code -Dtuntap.sim.variant}: empty for the plain build, or {@code asan}. */
    static String variant() {
        return System.getProperty("tuntap.sim.variant", "");
    }

    /** The library's path in the repository's build output, for this OS and variant. */
    static Path libraryPath() {
        String file = onWindows() ? "tuntapsim.dll"
                : variant().isEmpty() ? "libtuntapsim.so" : "libtuntapsim-" + variant() + ".so";
        return Path.of(System.getProperty("tuntap.repoRoot", "..")).toAbsolutePath().normalize()
                .resolve("native-driver/build/out").resolve(file);
    }

    /**
     * Brings the library up to date with the driver's Makefile (not on Windows, where it must exist), and
     * binds it once.
     *
     * @return null if bound, else why not (for a test assumption, or a failure where the simulation is
     *     required)
     */
    static synchronized String load() {
        if (loaded) {
            return null;
        }
        if (loadError != null) {
            return loadError;
        }
        loadError = bind();
        loaded = loadError == null;
        return loadError;
    }

    private static String bind() {
        Path lib = libraryPath();
        try {
            if (onWindows()) {
                if (!variant().isEmpty()) {
                    return "the " + variant() + " build of the simulation exists for Linux only";
                }
                if (!Files.exists(lib)) {
                    return lib + " is missing: build it with 'make -C native-driver sim-dll' (mingw-w64) "
                            + "before starting this JVM, as scripts/windows-jvm-test does";
                }
            } else {
                String made = make(lib);
                if (made != null) {
                    return made;
                }
                if (variant().equals("asan") && !asanRuntimeLoaded()) {
                    return lib + " needs the ASan runtime loaded first: run the JVM with "
                            + "LD_PRELOAD=\"$(gcc -print-file-name=libasan.so)\" (the sim-asan profile does)";
                }
            }
            Native.register(TuntapSim.class, NativeLibrary.getInstance(lib.toString()));
            return null;
        } catch (Exception | LinkageError e) {
            return "cannot load " + lib + ": " + e;
        }
    }

    /** Runs {@code make -C native-driver <lib>}; null if the library is now up to date, else why not. */
    private static String make(Path lib) throws Exception {
        Path root = lib.getParent().getParent().getParent();
        Process p;
        try {
            p = new ProcessBuilder("make", "-s", "-C", root.toString(), lib.toString())
                    .redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            return "cannot run make to build " + lib + " (needs make and gcc): " + e.getMessage();
        }
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0 || !Files.exists(lib)) {
            p.destroyForcibly();
            return "'make -C " + root + " " + lib + "' failed (needs gcc and make):\n"
                    + new String(out, StandardCharsets.UTF_8);
        }
        return null;
    }

    /** Whether this process has ASan's runtime (gcc's libasan or clang's), from its memory map. */
    private static boolean asanRuntimeLoaded() throws java.io.IOException {
        Path maps = Path.of("/proc/self/maps");
        return Files.exists(maps) && Files.readAllLines(maps).stream()
                .anyMatch(l -> l.contains("/libasan.so") || l.contains("libclang_rt.asan"));
    }

    static native int tts_api_version();

    static native long tts_machine_create(long config);

    static native int tts_machine_destroy(long machine);

    static native int tts_violations(long machine, long buf, long bufLen);

    static native long tts_device_path(long machine);

    static native int tts_open(long machine, String path, long fileOut);

    static native int tts_ioctl(long file, int code, long in, int inLen, long out, int outLen, long returned);

    static native long tts_read(long file, long buf, int len);

    static native long tts_write(long file, long buf, int len);

    static native int tts_io_wait(long io, int timeoutMs, long information);

    static native int tts_io_pended(long io);

    static native int tts_io_cancel(long io);

    static native void tts_io_free(long io);

    static native void tts_close(long file);

    static native int tts_host_send(long machine, long frame, int len);

    static native int tts_host_receive(long machine, long buf, int cap);

    static native int tts_link_connected(long machine);

    /** One simulated machine with one adapter, created from a {@code tts_config}. */
    static final class Machine implements AutoCloseable {
        final long handle;
        private final Memory config = new Memory(32);
        private final Memory guid;
        private boolean destroyed;
        private int violationsAtDestroy = -1;

        Machine(String guidText, int mtu, int mediaStatus) {
            guid = new Memory(guidText.length() + 1L);
            guid.setString(0, guidText, StandardCharsets.US_ASCII.name());
            config.clear();
            config.setPointer(0, guid);      // instance_guid
            config.setInt(8, mtu);           // mtu
            config.setInt(12, mediaStatus);  // media_status
            config.setPointer(16, null);     // network_address
            config.setInt(24, 0);            // flags
            handle = tts_machine_create(Pointer.nativeValue(config));
            if (handle == 0) {
                throw new IllegalStateException("tts_machine_create failed (see stderr)");
            }
        }

        String devicePath() {
            return new Pointer(tts_device_path(handle)).getString(0, StandardCharsets.US_ASCII.name());
        }

        /** Violations so far. */
        int violations() {
            return tts_violations(handle, 0, 0);
        }

        /** The first violation's text, or null if there was none. */
        String firstViolation() {
            try (Memory buf = new Memory(1024)) {
                buf.clear();
                int n = tts_violations(handle, Pointer.nativeValue(buf), 1024);
                return n == 0 ? null : n + " violation(s), the first: " + buf.getString(0);
            }
        }

        /** Destroys the machine; returns the violations seen over its life. */
        int destroy() {
            if (!destroyed) {
                destroyed = true;
                violationsAtDestroy = tts_machine_destroy(handle);
            }
            return violationsAtDestroy;
        }

        @Override
        public void close() {
            destroy();
            config.close();
            guid.close();
        }
    }
}
