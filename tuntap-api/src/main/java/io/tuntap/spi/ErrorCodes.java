// SPDX-License-Identifier: Apache-2.0
package io.tuntap.spi;

import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One operating system's table of error codes: the symbolic names of the numbers its calls report (errno on
 * Unix, Win32 error codes on Windows), and the {@link ErrorMessages#osError} message for a failed call. The
 * numbers differ from system to system (EAGAIN is 11 on Linux and illumos, 35 on the BSDs and macOS), so each
 * backend declares its own as {@code static final int} constants named exactly as in the system's header, each
 * cited there, in a class that holds nothing else; this table reads them from that class, so that the names are
 * written once:
 *
 * <pre>
 * public final class Errno {
 *     public static final int EPERM = 1;  // the header and line it comes from
 *     ...
 *     public static final ErrorCodes TABLE = ErrorCodes.of("errno", MethodHandles.lookup());
 * }
 * </pre>
 */
public final class ErrorCodes {
    private final String kind;
    private final Map<Integer, String> names;
    private final Map<String, Integer> numbers;

    private ErrorCodes(String kind, Map<Integer, String> names, Map<String, Integer> numbers) {
        this.kind = kind;
        this.names = names;
        this.numbers = numbers;
    }

    /**
     * The table of the {@code static final int} constants of the class that {@code lookup} belongs to.
     *
     * @param kind what the codes are, {@code "errno"} or {@code "error"}, as messages name them
     * @param lookup the lookup of the class holding the constants ({@code MethodHandles.lookup()} in it)
     * @return the table
     * @throws IllegalStateException if two constants have the same number (a table holds no aliases)
     */
    public static ErrorCodes of(String kind, MethodHandles.Lookup lookup) {
        Map<Integer, String> names = new HashMap<>();
        Map<String, Integer> numbers = new TreeMap<>();
        for (Field field : lookup.lookupClass().getDeclaredFields()) {
            int modifiers = field.getModifiers();
            if (field.getType() != int.class || !Modifier.isStatic(modifiers) || !Modifier.isFinal(modifiers)) {
                continue;
            }
            int number;
            try {
                number = (int) lookup.unreflectGetter(field).invokeExact();
            } catch (Throwable e) {
                throw new IllegalStateException("cannot read " + field, e);
            }
            String other = names.putIfAbsent(number, field.getName());
            if (other != null) {
                throw new IllegalStateException(lookup.lookupClass().getName() + " gives " + number + " two names, "
                        + other + " and " + field.getName() + "; keep one");
            }
            numbers.put(field.getName(), number);
        }
        return new ErrorCodes(kind, Map.copyOf(names), Collections.unmodifiableMap(numbers));
    }

    /**
     * The symbolic name of a code.
     *
     * @param code the code
     * @return its name, e.g. {@code "EBUSY"}, or null if the table does not have it
     */
    public String symbol(int code) {
        return names.get(code);
    }

    /**
     * The symbolic name of a code, or the kind and number of one the table does not have.
     *
     * @param code the code
     * @return e.g. {@code "EBUSY"}, or {@code "errno 1234"}
     */
    public String name(int code) {
        String name = names.get(code);
        return name != null ? name : kind + " " + code;
    }

    /**
     * The number of a name.
     *
     * @param name the symbolic name, e.g. {@code "EBUSY"}
     * @return its number, or -1 if the table does not have it
     */
    public int number(String name) {
        return numbers.getOrDefault(name, -1);
    }

    /**
     * The names the table has.
     *
     * @return them, sorted
     */
    public Set<String> names() {
        return numbers.keySet();
    }

    /**
     * The message of a failed call, in the format of {@link ErrorMessages#osError}.
     *
     * @param call the call that failed, e.g. {@code "ioctl(TUNSETIFF) on tun0"}
     * @param code the code it failed with
     * @param causeAndFix what the code means at this call and what to do about it
     * @return the message, e.g. {@code "ioctl(TUNSETIFF) on tun0 failed with EBUSY (errno 16): ..."}
     */
    public String message(String call, int code, String causeAndFix) {
        return ErrorMessages.osError(call, symbol(code), kind, code, causeAndFix);
    }
}
