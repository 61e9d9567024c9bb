// SPDX-License-Identifier: Apache-2.0
package io.tuntap.spi;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Whether a thread is virtual, for code compiled for Java 17: {@code Thread.isVirtual()} (Java 21) looked up once
 * as a method handle. On a JDK without it, no thread is virtual. The backends' waits ask it to choose between
 * parking a virtual thread and blocking a platform thread in a native wait.
 */
public final class VirtualThreads {
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

    /**
     * Whether this JDK has virtual threads.
     *
     * @return true on Java 21 and later
     */
    public static boolean exist() {
        return IS_VIRTUAL != null;
    }

    /**
     * Whether {@code thread} is virtual.
     *
     * @param thread any thread
     * @return true if it is a virtual thread
     */
    public static boolean isVirtual(Thread thread) {
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
