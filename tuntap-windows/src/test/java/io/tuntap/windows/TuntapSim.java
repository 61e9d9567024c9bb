// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The C API of {@code libtuntapsim.so} ({@code native-driver/sim/tuntapsim.h}): the project's driver, its
 * real {@code glue/} and {@code core/} code, under a user-mode NDIS and I/O manager. Direct-mapped; pointers
 * are {@code long} (LP64 Linux).
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

    /** The library's path in the repository's build output. */
    static Path libraryPath() {
        return Path.of(System.getProperty("tuntap.repoRoot", "..")).toAbsolutePath().normalize()
                .resolve("native-driver/build/out/libtuntapsim.so");
    }

    /**
     * Builds the library with the driver's Makefile if it is missing, and binds it once.
     *
     * @return null if bound, else why not (for a test assumption)
     */
    static synchronized String load() {
        if (loaded) {
            return null;
        }
        if (loadError != null) {
            return loadError;
        }
        Path lib = libraryPath();
        try {
            if (!Files.exists(lib)) {
                Path root = lib.getParent().getParent().getParent();
                Process p = new ProcessBuilder("make", "-s", "-C", root.toString(), lib.toString())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                p.getOutputStream().close();
                if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0 || !Files.exists(lib)) {
                    p.destroyForcibly();
                    loadError = "could not build " + lib + " with 'make -C native-driver " + lib
                            + "' (needs gcc and make)";
                    return loadError;
                }
            }
            Native.register(TuntapSim.class, NativeLibrary.getInstance(lib.toString()));
            loaded = true;
            return null;
        } catch (Exception | LinkageError e) {
            loadError = "cannot load " + lib + ": " + e;
            return loadError;
        }
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

    static boolean exists(Path p) {
        return new File(p.toString()).exists();
    }
}
