"""The receipt outbox, and the locked part of a cast as one PostgreSQL function.

`voting_append_cast` does, in one statement (so in one transaction, one round trip), what
`voting.services.casting._append_with_orm` does through the ORM: lock the ballot row, re-check the
window, supersede the Group's live votes, append the hash-chained log entry (sha256 of the previous
hash, the sequence and the canonical JSON made in Python: `voting.receipts.link_hash`), insert the
votes, move the head, write the audit record and owe the receipt. On refusal it returns no receipt
and the locked row's window, from which Python words the refusal.
"""

import django.db.models.deletion
from django.db import migrations, models

APPEND_CAST = r"""
CREATE OR REPLACE FUNCTION voting_append_cast(
    p_ballot bigint,
    p_roll_entry bigint,
    p_user bigint,
    p_at timestamptz,
    p_questions bigint[],
    p_choices text[],
    p_reason text,
    p_body text,
    p_target_label text
) RETURNS TABLE (
    receipt text,
    seq integer,
    changed boolean,
    log_id bigint,
    status text,
    opens_at timestamptz,
    closes_at timestamptz,
    closed_at timestamptz,
    voided_at timestamptz
) LANGUAGE plpgsql AS $$
DECLARE
    b record;
    v_changed boolean;
    v_seq integer;
    v_hash text;
    v_log bigint;
BEGIN
    SELECT x.status, x.opens_at, x.closes_at, x.closed_at, x.voided_at,
           x.chain_length, x.chain_head
      INTO b
      FROM voting_ballot x
     WHERE x.id = p_ballot
       FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no ballot %', p_ballot USING ERRCODE = 'no_data_found';
    END IF;
    IF b.voided_at IS NOT NULL OR b.status <> 'open'
       OR p_at >= b.closes_at OR p_at < b.opens_at THEN
        RETURN QUERY SELECT NULL::text, NULL::integer, NULL::boolean, NULL::bigint,
            b.status::text, b.opens_at, b.closes_at, b.closed_at, b.voided_at;
        RETURN;
    END IF;
    UPDATE voting_vote v
       SET superseded_at = p_at
     WHERE v.roll_entry_id = p_roll_entry
       AND v.question_id = ANY (p_questions)
       AND v.superseded_at IS NULL;
    v_changed := FOUND;
    v_seq := b.chain_length + 1;
    v_hash := encode(
        sha256(convert_to(b.chain_head || E'\n' || v_seq::text || E'\n' || p_body, 'UTF8')),
        'hex'
    );
    INSERT INTO voting_votelogentry
        (ballot_id, sequence, previous_hash, entry_hash, payload, recorded_at)
    VALUES (p_ballot, v_seq, b.chain_head, v_hash, p_body::jsonb, p_at)
    RETURNING id INTO v_log;
    INSERT INTO voting_vote
        (ballot_id, question_id, roll_entry_id, choice, reason, cast_by_id, cast_at,
         superseded_at, log_entry_id)
    SELECT p_ballot, a.q, p_roll_entry, a.c, p_reason, p_user, p_at, NULL, v_log
      FROM unnest(p_questions, p_choices) AS a(q, c);
    UPDATE voting_ballot x SET chain_length = v_seq, chain_head = v_hash WHERE x.id = p_ballot;
    -- Who cast for which Group, never the choice (secret until 13.4).
    INSERT INTO panel_auditrecord (at, actor_id, action, target_type, target_id, target_label, data)
    VALUES (
        clock_timestamp(),
        p_user,
        CASE WHEN v_changed THEN 'vote.change' ELSE 'vote.cast' END,
        'voting.RollEntry',
        p_roll_entry::text,
        p_target_label,
        jsonb_build_object('ballot', p_ballot, 'receipt', v_hash, 'questions', to_jsonb(p_questions))
    );
    INSERT INTO voting_pendingreceipt (log_entry_id) VALUES (v_log);
    RETURN QUERY SELECT v_hash, v_seq, v_changed, v_log,
        NULL::text, NULL::timestamptz, NULL::timestamptz, NULL::timestamptz, NULL::timestamptz;
END;
$$;
"""

DROP_APPEND_CAST = (
    "DROP FUNCTION IF EXISTS voting_append_cast("
    "bigint, bigint, bigint, timestamptz, bigint[], text[], text, text, text)"
)


def create_function(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_CAST, params=None)


def drop_function(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_APPEND_CAST)


class Migration(migrations.Migration):
    dependencies = [
        ("panel", "0001_initial"),
        ("voting", "0002_election_nomination_electionround_electionresult_and_more"),
    ]

    operations = [
        migrations.CreateModel(
            name="PendingReceipt",
            fields=[
                (
                    "log_entry",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="pending_receipt",
                        serialize=False,
                        to="voting.votelogentry",
                    ),
                ),
            ],
        ),
        migrations.RunPython(create_function, drop_function),
    ]
