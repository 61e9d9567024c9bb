// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows.win32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every Win32 function the bindings name exists under that name in the DLL it is bound to: checked against
 * the symbols of mingw-w64's import libraries ({@code libkernel32.a}, {@code libiphlpapi.a},
 * {@code libsetupapi.a}, {@code libnewdev.a}), so that a misspelt or A/W-confused name fails here rather than
 * with {@code UnsatisfiedLinkError} on Windows. Skipped, saying why, without mingw-w64.
 */
class Win32ExportsTest {
    private static final Path LIBS = Path.of("/usr/x86_64-w64-mingw32/lib");

    private static Set<String> exports(String library) throws Exception {
        Path lib = LIBS.resolve("lib" + library + ".a");
        assumeTrue(Files.exists(lib), lib + " is missing (package mingw-w64-x86-64-dev)");
        Process p = new ProcessBuilder("x86_64-w64-mingw32-nm", "--defined-only", lib.toString())
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "nm " + lib + ":\n" + out);
        Set<String> names = new HashSet<>();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[1].equals("T")) {
                names.add(f[2]);
            }
        }
        return names;
    }

    /** The exported names a direct-mapped class binds: its native methods, with the "0" suffix removed. */
    private static List<String> nativeNames(Class<?> c) {
        List<String> names = new ArrayList<>();
        for (Method m : c.getDeclaredMethods()) {
            if (Modifier.isNative(m.getModifiers())) {
                String n = m.getName();
                names.add(n.endsWith("0") ? n.substring(0, n.length() - 1) : n);
            }
        }
        return names;
    }

    /** The exported names an interface-mapped library binds: its abstract methods. */
    private static List<String> interfaceNames(Class<?> c) {
        List<String> names = new ArrayList<>();
        for (Method m : c.getDeclaredMethods()) {
            if (Modifier.isAbstract(m.getModifiers())) {
                names.add(m.getName());
            }
        }
        return names;
    }

    private static void assertExported(String library, List<String> names, String... notInImportLibrary)
            throws Exception {
        Set<String> exported = exports(library);
        exported.addAll(List.of(notInImportLibrary));
        Set<String> missing = new TreeSet<>();
        for (String n : names) {
            if (!exported.contains(n)) {
                missing.add(n);
            }
        }
        assertEquals(Set.of(), missing, "functions not exported by " + library + ".dll");
        assertTrue(!names.isEmpty());
    }

    @Test
    void kernel32() throws Exception {
        assertExported("kernel32", nativeNames(Kernel32IoDirect.class));
        assertExported("kernel32", nativeNames(LoaderFolders.class));
    }

    @Test
    void iphlpapi() throws Exception {
        assertExported("iphlpapi", interfaceNames(IpHelper.class));
    }

    @Test
    void setupapiAndNewdev() throws Exception {
        assertExported("setupapi", interfaceNames(SetupApiEx.class));
        // mingw-w64 10's libnewdev.a lacks DiInstallDevice, which newdev.dll exports since Windows Vista
        // (learn.microsoft.com, "DiInstallDevice function (newdev.h)"); OpenVPN's tapctl resolves it at run
        // time for the same reason. JNA resolves it at run time too.
        assertExported("newdev", interfaceNames(SetupApiEx.Newdev.class), "DiInstallDevice");
    }
}
