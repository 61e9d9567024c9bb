// SPDX-License-Identifier: Apache-2.0
package io.tuntap.posix;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Whether a thread is virtual, for code compiled for Java 17: {@code Thread.isVirtual()} (Java 21) looked up once
 * as a method handle. On a JDK without it, no thread is virtual.
 */
final class VirtualThreads {
    private static final MethodHandle IS_VIRTUAL = find();

    private VirtualThreads() {
    }

    private static MethodHandle find() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual",
                    MethodType.methodType(boolean.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null;
        }
    }

    /** True on a JDK with virtual threads (21 and later). */
    static boolean exist() {
        return IS_VIRTUAL != null;
    }

    /** True if {@code thread} is a virtual thread. */
    static boolean isVirtual(Thread thread) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(thread);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            // Thread.isVirtual() declares no checked exception.
            throw new IllegalStateException(e);
        }
    }
}
