"""The receipt cursor, and a cast as two PostgreSQL functions (each planned once per connection).

`voting_cast_facts` reads, in one query, everything the rules of a cast check (voting.cast_facts).

`voting_append_cast` does, in one statement (so in one transaction, one round trip), what
`voting.services.casting._append_with_orm` does through the ORM: supersede the Group's live votes,
insert the new ones and the audit record, then lock the ballot row, re-check the window, append the
hash-chained log entry (sha256 of the previous hash, the sequence and the canonical JSON made in
Python: `voting.receipts.link_hash`) and move the head; the receipt is owed from then on
(voting.models.ReceiptCursor). The ballot's lock is taken last, so it is held only for the link.
A refusal raises SQLSTATE VT001, which undoes the call; Python words the refusal from the ballot.
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
    log_id bigint
) LANGUAGE plpgsql AS $$
DECLARE
    b record;
    v_changed boolean;
    v_seq integer;
    v_hash text;
    v_log bigint;
BEGIN
    -- 1. The Group's own part, before the ballot's lock (casts for other Groups go on meanwhile):
    --    its casts queue on its roll entry row, supersede its live votes and insert the new ones
    --    under a log entry id taken now (the foreign key is checked at commit).
    PERFORM 1 FROM voting_rollentry e WHERE e.id = p_roll_entry FOR NO KEY UPDATE;
    UPDATE voting_vote v
       SET superseded_at = p_at
     WHERE v.roll_entry_id = p_roll_entry
       AND v.question_id = ANY (p_questions)
       AND v.superseded_at IS NULL;
    v_changed := FOUND;
    v_log := nextval(pg_get_serial_sequence('voting_votelogentry', 'id'));
    INSERT INTO voting_vote
        (ballot_id, question_id, roll_entry_id, choice, reason, cast_by_id, cast_at,
         superseded_at, log_entry_id)
    SELECT p_ballot, a.q, p_roll_entry, a.c, p_reason, p_user, p_at, NULL, v_log
      FROM unnest(p_questions, p_choices) AS a(q, c);
    -- Who cast for which Group, never the choice (secret until 13.4).
    INSERT INTO panel_auditrecord (at, actor_id, action, target_type, target_id, target_label, data)
    VALUES (
        clock_timestamp(),
        p_user,
        CASE WHEN v_changed THEN 'vote.change' ELSE 'vote.cast' END,
        'voting.RollEntry',
        p_roll_entry::text,
        p_target_label,
        jsonb_build_object('ballot', p_ballot, 'log_entry', v_log, 'questions', to_jsonb(p_questions))
    );
    -- 2. The ballot's lock, held until commit: the window again, then the next link of the chain.
    SELECT x.status, x.opens_at, x.closes_at, x.voided_at, x.chain_length, x.chain_head
      INTO b
      FROM voting_ballot x
     WHERE x.id = p_ballot
       FOR NO KEY UPDATE;
    IF NOT FOUND OR b.voided_at IS NOT NULL OR b.status <> 'open'
       OR p_at >= b.closes_at OR p_at < b.opens_at THEN
        -- undoes everything above; the caller words the refusal from the ballot
        RAISE EXCEPTION 'ballot % is not accepting votes', p_ballot USING ERRCODE = 'VT001';
    END IF;
    v_seq := b.chain_length + 1;
    v_hash := encode(
        sha256(convert_to(b.chain_head || E'\n' || v_seq::text || E'\n' || p_body, 'UTF8')),
        'hex'
    );
    INSERT INTO voting_votelogentry
        (id, ballot_id, sequence, previous_hash, entry_hash, payload, recorded_at)
    VALUES (v_log, p_ballot, v_seq, b.chain_head, v_hash, p_body::jsonb, p_at);
    UPDATE voting_ballot x SET chain_length = v_seq, chain_head = v_hash WHERE x.id = p_ballot;
    RETURN QUERY SELECT v_hash, v_seq, v_changed, v_log;
END;
$$;
"""

CAST_FACTS = r"""
CREATE OR REPLACE FUNCTION voting_cast_facts(
    p_ballot bigint, p_token text, p_entry bigint, p_key text, p_questions bigint[]
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
    options json
) LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT b.id::bigint, b.reference::text, b.status::text, b.opens_at, b.closes_at,
           b.closed_at, b.voided_at,
           u.id::bigint, u.is_active,
           EXISTS (SELECT 1 FROM otp_totp_totpdevice d WHERE d.user_id = u.id AND d.confirmed),
           r.id::bigint, r.ballot_id::bigint, r.category::text, r.group_key::text,
           r.group_name::text,
           -- a confirmed authorised voter of a member Party of the Group (12.4.5)
           EXISTS (SELECT 1 FROM voting_rollmember m
                     JOIN panel_partyrepresentative p ON p.party_id = m.party_id
                    WHERE m.roll_entry_id = r.id AND p.user_id = u.id
                      AND p.authorised_voter AND p.confirmed_at IS NOT NULL),
           (SELECT json_object_agg(q.id, q.options) FROM voting_question q
             WHERE q.ballot_id = b.id AND q.id = ANY (p_questions))
      FROM (SELECT 1) AS one
      LEFT JOIN voting_ballot b ON b.id = p_ballot
      LEFT JOIN authtoken_token k ON k.key = p_token
      LEFT JOIN panel_user u ON u.id = k.user_id
      -- the Group by roll entry id, or else by Group key (two branches: each uses an index)
      LEFT JOIN LATERAL (
            (SELECT e.id, e.ballot_id, e.category, e.group_key, e.group_name
               FROM voting_rollentry e
              WHERE e.id = p_entry AND e.ballot_id = b.id)
            UNION ALL
            (SELECT e.id, e.ballot_id, e.category, e.group_key, e.group_name
               FROM voting_rollentry e
              WHERE p_entry IS NULL AND e.ballot_id = b.id AND e.group_key = p_key
              ORDER BY e.id
              LIMIT 1)
            LIMIT 1) r ON TRUE;
END;
$$;
"""

DROP_CAST_FACTS = (
    "DROP FUNCTION IF EXISTS voting_cast_facts(bigint, text, bigint, text, bigint[])"
)

DROP_APPEND_CAST = (
    "DROP FUNCTION IF EXISTS voting_append_cast("
    "bigint, bigint, bigint, timestamptz, bigint[], text[], text, text, text)"
)


def create_function(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CAST_FACTS, params=None)
        schema_editor.execute(APPEND_CAST, params=None)


def drop_function(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_APPEND_CAST)
        schema_editor.execute(DROP_CAST_FACTS)


class Migration(migrations.Migration):
    dependencies = [
        ("panel", "0001_initial"),
        ("voting", "0002_election_nomination_electionround_electionresult_and_more"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReceiptCursor",
            fields=[
                (
                    "ballot",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="receipt_cursor",
                        serialize=False,
                        to="voting.ballot",
                    ),
                ),
                ("sent_through", models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(create_function, drop_function),
    ]
