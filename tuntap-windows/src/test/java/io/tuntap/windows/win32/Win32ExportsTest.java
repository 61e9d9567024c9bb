// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows.win32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.NativeLibrary;
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
 * Every Win32 function the bindings name exists under that name in the DLL it is bound to, so that a misspelt
 * or A/W-confused name fails here rather than with {@code UnsatisfiedLinkError} on Windows. Off Windows:
 * checked against the symbols of mingw-w64's import libraries ({@code libkernel32.a}, {@code libiphlpapi.a},
 * {@code libsetupapi.a}, {@code libnewdev.a}), read with mingw-w64's {@code nm}; skipped, saying why, without
 * mingw-w64. On Windows (and on a Windows JVM under wine): each name is looked up in the DLL this process
 * loads ({@code GetProcAddress} through JNA), the same exact name, no A/W mapping.
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

    private static boolean onWindows() {
        return System.getProperty("os.name", "").startsWith("Windows");
    }

    /**
     * The IP Helper functions the backend binds that wine's {@code iphlpapi.dll} does not export (checked on
     * wine 8.0, Debian 8.0~repack-4, whose DLL's export table lacks exactly these). Windows has had them all
     * since Vista, {@code SetInterfaceDnsSettings} since Windows 10 build 19041 (learn.microsoft.com,
     * "win32/api/netioapi/nf-netioapi-createunicastipaddressentry" and the pages of the others, section
     * Requirements: DLL Iphlpapi.dll). In wine's source they are commented-out stubs, "#@ stub
     * CreateUnicastIpAddressEntry" and so on (wine-mirror/wine 0521925c, dlls/iphlpapi/iphlpapi.spec), which
     * are not exported at all; {@code SetInterfaceDnsSettings} is not listed there. So under wine the backend
     * can read the tables and convert LUIDs, but could not add an address or a route, or set an MTU.
     */
    static final Set<String> IPHLPAPI_MISSING_UNDER_WINE = Set.of("CreateIpForwardEntry2",
            "CreateUnicastIpAddressEntry", "DeleteIpForwardEntry2", "DeleteUnicastIpAddressEntry",
            "GetIpInterfaceEntry", "InitializeIpForwardEntry", "InitializeUnicastIpAddressEntry",
            "SetInterfaceDnsSettings", "SetIpInterfaceEntry");

    private static void assertExported(String library, List<String> names, String... notInImportLibrary)
            throws Exception {
        Set<String> missing = new TreeSet<>();
        if (onWindows()) {
            NativeLibrary dll = NativeLibrary.getInstance(library);
            for (String n : names) {
                try {
                    dll.getFunction(n);
                } catch (UnsatisfiedLinkError e) {
                    missing.add(n);
                }
            }
        } else {
            Set<String> exported = exports(library);
            exported.addAll(List.of(notInImportLibrary));
            for (String n : names) {
                if (!exported.contains(n)) {
                    missing.add(n);
                }
            }
        }
        if (Wine.running() && library.equals("iphlpapi")) {
            // Wine lacks some (see IPHLPAPI_MISSING_UNDER_WINE); every other name must resolve, and a later
            // wine may have more of them.
            assertTrue(IPHLPAPI_MISSING_UNDER_WINE.containsAll(missing),
                    "functions not exported by wine " + Wine.version() + "'s iphlpapi.dll beyond the known ones: "
                            + missing);
            assertTrue(names.containsAll(IPHLPAPI_MISSING_UNDER_WINE), "the list names only bound functions");
        } else {
            assertEquals(Set.of(), missing, "functions not exported by " + library + ".dll");
        }
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
