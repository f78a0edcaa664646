"""A token cast in one round trip: `voting_token_cast` (voting.services.token_casting).

It reads the facts of the cast with `voting_cast_facts` (migration 0003) and, when every rule is
plainly met (an active user with a confirmed second-factor device, a Group on the roll of which
the user is a confirmed authorised voter, a choice offered on the question, the window open),
makes the canonical JSON of the cast (as `voting.receipts.canonical_json` does: keys in order,
strings escaped by `to_json`, which escapes as Python's json with ensure_ascii off) and appends it
with `voting_append_cast`. Otherwise it appends nothing and returns the facts, from which Python
words the refusal (or appends through the usual path, should it find the cast acceptable).
"""

from django.db import migrations

TOKEN_CAST = r"""
CREATE OR REPLACE FUNCTION voting_token_cast(
    p_ballot bigint,
    p_token text,
    p_entry bigint,
    p_key text,
    p_question bigint,
    p_choice text,
    p_choice_lower text,
    p_reason text,
    p_cast_at text,
    p_category_labels jsonb
) RETURNS TABLE (
    ballot_id bigint,
    reference text,
    status text,
    opens_at timestamptz,
    closes_at timestamptz,
    closed_at timestamptz,
    voided_at timestamptz,
    user_id bigint,
    user_active boolean,
    has_device boolean,
    entry_id bigint,
    entry_ballot_id bigint,
    category text,
    group_key text,
    group_name text,
    authorised boolean,
    options json,
    choice text,
    receipt text,
    seq integer,
    changed boolean,
    log_id bigint
) LANGUAGE plpgsql AS $$
DECLARE
    f record;
    a record;
    v_at timestamptz := p_cast_at::timestamptz;
    v_options jsonb;
    v_choice text;
    v_body text;
BEGIN
    SELECT * INTO f FROM voting_cast_facts(p_ballot, p_token, p_entry, p_key, ARRAY[p_question]);
    v_options := (f.options -> p_question::text)::jsonb;
    -- voting.models.normalise_choice, with the lower case made in Python
    v_choice := CASE
        WHEN v_options IS NULL THEN NULL
        WHEN p_choice_lower = 'reject' THEN 'reject'
        WHEN v_options ? p_choice THEN p_choice
        WHEN p_choice_lower = 'accept' AND jsonb_array_length(v_options) = 1 THEN v_options ->> 0
    END;
    -- Every rule plainly met (a NULL anywhere counts as not met): else no write, the facts back.
    IF (f.user_active AND f.has_device AND f.entry_ballot_id = f.ballot_id AND f.authorised
        AND v_choice IS NOT NULL AND f.voided_at IS NULL AND f.status = 'open'
        AND v_at >= f.opens_at AND v_at < f.closes_at) IS NOT TRUE THEN
        RETURN QUERY SELECT f.ballot_id, f.reference, f.status, f.opens_at, f.closes_at,
            f.closed_at, f.voided_at, f.user_id, f.user_active, f.has_device, f.entry_id,
            f.entry_ballot_id, f.category, f.group_key, f.group_name, f.authorised, f.options,
            NULL::text, NULL::text, NULL::integer, NULL::boolean, NULL::bigint;
        RETURN;
    END IF;
    v_body := '{"answers":[{"choice":' || to_json(v_choice)::text
        || ',"question":' || p_question
        || '}],"ballot":' || f.ballot_id
        || ',"cast_at":' || to_json(p_cast_at)::text
        || ',"cast_by":' || f.user_id
        || ',"category":' || to_json(f.category)::text
        || ',"group":' || to_json(f.group_key)::text
        || ',"reason":' || to_json(p_reason)::text
        || ',"reference":' || to_json(f.reference)::text
        || ',"roll_entry":' || f.entry_id
        || '}';
    SELECT * INTO a FROM voting_append_cast(
        f.ballot_id, f.entry_id, f.user_id, v_at, ARRAY[p_question], ARRAY[v_choice], p_reason,
        v_body,
        left(f.group_name || ' (' || coalesce(p_category_labels ->> f.category, f.category) || ')', 300)
    );
    RETURN QUERY SELECT NULL::bigint, NULL::text, NULL::text, NULL::timestamptz, NULL::timestamptz,
        NULL::timestamptz, NULL::timestamptz, NULL::bigint, NULL::boolean, NULL::boolean,
        NULL::bigint, NULL::bigint, NULL::text, NULL::text, f.group_name, NULL::boolean, NULL::json,
        v_choice, a.receipt, a.seq, a.changed, a.log_id;
END;
$$;
"""

DROP_TOKEN_CAST = (
    "DROP FUNCTION IF EXISTS voting_token_cast("
    "bigint, text, bigint, text, bigint, text, text, text, text, jsonb)"
)


def create_function(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TOKEN_CAST, params=None)


def drop_function(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TOKEN_CAST)


class Migration(migrations.Migration):
    dependencies = [("voting", "0004_cast_indexes")]

    operations = [migrations.RunPython(create_function, drop_function)]
