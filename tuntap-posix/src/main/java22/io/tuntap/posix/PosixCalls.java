// SPDX-License-Identifier: Apache-2.0
package io.tuntap.posix;

import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Picks the binding of every Unix backend's native calls, once per process, Java 22 and later: the foreign
 * function API for every call ({@link ForeignPosixLibC}, and each backend's calls bound with {@link #bind}),
 * unless {@code -D}{@value #PROPERTY}{@code =false}; if the binding cannot be made (the JVM refuses native
 * access, say), JNA direct mapping takes the calls and the reason is logged and reported by {@link #binding()}.
 * A native call through the foreign function API costs a few nanoseconds where a JNA direct call costs about
 * two hundred.
 *
 * <p>errno is captured after each call ({@link Linker.Option#captureCallState}) into one small segment per
 * thread, made on the thread's first call, so that no call allocates; {@link #capturedErrno()} reads it. Every
 * call of every backend captures into the same segment, so errno is the one of the thread's last call,
 * whichever interface made it. No call is bound with {@code Linker.Option.critical}: read, write and poll may
 * block, and a critical call would hold off the JVM's safepoints for as long.
 *
 * <p>The JVM warns once about the restricted method {@code Linker.downcallHandle} unless it runs with
 * {@code --enable-native-access=ALL-UNNAMED} (class path) or {@code --enable-native-access=io.tuntap.posix}
 * (module path): every call is bound here, so that module is the only tuntap module that needs it (JNA's
 * {@code com.sun.jna}, which loads a JNI library, needs it too from Java 24 on).
 */
public final class PosixCalls {
    /** System property: {@code false} keeps JNA for every call on Java 22 and later too. */
    public static final String PROPERTY = "tuntap.ffm";

    private static final StructLayout STATE = Linker.Option.captureStateLayout();
    private static final long ERRNO = STATE.byteOffset(MemoryLayout.PathElement.groupElement("errno"));
    private static final ThreadLocal<MemorySegment> SEGMENTS =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(STATE));
    /** ()MemorySegment: this thread's capture segment, folded in front of every bound call. */
    private static final MethodHandle SEGMENT;

    static {
        try {
            SEGMENT = MethodHandles.lookup().findStatic(PosixCalls.class, "segment",
                    MethodType.methodType(MemorySegment.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private PosixCalls() {
    }

    private static final class Holder {
        static final PosixLibC LIBC;
        static final String BINDING;

        static {
            PosixLibC libc = PosixLibCDirect.INSTANCE;
            String binding;
            if ("false".equalsIgnoreCase(System.getProperty(PROPERTY, "").trim())) {
                binding = "JNA direct mapping (foreign function API switched off with -D" + PROPERTY + "=false)";
            } else {
                try {
                    libc = ForeignPosixLibC.INSTANCE;
                    binding = "foreign function API for every call (Java " + Runtime.version().feature()
                            + "; -D" + PROPERTY + "=false for JNA)";
                } catch (RuntimeException | LinkageError e) {
                    libc = PosixLibCDirect.INSTANCE;
                    binding = "JNA direct mapping (the foreign function API binding failed: " + e + ")";
                    System.getLogger("io.tuntap.posix").log(Level.WARNING, "tuntap: {0}", binding);
                }
            }
            LIBC = libc;
            BINDING = binding;
        }
    }

    /** The POSIX calls, through the binding this process uses. */
    public static PosixLibC libc() {
        return Holder.LIBC;
    }

    /** True if the calls go through the foreign function API. */
    public static boolean foreign() {
        return Holder.LIBC != PosixLibCDirect.INSTANCE;
    }

    /** Which binding the calls use and why, for the diagnostics report. */
    public static String binding() {
        return Holder.BINDING;
    }

    /**
     * A C function of the C library bound through the foreign function API, errno captured where
     * {@link PosixLibC#errno()} of {@link #libc()} reads it. Only when {@link #foreign()} is true.
     *
     * @param name the C function
     * @param type its Java signature, of {@code int}, {@code long} and {@code void} only (pointers as long)
     * @return a handle of exactly {@code type}
     * @throws UnsatisfiedLinkError if the C library has no such function
     */
    public static MethodHandle bind(String name, MethodType type) {
        return downcall(name, type, -1);
    }

    /**
     * {@link #bind} for a variadic C function, such as {@code ioctl}, {@code fcntl}, {@code open} or
     * {@code syscall}: the arguments from index {@code fixed} on are passed as variadic ones, which the Apple
     * arm64 ABI puts on the stack.
     *
     * @param name the C function
     * @param type its Java signature, as for {@link #bind}
     * @param fixed how many arguments C declares before the {@code ...}
     * @return a handle of exactly {@code type}
     * @throws UnsatisfiedLinkError if the C library has no such function
     */
    public static MethodHandle bindVariadic(String name, MethodType type, int fixed) {
        return downcall(name, type, fixed);
    }

    /** The errno that the last call bound by {@link #bind} left on this thread. */
    public static int capturedErrno() {
        return SEGMENTS.get().get(ValueLayout.JAVA_INT, ERRNO);
    }

    private static MemorySegment segment() {
        return SEGMENTS.get();
    }

    // Restricted: binding a native function is unchecked by nature; each caller's signature follows its man page.
    @SuppressWarnings("restricted")
    private static MethodHandle downcall(String name, MethodType type, int fixed) {
        Linker linker = Linker.nativeLinker();
        MemorySegment symbol = linker.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("the C library has no " + name));
        MemoryLayout[] arguments = new MemoryLayout[type.parameterCount()];
        for (int i = 0; i < arguments.length; i++) {
            arguments[i] = layout(name, type.parameterType(i));
        }
        FunctionDescriptor descriptor = type.returnType() == void.class ? FunctionDescriptor.ofVoid(arguments)
                : FunctionDescriptor.of(layout(name, type.returnType()), arguments);
        Linker.Option errno = Linker.Option.captureCallState("errno");
        MethodHandle call = fixed < 0 ? linker.downcallHandle(symbol, descriptor, errno)
                : linker.downcallHandle(symbol, descriptor, Linker.Option.firstVariadicArg(fixed), errno);
        // (MemorySegment, args...) -> (args...): the segment is this thread's, looked up on each call.
        return MethodHandles.foldArguments(call, 0, SEGMENT);
    }

    /** int and long as C's int and (on LP64) long, size_t, ssize_t and pointers. */
    private static ValueLayout layout(String name, Class<?> type) {
        if (type == int.class) {
            return ValueLayout.JAVA_INT;
        }
        if (type == long.class) {
            return ValueLayout.JAVA_LONG;
        }
        throw new IllegalArgumentException(name + ": only int and long are bound, not " + type);
    }
}
