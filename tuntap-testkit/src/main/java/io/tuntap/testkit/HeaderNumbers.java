// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tuntap.spi.ErrorCodes;
import java.util.HashMap;
import java.util.Map;

/**
 * Numbers transcribed from a system header, for golden tests: the test writes them out as
 * {@code "NAME value NAME value ..."}, citing the header, and checks the backend's table against them, never
 * against the code under test.
 */
public final class HeaderNumbers {
    private HeaderNumbers() {
    }

    /**
     * The names and numbers of a transcription.
     *
     * @param pairs {@code "EPERM 1 ENOENT 2 ..."}
     * @return name to number
     */
    public static Map<String, Integer> parse(String pairs) {
        String[] words = pairs.trim().split("\\s+");
        if (words.length % 2 != 0) {
            throw new IllegalArgumentException("a name without a number in: " + pairs);
        }
        Map<String, Integer> map = new HashMap<>();
        for (int i = 0; i < words.length; i += 2) {
            map.put(words[i], Integer.valueOf(words[i + 1]));
        }
        return map;
    }

    /**
     * Asserts that every name of a backend's error table stands in the header with the same number.
     *
     * @param table the backend's table
     * @param header where the numbers come from, for the failure message
     * @param pairs the transcription, as {@link #parse} takes it
     */
    public static void assertAgrees(ErrorCodes table, String header, String pairs) {
        Map<String, Integer> numbers = parse(pairs);
        assertFalse(table.names().isEmpty(), "the table is empty");
        for (String name : table.names()) {
            assertEquals(numbers.get(name), table.number(name), name + " in " + header);
        }
    }
}
