"""Facts a user reads and limits the code keeps, in one place.

Read from the environment once per process; the defaults are those of one machine. Every
sentence that names the advisor, the retention period or a response time takes it from
here (through mkbscan.wording), so the consent text says what the system does.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

MAX_CHARACTERS = 1000  # longest message read; config.yml's MessageGuard is checked against it
TIME_ZONE = ZoneInfo("Europe/Amsterdam")  # the advisor's and the visitors' calendar and clock


@dataclass(frozen=True)
class Settings:
    advisor_name: str = "Marco Rog"
    advisor_email: str = "marco@circularclarity.org"
    organisation: str = "Circular Clarity"
    retention_days: int = 365
    reply_workdays: int = 2  # the advisor answers a lead within this many working days
    site_url: str = "http://localhost:8080"  # where visitors reach the site (report links)
    invite_days: int = 30  # a partner's invitation code is valid this long

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        default = cls()

        def text(name: str, fallback: str) -> str:
            return (env.get(name) or "").strip() or fallback

        def number(name: str, fallback: int) -> int:
            raw = (env.get(name) or "").strip()
            value = int(raw) if raw else fallback
            if value < 1:
                raise ValueError(f"{name} must be at least 1, not {value}")
            return value

        return cls(advisor_name=text("ADVISOR_NAME", default.advisor_name),
                   advisor_email=text("ADVISOR_EMAIL", default.advisor_email),
                   organisation=text("ORGANISATION_NAME", default.organisation),
                   retention_days=number("RETENTION_DAYS", default.retention_days),
                   reply_workdays=number("ADVISOR_REPLY_WORKDAYS", default.reply_workdays),
                   site_url=text("SITE_URL", default.site_url).rstrip("/"),
                   invite_days=number("INVITE_DAYS", default.invite_days))

    def report_url(self, token: str) -> str:
        return f"{self.site_url}/rapport/{token}"

    def invite_url(self, code: str) -> str:
        """The site with the code after the #: the widget reads it; no server sees it."""
        return f"{self.site_url}/#code={code}"

    @property
    def advisor_first_name(self) -> str:
        return self.advisor_name.split()[0]


@lru_cache(maxsize=1)
def settings() -> Settings:
    return Settings.from_env()
