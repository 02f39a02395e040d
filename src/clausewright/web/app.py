"""The web interview's routes: a Starlette application over one ``Interview``.

Pages are rendered on the server (Jinja templates, autoescaped); htmx, served from this package,
posts a page's answers as they are typed and swaps in only the questions whose state changed
(shown or hidden by a condition, a default that followed an answer, a message). Every page works
without it, by plain form posts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from clausewright import findings as finding_list
from clausewright import pipeline
from clausewright.errors import ClausewrightError, InputError, Problem
from clausewright.findings import FindingsError
from clausewright.inputs.deal import flatten, read_deal_text
from clausewright.interview.answers import display
from clausewright.interview.questions import question
from clausewright.qa import explain
from clausewright.qa.drafting import plain_text, plain_text_of
from clausewright.qa.review import review as run_checks
from clausewright.web import fields, outputs, pages
from clausewright.web.security import CSRF_FIELD, CSRF_HEADER, Forbidden, Guard, Keys, check_csrf
from clausewright.web.state import Download, Interview

PACKAGE = Path(__file__).resolve().parent
STATIC = {"htmx.min.js": "text/javascript", "style.css": "text/css", "print.css": "text/css"}
UPLOAD_FIELD = "file"


def create_app(sources: pipeline.Sources, session_file: Path, keys: Keys) -> Starlette:
    """The application for one interview, autosaved in ``session_file``, guarded by ``keys``."""
    interview = Interview.open(sources, session_file)
    views = _Views(interview, keys)
    routes = [
        Route("/", views.start),
        Route("/start", views.begin, methods=["POST"]),
        Route("/new", views.new, methods=["POST"]),
        Route("/s/{section}", views.section, methods=["GET", "POST"]),
        Route("/s/{section}/update", views.update, methods=["POST"]),
        Route("/review", views.review),
        Route("/preview", views.preview),
        Route("/generate", views.generate, methods=["GET", "POST"]),
        Route("/download/{key}", views.download),
        Route("/answers.yaml", views.answers_download),
        Route("/answers", views.upload, methods=["POST"]),
        Route("/static/{name}", views.static),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(Guard, keys=keys)], exception_handlers={Forbidden: _forbidden})
    app.state.interview = interview
    return app


async def _forbidden(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Forbidden)
    return PlainTextResponse(exc.message + "\n", status_code=exc.status)


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(PACKAGE / "templates"), autoescape=select_autoescape(default=True), trim_blocks=True, lstrip_blocks=True)
    env.filters["plain"] = plain_text
    env.filters["plain_of"] = plain_text_of
    return env


class _Views:
    def __init__(self, interview: Interview, keys: Keys):
        self.interview = interview
        self.keys = keys
        self.env = _environment()

    @property
    def answers(self):
        return self.interview.answers

    # --- helpers ------------------------------------------------------------------------------

    def render(self, request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        session = request.scope["state"]["session"]
        with self.interview.lock:
            notices, self.interview.notices = self.interview.notices, []
            context.setdefault("nav", pages.sections(self.answers))
        html = self.env.get_template(template).render(
            csrf=self.keys.csrf(session), csrf_field=CSRF_FIELD, notices=notices, library=self.interview.sources.library,
            first=pages.first_questions(self.answers), **context,
        )
        return HTMLResponse(html, status_code=status)

    async def form(self, request: Request) -> FormData:
        """The posted form, once its CSRF token is checked."""
        form = await request.form(max_files=1, max_fields=5000, max_part_size=1024 * 1024)
        value = form.get(CSRF_FIELD)
        check_csrf(self.keys, request.scope["state"].get("session"), value if isinstance(value, str) else None, request.headers.get(CSRF_HEADER))
        return form

    def _section(self, section_id: str):
        section = next((s for s in self.answers.schema.sections if s.id == section_id), None)
        if section is None:
            raise HTTPException(404, f"no section {section_id!r}")
        return section

    # --- pages --------------------------------------------------------------------------------

    async def start(self, request: Request) -> Response:
        with self.interview.lock:
            first = [fields.build(self.answers, pid, library=self.interview.sources.library) for pid in pages.first_questions(self.answers)]
            begun = bool(self.answers.given)
        return self.render(request, "start.html", fields=first, begun=begun, max_upload=_kb(UPLOAD_LIMIT))

    async def begin(self, request: Request) -> Response:
        form = await self.form(request)
        with self.interview.lock:
            fields.apply(self.answers, form, pages.first_questions(self.answers))
            self.interview.save()
            nav = pages.sections(self.answers)
        return _see(f"/s/{nav[0].id}" if nav else "/review")

    async def new(self, request: Request) -> Response:
        await self.form(request)
        with self.interview.lock:
            self.interview.restart({})
            self.interview.notices.append("Started a new agreement: every answer was cleared.")
        return _see("/")

    async def section(self, request: Request) -> Response:
        section = self._section(request.path_params["section"])
        from_review = request.query_params.get("from") == "review"
        if request.method == "POST":
            return await self._save_section(request, section, from_review)
        with self.interview.lock:
            if from_review:
                self.interview.edit_base = (self.answers.values(), dict(self.answers.given))
            return self._section_page(request, section, from_review)

    def _section_page(self, request: Request, section, from_review: bool, *, show_missing: bool = False) -> Response:
        back, after = pages.neighbours(self.answers, section.id)
        nav = pages.sections(self.answers)
        number = next((i for i, p in enumerate(nav, start=1) if p.id == section.id), 0)
        return self.render(
            request, "section.html", section=section, nav=nav, number=number,
            fields=fields.section_fields(self.answers, section, skip=pages.FIRST, show_missing=show_missing, library=self.interview.sources.library),
            back=back, after=after, from_review=from_review, currency=self.answers.currency(),
        )

    async def _save_section(self, request: Request, section, from_review: bool) -> Response:
        form = await self.form(request)
        action = str(form.get("action") or "next")
        with self.interview.lock:
            fields.apply(self.answers, form, pages.section_questions(self.answers, section))
            edited = _edit_list(self.answers, section, action)
            self.interview.save()
            if edited:
                return self._section_page(request, section, from_review)
            if from_review:
                self.interview.followed = self._followed()
                return _see("/review")
            back, after = pages.neighbours(self.answers, section.id)
            if action == "back":
                return _see(f"/s/{back}" if back else "/")
            problems = [pid for pid in self.answers.in_section(section) if self.answers.problems(pid)]
            if action == "next" and problems and form.get("checked") != "yes":
                return self._section_page(request, section, from_review, show_missing=True)
            return _see(f"/s/{after}" if after else "/review")

    def _followed(self):
        base, self.interview.edit_base = self.interview.edit_base, None
        if base is None:
            return []
        values, given = base
        edited = {pid for pid in set(given) | set(self.answers.given) if given.get(pid) != self.answers.given.get(pid)}
        return self.answers.followed(values, edited)

    async def update(self, request: Request) -> Response:
        """A change on a section page (htmx): save it, and send back the questions whose state
        changed, and the message of the one being typed in (never its input)."""
        section = self._section(request.path_params["section"])
        form = await self.form(request)
        trigger = request.headers.get("hx-trigger-name", "")
        typed = next((pid for pid in self.answers.schema.ids() if trigger == pid or trigger.startswith(pid + ".")), "")
        with self.interview.lock:
            before = {f.pid: f for f in fields.section_fields(self.answers, section, skip=pages.FIRST, show_missing=False, library=self.interview.sources.library)}
            fields.apply(self.answers, form, pages.section_questions(self.answers, section))
            self.interview.save()
            after = fields.section_fields(self.answers, section, skip=pages.FIRST, show_missing=False, library=self.interview.sources.library)
            nav = pages.sections(self.answers)
        changed = [f for f in after if f.pid != typed and before.get(f.pid) != f]
        status = next((f for f in after if f.pid == typed), None)
        html = self.env.get_template("update.html").render(changed=changed, status=status, nav=nav, current=section.id, csrf=None)
        return HTMLResponse(html)

    async def review(self, request: Request) -> Response:
        with self.interview.lock:
            rows = []
            for section in self.answers.schema.sections:
                answers = []
                for pid in self.answers.in_section(section):
                    param = self.answers.param(pid)
                    outcome = self.answers.outcome(pid)
                    value = self.answers.value(pid)
                    entries = []
                    if param.type.name == "list" and value:
                        entries = [[(f.label, display(f.in_currency(self.answers.currency()) if self.answers.currency() else f, r.get(f.id), limit=200))
                                    for f in param.fields if r.get(f.id) is not None] for r in value]
                    answers.append({"pid": pid, "label": question(param), "value": display(param, value, limit=400),
                                    "default": outcome.from_default and pid not in self.answers.given, "problems": [p.message for p in outcome.problems],
                                    "entries": entries})
                if answers:
                    rows.append({"section": section, "answers": answers})
            followed, self.interview.followed = self.interview.followed, []
            complete = self.answers.complete()
        return self.render(request, "review.html", rows=rows, followed=followed, complete=complete)

    async def preview(self, request: Request) -> Response:
        with self.interview.lock:
            if not self.answers.complete():
                return self.render(request, "incomplete.html", problems=self.answers.resolution.problems, what="preview the draft")
            deal = self.answers.deal()
        sources = self.interview.sources
        composition = await run_in_threadpool(pipeline.assemble, deal, sources, strict=False)
        why = {e.clause: e for e in explain.explain(sources.library, deal, sources.jurisdictions, composition)}
        lines = {cid: explain.format_clause(e) for cid, e in why.items()}
        left_out = [e for e in why.values() if not e.included]
        return self.render(request, "preview.html", agreement=composition.agreement, why=why, lines=lines, left_out=left_out)

    async def generate(self, request: Request) -> Response:
        if request.method == "POST":
            await self.form(request)
        with self.interview.lock:
            if not self.answers.complete():
                return self.render(request, "incomplete.html", problems=self.answers.resolution.problems, what="generate the agreement")
            deal, raw, answers = self.answers.deal(), self.answers.tree(), self.answers
        sources = self.interview.sources
        if request.method == "GET":
            composition = await run_in_threadpool(pipeline.assemble, deal, sources, strict=False)
            found = run_checks(composition, deal, sources.jurisdictions, answers=raw)
            return self.render(request, "generate.html", findings=finding_list.sort(found), blocking=finding_list.blocking(found), made=None,
                               downloads=self.interview.downloads)
        try:
            result, files = await run_in_threadpool(outputs.generate, answers, sources)
        except FindingsError as exc:
            return self.render(request, "generate.html", findings=exc.findings, blocking=finding_list.blocking(exc.findings), made=None, downloads={})
        with self.interview.lock:
            self.interview.downloads = files
        return self.render(request, "generate.html", findings=result.findings, blocking=[], made=result, downloads=files)

    async def download(self, request: Request) -> Response:
        with self.interview.lock:
            made = self.interview.downloads.get(request.path_params["key"])
        if made is None:
            raise HTTPException(404, "nothing to download by that name; generate the agreement first")
        return _attachment(made)

    async def answers_download(self, request: Request) -> Response:
        with self.interview.lock:
            return _attachment(outputs.answers_file(self.answers, self.interview.sources))

    async def upload(self, request: Request) -> Response:
        form = await self.form(request)
        upload = form.get(UPLOAD_FIELD)
        if not isinstance(upload, UploadFile):
            return self.render(request, "start.html", status=400, fields=[], begun=bool(self.answers.given), max_upload=_kb(UPLOAD_LIMIT),
                               upload_problems=["choose an answers file to load"])
        data = await upload.read(UPLOAD_LIMIT + 1)
        name = (upload.filename or "answers file")[:120]
        try:
            if len(data) > UPLOAD_LIMIT:
                raise InputError([Problem("(file)", f"is larger than {_kb(UPLOAD_LIMIT)}; an answers file is a few KB")], name)
            if data[:4] == b"PK\x03\x04":
                raise InputError([Problem("(file)", "this is a Word document or another zip file, not an answers file (that is the .answers.yaml file)")], name)
            raw = read_deal_text(data.decode("utf-8"), name)
            known, unknown = flatten(raw, self.answers.schema)
            if not known:
                raise InputError(unknown or [Problem("(file)", "holds no answers")], name)
        except UnicodeDecodeError:
            return self._upload_refused(request, [f"{name}: not a text file in UTF-8"])
        except ClausewrightError as exc:
            return self._upload_refused(request, str(exc).splitlines())
        with self.interview.lock:
            unknown = self.interview.restart(raw)
            missing = len({p.field.split("[")[0] for p in self.answers.resolution.problems})
            self.interview.notices.append(f"Loaded the answers of {name}" + (f"; {missing} still to give or correct." if missing else "."))
            self.interview.notices += [f"Ignored {p.field}: {p.message}" for p in unknown]
            nav = pages.sections(self.answers)
            complete = self.answers.complete()
        return _see("/review" if complete or not nav else f"/s/{nav[0].id}")

    def _upload_refused(self, request: Request, problems: list[str]) -> Response:
        with self.interview.lock:
            first = [fields.build(self.answers, pid, library=self.interview.sources.library) for pid in pages.first_questions(self.answers)]
        return self.render(request, "start.html", status=400, fields=first, begun=bool(self.answers.given), max_upload=_kb(UPLOAD_LIMIT),
                           upload_problems=problems)

    async def static(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            raise HTTPException(404, "no such file")
        data = (PACKAGE / "static" / name).read_bytes()
        return Response(data, media_type=STATIC[name])


UPLOAD_LIMIT = 256 * 1024  # bytes in an answers file loaded from the browser


def _kb(size: int) -> str:
    return f"{size // 1024} KB"


def _see(url: str) -> Response:
    return RedirectResponse(url, status_code=303)


def _attachment(made: Download) -> Response:
    return Response(made.data, media_type=made.media_type, headers={"content-disposition": f'attachment; filename="{made.name}"'})


def _edit_list(answers, section, action: str) -> bool:
    """``add:PID`` adds an entry to a list, ``remove:PID:N`` removes one; True when one was edited."""
    verb, _, rest = action.partition(":")
    if verb not in ("add", "remove"):
        return False
    pid, _, number = rest.partition(":")
    if pid not in pages.section_questions(answers, section) or answers.schema[pid].type.name != "list":
        return False
    given = answers.given.get(pid)
    records = [dict(r) for r in given] if isinstance(given, list) else fields.build(answers, pid).value or []
    records = [r for r in records if isinstance(r, dict)]
    if verb == "add":
        records.append({})
    elif number.isdigit() and 1 <= int(number) <= len(records):
        del records[int(number) - 1]
    answers.set(pid, records)
    return True
