/*
 * memval.c
 *	  Module entry point of the memval extension.
 *
 * Each model lives in its own file; see memval.h for what they share.
 */
#include "postgres.h"

#include "fmgr.h"

PG_MODULE_MAGIC;
