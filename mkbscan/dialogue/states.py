"""What the bot is waiting for: the open state of a conversation (the `awaiting` slot)."""

from __future__ import annotations

from enum import Enum


class Awaiting(str, Enum):
    SCAN_OFFER = "scan_offer"  # "Zullen we de scan starten?"
    SCAN_QUESTION = "scan_question"  # a context or scale question of the scan
    ANSWER_CHECK = "answer_check"  # a typed answer that could be read two ways: which one?
    RESTART_CONFIRM = "restart_confirm"
    FOLLOWUP_OFFER = "followup_offer"  # a conversation with the advisor, after the result
    LEAD_CONSENT = "lead_consent"
    LEAD_FIELD = "lead_field"  # a contact detail
    LEAD_CONFIRM = "lead_confirm"  # the summary of the details: send?
    ERASE_CONFIRM = "erase_confirm"
    REPORT_MAIL_CONSENT = "report_mail_consent"  # may the report's link go to your e-mail?
    REPORT_MAIL_ADDRESS = "report_mail_address"
    INVITE_CONSENT = "invite_consent"  # may your answers be kept with a code for your partner?

    @classmethod
    def of(cls, value: object) -> Awaiting | None:
        """The state from a slot value (None, or an unknown value from an older version)."""
        try:
            return cls(value) if value else None
        except ValueError:
            return None


# The yes/no questions: a plain yes or no answers them.
YES_NO = frozenset({Awaiting.SCAN_OFFER, Awaiting.RESTART_CONFIRM, Awaiting.FOLLOWUP_OFFER,
                    Awaiting.LEAD_CONSENT, Awaiting.LEAD_CONFIRM, Awaiting.ERASE_CONFIRM,
                    Awaiting.REPORT_MAIL_CONSENT, Awaiting.INVITE_CONSENT})
