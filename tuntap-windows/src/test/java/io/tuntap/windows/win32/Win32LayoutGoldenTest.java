// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows.win32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Native;
import com.sun.jna.Structure;
import com.sun.jna.platform.win32.Guid;
import com.sun.jna.platform.win32.WinBase;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Every JNA {@link Structure} the backend maps, and every raw layout constant, against the sizes and offsets
 * that mingw-w64's headers give on 64-bit Windows ({@code win64-layout-golden.txt}, printed by
 * {@code src/test/c/win32_layout_probe.c}; {@link Win32LayoutProbeTest} checks that the file still matches
 * the probe). The structures hold only fixed-size fields (no {@code NativeLong}, no {@code wchar_t}), so JNA
 * lays them out the same on 64-bit Linux and 64-bit Windows, and this check is valid on both.
 */
class Win32LayoutGoldenTest {
    private static final Map<String, String> GOLDEN = GoldenFile.resource("win64-layout-golden.txt");

    /** Golden C type name → the Java structure that maps it. */
    private static final Map<String, Supplier<Structure>> STRUCTURES = new LinkedHashMap<>();
    /** Golden "T,cfield" → Java field name, where they differ. */
    private static final Map<String, String> FIELD_NAMES = Map.of(
            "SOCKADDR_INET,Ipv4.sin_port", "sin_port",
            "SOCKADDR_INET,Ipv4.sin_addr", "sin_addr_or_sin6_flowinfo",
            "SOCKADDR_INET,Ipv6.sin6_flowinfo", "sin_addr_or_sin6_flowinfo",
            "SOCKADDR_INET,Ipv6.sin6_addr", "sin6_addr",
            "SOCKADDR_INET,Ipv6.sin6_scope_id", "sin6_scope_id",
            "SP_REMOVEDEVICE_PARAMS,ClassInstallHeader", "cbSize");

    static {
        STRUCTURES.put("OVERLAPPED", WinBase.OVERLAPPED::new);
        STRUCTURES.put("GUID", Guid.GUID::new);
        STRUCTURES.put("SP_DEVINFO_DATA", SpDevinfoData::new);
        STRUCTURES.put("SP_REMOVEDEVICE_PARAMS", SpRemoveDeviceParams::new);
        STRUCTURES.put("SOCKADDR_INET", SockaddrInet::new);
        STRUCTURES.put("IP_ADDRESS_PREFIX", IpAddressPrefix::new);
        STRUCTURES.put("MIB_UNICASTIPADDRESS_ROW", MibUnicastIpAddressRow::new);
        STRUCTURES.put("MIB_IPINTERFACE_ROW", MibIpInterfaceRow::new);
        STRUCTURES.put("MIB_IPFORWARD_ROW2", MibIpForwardRow2::new);
        STRUCTURES.put("DNS_INTERFACE_SETTINGS", DnsInterfaceSettings::new);
    }

    private static int golden(String key) {
        String v = GOLDEN.get(key);
        assertNotNull(v, key + " is in the golden file");
        return (int) GoldenFile.number(v);
    }

    private static int offset(Structure s, String field) throws Exception {
        Method m = Structure.class.getDeclaredMethod("fieldOffset", String.class);
        m.setAccessible(true);
        return (Integer) m.invoke(s, field);
    }

    @Test
    void theHostLaysOutPointersAsWindowsX64Does() {
        assertEquals(8, Native.POINTER_SIZE, "the backend and this check assume 64-bit pointers");
        assertEquals(golden("sizeof(void *)"), Native.POINTER_SIZE);
        assertEquals(golden("sizeof(HANDLE)"), Native.POINTER_SIZE);
        assertEquals(4, golden("sizeof(DWORD)"), "DWORD is an int");
        assertEquals(4, golden("sizeof(ULONG)"), "ULONG is an int");
        assertEquals(4, golden("sizeof(long)"), "LLP64: a C long is 4 bytes, never NativeLong");
        assertEquals(2, golden("sizeof(WCHAR)"), "WCHAR is UTF-16");
        assertEquals(8, golden("sizeof(NET_LUID)"), "NET_LUID is a long");
    }

    @Test
    void everyStructureHasTheSizeAndOffsetsOfWindows() throws Exception {
        Set<String> checked = new TreeSet<>();
        for (Map.Entry<String, Supplier<Structure>> e : STRUCTURES.entrySet()) {
            String type = e.getKey();
            Structure s = e.getValue().get();
            assertEquals(golden("sizeof(" + type + ")"), s.size(), "sizeof(" + type + ")");
            String prefix = "offsetof(" + type + ",";
            int fields = 0;
            for (Map.Entry<String, String> g : GOLDEN.entrySet()) {
                if (!g.getKey().startsWith(prefix)) {
                    continue;
                }
                String cField = g.getKey().substring(prefix.length(), g.getKey().length() - 1);
                String javaField = FIELD_NAMES.getOrDefault(type + "," + cField, cField);
                assertEquals((int) GoldenFile.number(g.getValue()), offset(s, javaField), g.getKey());
                fields++;
            }
            assertTrue(fields > 0, type + " has offsets in the golden file");
            checked.add(type);
        }
        assertEquals(STRUCTURES.keySet(), checked);
    }

    @Test
    void rawLayoutsOfThePacketPathMatch() {
        assertEquals(golden("sizeof(OVERLAPPED)"), Overlapped.SIZE);
        assertEquals(golden("offsetof(OVERLAPPED,Internal)"), Overlapped.INTERNAL);
        assertEquals(golden("offsetof(OVERLAPPED,InternalHigh)"), Overlapped.INTERNAL_HIGH);
        assertEquals(golden("offsetof(OVERLAPPED,Offset)"), Overlapped.OFFSET);
        assertEquals(golden("offsetof(OVERLAPPED,OffsetHigh)"), Overlapped.OFFSET_HIGH);
        assertEquals(golden("offsetof(OVERLAPPED,hEvent)"), Overlapped.HEVENT);
        assertEquals(golden("offsetof(MIB_UNICASTIPADDRESS_TABLE,Table)"), IpTables.TABLE_OFFSET);
        assertEquals(golden("offsetof(MIB_IPFORWARD_TABLE2,Table)"), IpTables.TABLE_OFFSET);
        assertEquals(golden("sizeof(SP_CLASSINSTALL_HEADER)"), SpRemoveDeviceParams.HEADER_SIZE);
    }

    @Test
    void waitConstantsAreTheHeaders() {
        Map<String, Integer> waits = Map.of("MAXIMUM_WAIT_OBJECTS", Kernel32Io.MAXIMUM_WAIT_OBJECTS,
                "WAIT_OBJECT_0", Kernel32Io.WAIT_OBJECT_0, "WAIT_TIMEOUT", Kernel32Io.WAIT_TIMEOUT,
                "WAIT_FAILED", Kernel32Io.WAIT_FAILED, "INFINITE", Kernel32Io.INFINITE);
        waits.forEach((name, value) -> assertEquals(golden(name), value, name));
    }

    @Test
    void ctlCodeAgreesWithTheSdkMacro() {
        assertEquals(golden("CTL_CODE(FILE_DEVICE_UNKNOWN,1,METHOD_BUFFERED,FILE_ANY_ACCESS)"), TapIoctl.GET_MAC);
        assertEquals(golden("CTL_CODE(FILE_DEVICE_UNKNOWN,10,METHOD_BUFFERED,FILE_ANY_ACCESS)"), TapIoctl.CONFIG_TUN);
        assertEquals(golden("CTL_CODE(51820,0x970,METHOD_BUFFERED,FILE_READ_DATA|FILE_WRITE_DATA)"),
                CtlCode.of(51820, 0x970, CtlCode.METHOD_BUFFERED, CtlCode.FILE_READ_DATA | CtlCode.FILE_WRITE_DATA));
    }
}
