// SPDX-License-Identifier: GPL-2.0
/*
 * What the core calls outside its own files, for the in-kernel API the
 * replay drives: no ledger (arenas of other modules charge nothing) and
 * lock statistics that are never switched on.
 */
#include "arena_core.h"

DEFINE_STATIC_KEY_FALSE(arena_lockstat_on);

void arena_lockstat_record(struct arena *a)
{
	(void)a;
}

int arena_ledger_charge(struct arena_ledger *l, size_t bytes)
{
	(void)l;
	(void)bytes;
	return 0;
}

void arena_ledger_uncharge(struct arena_ledger *l, size_t bytes)
{
	(void)l;
	(void)bytes;
}
