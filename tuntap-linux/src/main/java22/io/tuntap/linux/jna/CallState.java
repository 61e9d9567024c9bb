// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.jna;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * Where a thread's foreign calls leave errno ({@link Linker.Option#captureCallState}): one segment per
 * thread, made on its first call, so that no call allocates. Also remembers whether the thread's last call
 * through a binding went through the foreign function API or through JNA, so that {@code errno()} answers
 * for the right one.
 */
final class CallState {
    static final StructLayout LAYOUT = Linker.Option.captureStateLayout();
    private static final long ERRNO = LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("errno"));
    private static final ThreadLocal<CallState> CURRENT = ThreadLocal.withInitial(CallState::new);

    final MemorySegment segment = Arena.ofAuto().allocate(LAYOUT);
    /** True if the last call went through the foreign function API, false if through JNA. */
    boolean foreign;

    static CallState current() {
        return CURRENT.get();
    }

    int errno() {
        return segment.get(ValueLayout.JAVA_INT, ERRNO);
    }
}
