// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd.jna;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tuntap.posix.PosixLibC;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * On macOS, ioctl and fcntl go through the variadic binding (Java varargs, so that JNA tells libffi that two
 * arguments are fixed: Apple arm64 passes the rest on the stack), and every other call through the direct one.
 */
class DarwinLibCTest {

    @Test
    void ioctlAndFcntlAreVariadicWithTwoFixedArguments() throws Exception {
        Method ioctl = DarwinLibC.Variadic.class.getMethod("ioctl", int.class, long.class, Object[].class);
        Method fcntl = DarwinLibC.Variadic.class.getMethod("fcntl", int.class, int.class, Object[].class);
        assertEquals(true, ioctl.isVarArgs());
        assertEquals(true, fcntl.isVarArgs());

        List<String> variadicCalls = new ArrayList<>();
        DarwinLibC.Variadic variadic = (DarwinLibC.Variadic) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DarwinLibC.Variadic.class}, (proxy, m, args) -> {
                    variadicCalls.add(m.getName() + ":" + args[0] + ":" + args[1] + ":"
                            + java.util.Arrays.toString((Object[]) args[2]));
                    return 7;
                });
        List<String> directCalls = new ArrayList<>();
        PosixLibC direct = (PosixLibC) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {PosixLibC.class}, (proxy, m, args) -> {
                    directCalls.add(m.getName());
                    return m.getReturnType() == long.class ? (Object) 0L : (Object) 0;
                });
        DarwinLibC libc = new DarwinLibC(direct, variadic);
        assertEquals(7, libc.ioctl(3, 0xc0644e03L, 0x1000L));
        assertEquals(7, libc.fcntl(3, BsdAbi.F_SETFL, BsdAbi.O_NONBLOCK));
        libc.read(3, 0, 0);
        libc.writev(3, 0, 2);
        libc.poll(0, 2, 100);
        assertArrayEquals(new String[] {"ioctl:3:" + 0xc0644e03L + ":[4096]", "fcntl:3:4:[4]"},
                variadicCalls.toArray(), "the argument after the fixed ones goes as a vararg");
        assertEquals(List.of("read", "writev", "poll"), directCalls);
    }
}
