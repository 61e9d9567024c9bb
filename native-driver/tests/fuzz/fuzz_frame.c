/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzzes tt_frame_classify. */
#include "../../core/tt_frame.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tt_frame_info info;
    if (tt_frame_classify(data, size, &info) != TT_OK) {
        FUZZ_ASSERT(size < 18);
        return 0;
    }
    FUZZ_ASSERT(info.payload_offset == 14 || info.payload_offset == 18);
    FUZZ_ASSERT(info.payload_offset + info.payload_length == size);
    FUZZ_ASSERT((info.kind == TT_FRAME_VLAN) == (info.payload_offset == 18));
    return 0;
}
