/*
 * rfm_row.c
 *	  Reading rfm() results back: recency, frequency and monetary of an rfm
 *	  or rfm_float8 row, as the scoring functions (scoring.c,
 *	  scoring_agg.c) and the breakpoints (breaks.c) see a customer.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "rfm.h"
#include "utils/typcache.h"

static void
not_rfm_row(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATATYPE_MISMATCH),
			 errmsg("expected an rfm or rfm_float8 row"),
			 errhint("Pass the result of the rfm() aggregate.")));
}

/*
 * The row as a HeapTupleHeader.  Rows read from tuplestores and tables
 * often carry a 1-byte varlena header: copy those into rd's reusable
 * buffer rather than palloc a detoasted copy per row.
 */
static HeapTupleHeader
row_header(RfmReader *rd, MemoryContext mcxt, Datum row)
{
	struct varlena *p = (struct varlena *) DatumGetPointer(row);

	if (VARATT_IS_SHORT(p))
	{
		Size		len = VARSIZE_SHORT(p) - VARHDRSZ_SHORT;

		if (rd->bufsize < len + VARHDRSZ)
		{
			if (rd->buf)
				pfree(rd->buf);
			rd->bufsize = Max(len + VARHDRSZ, 256);
			rd->buf = MemoryContextAlloc(mcxt, rd->bufsize);
		}
		SET_VARSIZE(rd->buf, len + VARHDRSZ);
		memcpy(VARDATA(rd->buf), VARDATA_SHORT(p), len);
		return (HeapTupleHeader) rd->buf;
	}
	return DatumGetHeapTupleHeader(row);
}

void
rfm_values_read(RfmReader *rd, MemoryContext mcxt, Datum row, RfmValues *v)
{
	HeapTupleHeader th = row_header(rd, mcxt, row);
	Oid			typid = HeapTupleHeaderGetTypeId(th);
	int32		typmod = HeapTupleHeaderGetTypMod(th);
	HeapTupleData tuple;
	bool		isnull;
	Datum		d;

	if (rd->tupdesc == NULL || rd->typid != typid || rd->typmod != typmod)
	{
		TupleDesc	td = lookup_rowtype_tupdesc(typid, typmod);
		MemoryContext old;
		Oid			montype = td->natts > RFM_ATT_MONETARY ?
			TupleDescAttr(td, RFM_ATT_MONETARY)->atttypid : InvalidOid;

		if (td->natts <= RFM_ATT_MONETARY ||
			TupleDescAttr(td, RFM_ATT_RECENCY)->atttypid != FLOAT8OID ||
			TupleDescAttr(td, RFM_ATT_FREQUENCY)->atttypid != INT8OID ||
			(montype != NUMERICOID && montype != FLOAT8OID))
		{
			ReleaseTupleDesc(td);
			not_rfm_row();
		}
		old = MemoryContextSwitchTo(mcxt);
		if (rd->tupdesc)
			FreeTupleDesc(rd->tupdesc);
		rd->tupdesc = CreateTupleDescCopy(td);
		MemoryContextSwitchTo(old);
		ReleaseTupleDesc(td);
		rd->typid = typid;
		rd->typmod = typmod;
		rd->kind = montype == NUMERICOID ? RFM_NUMERIC : RFM_FLOAT8;
	}

	tuple.t_len = HeapTupleHeaderGetDatumLength(th);
	ItemPointerSetInvalid(&tuple.t_self);
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = th;

	memset(v, 0, sizeof(*v));
	v->kind = rd->kind;
	d = heap_getattr(&tuple, RFM_ATT_FREQUENCY + 1, rd->tupdesc, &isnull);
	if (isnull || DatumGetInt64(d) <= 0)
		return;					/* not in the population */
	v->frequency = DatumGetInt64(d);
	d = heap_getattr(&tuple, RFM_ATT_RECENCY + 1, rd->tupdesc, &isnull);
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("recency must not be null for a customer with purchases")));
	v->recency = DatumGetFloat8(d);
	if (isnan(v->recency) || isinf(v->recency))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("recency must be finite")));
	v->monetary = heap_getattr(&tuple, RFM_ATT_MONETARY + 1, rd->tupdesc, &isnull);
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("monetary must not be null for a customer with purchases")));
	if (v->kind == RFM_FLOAT8)
		memval_check_amount_float8(DatumGetFloat8(v->monetary));
	else
		(void) amount_sign_datum(v->monetary);
	v->buyer = true;
}
