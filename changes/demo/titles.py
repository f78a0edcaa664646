"""The demo proposals: a title, the state it is walked to, and its theme."""

from __future__ import annotations

from ..states import State

TITLES: list[tuple[str, State, str]] = [
    ("Cost-reflective residual charging for EV charge points", State.DRAFT, "charging"),
    ("Smart meter installation data to be shared with DNOs", State.SUBMITTED, "smart"),
    (
        "Clarify the definition of Metering Point in Schedule 2A",
        State.REFUSED_INCOMPLETE,
        "drafting",
    ),
    ("Supplier of Last Resort: recovery of DUoS bad debt", State.WITH_PANEL, "solr"),
    ("Introduce a new capacity charge for data centres", State.REFUSED, "charging"),
    ("Standardise connection offers for heat pumps", State.REFERRED_TO_AUTHORITY, "ev"),
    ("EV connection boundary for domestic chargepoints", State.DEFINITION, "ev"),
    ("Smart export guarantee settlement data flows", State.DEFINITION, "smart"),
    (
        "Supplier of Last Resort: transfer of customer data to the new Supplier",
        State.REPORT_PHASE,
        "solr",
    ),
    ("Half-hourly settlement: DUoS billing alignment", State.REPORT_ISSUED, "charging"),
    ("Flexibility services: visibility of DNO dispatch", State.REPORT_ISSUED, "smart"),
    ("Update references to the Retail Energy Code", State.AWAITING_VOTE, "drafting"),
    ("Curtailable connections: charging for non-firm access", State.VOTING, "ev"),
    (
        "Annual review of the Common Distribution Charging Methodology inputs",
        State.DATE_REASSESSMENT,
        "charging",
    ),
    ("Ofgem direction: access SCR consequential changes", State.AWAITING_AUTHORITY, "authority"),
    ("Faster disconnection notices for vacant premises", State.ACCEPTED_APPEAL_WINDOW, "solr"),
    ("Remove the paper invoice requirement", State.REJECTED_APPEAL_WINDOW, "drafting"),
    ("Smart meter exception reporting to Suppliers", State.UNDER_APPEAL, "smart"),
    ("EV charge point register shared with DNOs", State.APPROVED, "ev"),
    ("Embedded capacity register publication", State.IMPLEMENTING, "smart"),
    ("Correct typographical errors in Schedule 16", State.IMPLEMENTED, "drafting"),
    ("Socialise SoLR levy through fixed charges", State.REJECTED, "solr"),
    ("Independent review of the Panel's voting thresholds", State.SCR_SUSPENDED, "charging"),
    ("Metering point administration fees", State.WITHDRAWN, "charging"),
    ("Voltage unbalance charges for EV hubs", State.LEFT_PROCESS, "ev"),
    ("Treatment of storage in the demand residual", State.DEFINITION, "charging"),
    ("Smart meter rollout: access to premises obligations", State.REPORT_PHASE, "smart"),
    ("Supplier of Last Resort: credit cover returns", State.IMPLEMENTED, "solr"),
    ("Consumer vulnerability data sharing", State.WITH_PANEL, "smart"),
    ("Long-term development statement timing", State.REJECTED, "drafting"),
]
