/* SPDX-License-Identifier: Apache-2.0 */
/* ntstrsafe.h (stand-in): everything is declared by this directory's ndis.h. */
#ifndef TT_WDK_NTSTRSAFE_H
#define TT_WDK_NTSTRSAFE_H
#include <ndis.h>
#endif
