"""Writing many existing rows at once, for importers."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, router, transaction
from django.db.models import Model


def update_rows(objs: Sequence[Model], field_names: Sequence[str]) -> int:
    """Write the named fields of each saved object to its row; return how many objects were written.

    What `QuerySet.bulk_update` does, as one prepared `UPDATE … WHERE pk = %s` run for every object
    (executemany). bulk_update builds a CASE over the batch for each field, and compiling it grows with
    the batch: updating London's 4,835 LSOA boundaries took 39 s that way, under a second this way. Like
    bulk_update, it sends no signals and does not call `save()`.
    """
    if not objs:
        return 0
    model = type(objs[0])
    meta = model._meta
    fields = [meta.get_field(name) for name in field_names]
    if any(not f.concrete or f.primary_key or f.many_to_many for f in fields):
        raise ValueError(f"update_rows writes concrete columns other than the key, not {', '.join(field_names)}")
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    sql = (
        f"UPDATE {quote(meta.db_table)} SET "
        + ", ".join(f"{quote(f.column)} = %s" for f in fields)
        + f" WHERE {quote(meta.pk.column)} = %s"
    )
    rows = [[*(f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields), obj.pk] for obj in objs]
    with transaction.atomic(using=connection.alias, savepoint=False), connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    return len(rows)
