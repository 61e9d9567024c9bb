// SPDX-License-Identifier: Apache-2.0
/* c4267_probe.c - what MSVC's C4267 reports on 64-bit Windows, and what it
 * does not; typecheck.sh c4267 checks that the lint flags exactly the lines
 * marked C4267. */
#include <ndis.h>

extern const ULONG Count;
ULONG probe_param(SIZE_T n);
ULONG probe_constant(void);
ULONG probe_cast(SIZE_T n);
void probe_argument(SIZE_T n);
ULONG probe_product(void);
void use(ULONG v);

ULONG probe_param(SIZE_T n)
{
    return n; /* C4267 */
}

ULONG probe_constant(void)
{
    return sizeof(NDIS_OID) * 3;
}

ULONG probe_cast(SIZE_T n)
{
    return (ULONG)n;
}

void probe_argument(SIZE_T n)
{
    use(n + 1); /* C4267 */
}

ULONG probe_product(void)
{
    return Count * sizeof(NDIS_OID); /* C4267 */
}
