"""The advisor's desk under /advisor/ on the site's server (Starlette routes; docs/advisor.md).

Every page needs a session: without one a page answers a redirect to the log-in and the
export 401, never data. Every change is a POST with the session's CSRF token, from this
site (Origin checked); the log-in itself is a POST from this site. Leads are found by their
random public id (a UUID), never by a counter. Each view, export and erasure is written to
the audit log, and so is each change of status and each e-mail sent again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from mkbscan.advisor import insights_view, lead_filters
from mkbscan.advisor.lead_view import lead_view
from mkbscan.leads import advisors as accounts
from mkbscan.leads import insights, journeys, lead_notes
from mkbscan.leads.advisors import Session
from mkbscan.leads.export import leads_csv
from mkbscan.leads.models import LeadRecord
from mkbscan.leads.pair_part import with_pair
from mkbscan.leads.schema import LEAD_STATUSES
from mkbscan.leads.store import LeadStore
from mkbscan.settings import TIME_ZONE, settings
from mkbscan.wording import say, templates

PREFIX = "/advisor"
COOKIE = "mkbscan_advisor"
TEMPLATES = Path(__file__).resolve().parent / "templates"
Page = Callable[[Request, Session], Awaitable[Response]]
QUICK_WEEKS = (4, 12, 52)  # the insights' periods a tap away


def local_time(moment: datetime) -> str:
    return moment.astimezone(TIME_ZONE).strftime("%d-%m-%Y %H:%M")


class Desk:
    """The routes, bound to a store and a way to version the site's assets."""

    def __init__(self, store: Callable[[], LeadStore], asset: Callable[[str], str],
                 purge: Callable[[str], object]) -> None:
        self.store = store
        self.asset = asset
        self.purge = purge  # the conversation in Rasa's tracker store
        self.templates = Environment(loader=FileSystemLoader(TEMPLATES),
                                     autoescape=select_autoescape())
        self.templates.filters["local"] = local_time

    # --- helpers ---------------------------------------------------------------------------

    def render(self, name: str, code: int = 200, **values: Any) -> Response:
        body = self.templates.get_template(name).render(
            t=templates("desk_"), asset=self.asset, organisation=settings().organisation, **values)
        return Response(body, status_code=code, media_type="text/html; charset=utf-8",
                        headers={"Cache-Control": "no-store"})

    async def call(self, function: Callable[..., Any], *args: Any) -> Any:
        """A blocking store call, off the event loop."""
        return await run_in_threadpool(function, self.store(), *args)

    async def session(self, request: Request) -> Session | None:
        return await self.call(accounts.session_of, request.cookies.get(COOKIE))

    @staticmethod
    def same_site(request: Request) -> bool:
        """A form posted from this site. Browsers say so in Sec-Fetch-Site; without it, the
        Origin must name this host. (With the site's Referrer-Policy no-referrer a browser
        sends `Origin: null` on a form post, so Sec-Fetch-Site comes first.)"""
        fetch_site = request.headers.get("sec-fetch-site")
        if fetch_site is not None:
            return fetch_site == "same-origin"
        origin = request.headers.get("origin") or ""
        return urlsplit(origin).netloc == request.headers.get("host", "")

    def page(self, handler: Page) -> Callable[[Request], Awaitable[Response]]:
        async def guarded(request: Request) -> Response:
            session = await self.session(request)
            if session is None:
                return RedirectResponse(f"{PREFIX}/login", status_code=303)
            return await handler(request, session)
        return guarded

    def change(self, handler: Page) -> Callable[[Request], Awaitable[Response]]:
        async def guarded(request: Request) -> Response:
            session = await self.session(request)
            if session is None:
                return self.render("message.html", 401, message=say("desk_no_session"))
            form = await request.form()
            token = form.get("csrf")
            if not self.same_site(request) or not accounts.csrf_ok(
                    session, token if isinstance(token, str) else None):
                return self.render("message.html", 403, message=say("desk_csrf"))
            request.state.form = form
            return await handler(request, session)
        return guarded

    async def lead_or_404(self, public_id: str) -> LeadRecord | None:
        return await self.call(LeadStore.get_lead, public_id)

    # --- routes ----------------------------------------------------------------------------

    async def login_form(self, request: Request) -> Response:
        return self.render("login.html")

    async def login(self, request: Request) -> Response:
        if not self.same_site(request):
            return self.render("message.html", 403, message=say("desk_csrf"))
        form = await request.form()
        email, password = str(form.get("email") or ""), str(form.get("password") or "")
        if await self.call(accounts.throttled, email):
            return self.render("login.html", 429, error=say("desk_throttled"), email=email)
        started = await self.call(accounts.log_in, email, password)
        if started is None:
            return self.render("login.html", 401, error=say("desk_login_failed"), email=email)
        token, _ = started
        response = RedirectResponse(f"{PREFIX}/leads", status_code=303)
        response.set_cookie(COOKIE, token, max_age=int(accounts.SESSION_LIFETIME.total_seconds()),
                            path=PREFIX, httponly=True, samesite="strict",
                            secure=request.url.scheme == "https")
        return response

    async def logout(self, request: Request, session: Session) -> Response:
        await self.call(accounts.log_out, request.cookies.get(COOKIE, ""))
        response = RedirectResponse(f"{PREFIX}/login", status_code=303)
        response.delete_cookie(COOKIE, path=PREFIX)
        return response

    async def leads(self, request: Request, session: Session) -> Response:
        query = request.query_params.get("q", "").strip()
        status = request.query_params.get("status") or None
        found = await self.call(LeadStore.list_leads, status)
        if query:
            needle = query.lower()
            found = [lead for lead in found if any(
                needle in (value or "").lower() for value in (lead.name, lead.company, lead.email))]
        chosen = {name: request.query_params.get(name, "") for name in ("band", "sector", "size")}
        found = [lead for lead in found if lead_filters.matches(lead, **chosen)]
        return self.render("leads.html", leads=found, q=query, status=status or "",
                           statuses=LEAD_STATUSES, choices=lead_filters.choices(),
                           chosen=chosen, session=session)

    async def lead(self, request: Request, session: Session) -> Response:
        lead = await self.lead_or_404(request.path_params["public_id"])
        if lead is None:
            return self.render("message.html", 404, message=say("desk_not_found"))
        await self.call(accounts.audit, session.advisor_id, "viewed", lead.public_id)
        lead = await self.call(with_pair, lead)
        notes = await self.call(lead_notes.notes_of, lead.public_id)
        return self.render("lead.html", lead=lead, view=lead_view(lead), session=session,
                           notes=notes, statuses=LEAD_STATUSES)

    async def set_status(self, request: Request, session: Session) -> Response:
        public_id = request.path_params["public_id"]
        form = request.state.form
        try:
            changed = await self.call(
                lead_notes.set_status, public_id, session.advisor_id,
                str(form.get("status") or ""), str(form.get("note") or ""),
                str(form.get("on_date") or ""))
        except ValueError:  # an unknown status or a date that is none
            return self.render("message.html", 400, message=say("desk_bad_input"))
        if not changed:
            return self.render("message.html", 404, message=say("desk_not_found"))
        await self.call(accounts.audit, session.advisor_id, "changed", public_id)
        return RedirectResponse(f"{PREFIX}/leads/{public_id}", status_code=303)

    async def resend(self, request: Request, session: Session) -> Response:
        public_id = request.path_params["public_id"]
        if not await self.call(LeadStore.reset_for_resend, public_id):
            return self.render("message.html", 404, message=say("desk_not_found"))
        await self.call(accounts.audit, session.advisor_id, "resent", public_id)
        return self.render("message.html", message=say("desk_resent"), session=session)

    async def export(self, request: Request) -> Response:
        session = await self.session(request)
        if session is None:
            return Response(say("desk_no_session"), status_code=401,
                            media_type="text/plain; charset=utf-8")
        found = await self.call(LeadStore.list_leads, None)
        await self.call(accounts.audit, session.advisor_id, "exported", None)
        return Response(leads_csv(found), media_type="text/csv; charset=utf-8", headers={
            "Cache-Control": "no-store",
            "Content-Disposition": f'attachment; filename="{say("desk_export_name")}"'})

    async def erase_form(self, request: Request, session: Session) -> Response:
        lead = await self.lead_or_404(request.path_params["public_id"])
        if lead is None:
            return self.render("message.html", 404, message=say("desk_not_found"))
        return self.render("erase.html", lead=lead, session=session)

    async def erase(self, request: Request, session: Session) -> Response:
        lead = await self.lead_or_404(request.path_params["public_id"])
        if lead is None:
            return self.render("message.html", 404, message=say("desk_not_found"))
        await self.call(LeadStore.erase_by_conversation, lead.conversation_id)
        await run_in_threadpool(self.purge, lead.conversation_id)
        await self.call(accounts.audit, session.advisor_id, "erased", lead.public_id)
        return RedirectResponse(f"{PREFIX}/leads", status_code=303)

    async def insights(self, request: Request, session: Session) -> Response:
        now = datetime.now(timezone.utc)
        today = now.astimezone(TIME_ZONE).date()
        period, error = insights_view.period_from(request.query_params, today)
        found = insights.insights(await self.call(journeys.journeys, *period.bounds()), period,
                                  now)
        quick = [{"weeks": weeks, "first": today - timedelta(weeks=weeks) + timedelta(days=1),
                  "last": today} for weeks in QUICK_WEEKS]
        return self.render("insights.html", period=period, error=error, quick=quick,
                           figures=insights_view.insights_view(found),
                           opened=found.funnel[0].count, session=session)

    async def home(self, request: Request, session: Session) -> Response:
        return RedirectResponse(f"{PREFIX}/leads", status_code=303)

    def routes(self) -> list[Route]:
        return [
            Route(f"{PREFIX}/", self.page(self.home)),
            Route(f"{PREFIX}/login", self.login_form, methods=["GET"]),
            Route(f"{PREFIX}/login", self.login, methods=["POST"]),
            Route(f"{PREFIX}/logout", self.change(self.logout), methods=["POST"]),
            Route(f"{PREFIX}/leads", self.page(self.leads), methods=["GET"]),
            Route(f"{PREFIX}/leads.csv", self.export, methods=["GET"]),
            Route(f"{PREFIX}/inzicht", self.page(self.insights), methods=["GET"]),
            Route(f"{PREFIX}/leads/{{public_id}}", self.page(self.lead), methods=["GET"]),
            Route(f"{PREFIX}/leads/{{public_id}}/status", self.change(self.set_status),
                  methods=["POST"]),
            Route(f"{PREFIX}/leads/{{public_id}}/opnieuw", self.change(self.resend),
                  methods=["POST"]),
            Route(f"{PREFIX}/leads/{{public_id}}/wissen", self.page(self.erase_form),
                  methods=["GET"]),
            Route(f"{PREFIX}/leads/{{public_id}}/wissen", self.change(self.erase),
                  methods=["POST"]),
        ]
