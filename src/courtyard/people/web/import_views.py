"""The organization import pages: upload, preview, confirm. Thin: parse, access, call the service, render.

Between the preview and the confirmation the uploaded bytes wait in a private spool file (the session is too
small for 20 MB). Its name is a hash of a random token and the admin's id: the token travels in the page's
hidden field, the name never leaves the server, so nobody can fetch or confirm someone else's upload. The
session remembers the token, the option and the previewed plan's fingerprint, so the confirmation applies
exactly the file and the changes that were shown, or refuses.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import time
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courtyard.accounts.http import AuthedRequest
from courtyard.core.access import require_admin
from courtyard.core.errors import ApplicationError
from courtyard.people import importing
from courtyard.people.domain.orgimport import FieldChange, ImportPlan, template_csv

SESSION_KEY = "people_import"
SPOOL_MAX_AGE = 24 * 60 * 60
SHOWN_ROWS = 200
SHOWN_ERRORS = 500
TEMPLATE_FILENAME = "people-import-template.csv"


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy("UTF-8, comma- or semicolon-separated, one person per line, with a header line."),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )
    deactivate_missing = forms.BooleanField(
        label=gettext_lazy("Deactivate people missing from this file"),
        help_text=gettext_lazy(
            "Use this when the file lists everyone in the organization. Deactivated people keep their data "
            "but can no longer sign in."
        ),
        required=False,
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_BYTES
        if upload.size is not None and upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(limit)d MB; split it or remove unused columns.")
                % {"limit": limit // (1024 * 1024)},
                code="too_large",
            )
        return upload


# --- The spool of previewed uploads ----------------------------------------------------------------


def _spool_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def _spool_path(token: str, user_id: int) -> Path:
    name = hashlib.sha256(f"{user_id}:{token}".encode()).hexdigest()
    return _spool_dir() / f"{name}.csv"


def _spool_store(request: AuthedRequest, data: bytes, *, deactivate_missing: bool, plan: ImportPlan, filename: str) -> str:
    _spool_discard(request)
    folder = _spool_dir()
    folder.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - SPOOL_MAX_AGE
    for old in folder.glob("*.csv"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(32)
    descriptor = os.open(_spool_path(token, request.user.pk), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as spool:
        spool.write(data)
    request.session[SESSION_KEY] = {
        "token": token,
        "deactivate_missing": deactivate_missing,
        "fingerprint": plan.fingerprint,
        "filename": filename[:200],
    }
    return token


def _spool_load(request: AuthedRequest, token: str) -> tuple[dict[str, Any], bytes]:
    pending = request.session.get(SESSION_KEY)
    if not pending or not token or not secrets.compare_digest(str(pending.get("token", "")), token):
        raise ApplicationError(
            _("This import is no longer waiting for confirmation. Upload the file again."), code="import_expired"
        )
    try:
        return pending, _spool_path(pending["token"], request.user.pk).read_bytes()
    except OSError:
        request.session.pop(SESSION_KEY, None)
        raise ApplicationError(
            _("This import is no longer waiting for confirmation. Upload the file again."), code="import_expired"
        ) from None


def _spool_discard(request: AuthedRequest) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if pending and pending.get("token"):
        _spool_path(str(pending["token"]), request.user.pk).unlink(missing_ok=True)


# --- What the templates show ------------------------------------------------------------------------


def _change_text(change: FieldChange, side: str) -> str:
    value = change.old if side == "old" else change.new
    if change.field == "is_active":
        return _("active") if value == "yes" else _("deactivated")
    return value


def _preview_context(plan: ImportPlan, *, token: str, filename: str) -> dict[str, Any]:
    return {
        "stage": "preview",
        "plan": plan,
        "token": token,
        "filename": filename,
        "creates": plan.creates[:SHOWN_ROWS],
        "updates": [
            {
                "record": update.record,
                "changes": [
                    {"label": change.label(_), "old": _change_text(change, "old"), "new": _change_text(change, "new")}
                    for change in update.changes
                ],
            }
            for update in plan.updates[:SHOWN_ROWS]
        ],
        "deactivations": plan.deactivations[:SHOWN_ROWS],
        "notes": [importing.message_text(note) for note in plan.notes],
        "shown_rows": SHOWN_ROWS,
        "counts": {
            "created": len(plan.creates),
            "updated": len(plan.updates),
            "unchanged": len(plan.unchanged),
            "deactivated": len(plan.deactivations),
            "reactivated": len(plan.reactivations),
        },
    }


def _errors_context(plan: ImportPlan, *, form: ImportUploadForm, filename: str) -> dict[str, Any]:
    return {
        "stage": "errors",
        "form": form,
        "filename": filename,
        "error_count": len(plan.errors),
        "errors": [
            {"line": error.line, "column": error.column_label(_), "message": importing.message_text(error)}
            for error in plan.errors[:SHOWN_ERRORS]
        ],
        "notes": [importing.message_text(note) for note in plan.notes],
        "shown_errors": SHOWN_ERRORS,
    }


def _render(request: AuthedRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, "people/import.html", context, status=status)


# --- Views -------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def people_import(request: AuthedRequest) -> HttpResponse:
    """GET: the upload form. POST: the preview of the uploaded file, or its errors line by line."""
    require_admin(request.user)
    if request.method == "GET":
        _spool_discard(request)  # coming back here abandons a preview that was not confirmed
        return _render(request, {"stage": "upload", "form": ImportUploadForm()})
    form = ImportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, {"stage": "upload", "form": form}, status=400)
    upload = form.cleaned_data["file"]
    filename = str(upload.name or "")
    data = upload.read()
    deactivate_missing = form.cleaned_data["deactivate_missing"]
    plan = importing.people_import_preview(actor=request.user, data=data, deactivate_missing=deactivate_missing)
    if not plan.is_valid:
        _spool_discard(request)
        return _render(request, _errors_context(plan, form=ImportUploadForm(), filename=filename), status=400)
    token = _spool_store(request, data, deactivate_missing=deactivate_missing, plan=plan, filename=filename)
    return _render(request, _preview_context(plan, token=token, filename=filename))


@login_required
@require_POST
def people_import_confirm(request: AuthedRequest) -> HttpResponse:
    """Apply the previewed file, exactly as previewed; otherwise show what changed and apply nothing."""
    require_admin(request.user)
    pending, data = _spool_load(request, request.POST.get("token", ""))
    deactivate_missing = bool(pending["deactivate_missing"])
    filename = str(pending.get("filename", ""))
    try:
        result = importing.people_import_apply(
            actor=request.user,
            data=data,
            deactivate_missing=deactivate_missing,
            expected_fingerprint=pending["fingerprint"],
        )
    except ApplicationError as error:
        if error.code not in {"import_changed", "import_invalid"}:
            raise
        # The directory changed since the preview: show the file against the directory as it is now.
        plan = importing.people_import_preview(actor=request.user, data=data, deactivate_missing=deactivate_missing)
        if not plan.is_valid:
            _spool_discard(request)
            return _render(request, _errors_context(plan, form=ImportUploadForm(), filename=filename), status=400)
        token = _spool_store(request, data, deactivate_missing=deactivate_missing, plan=plan, filename=filename)
        context = _preview_context(plan, token=token, filename=filename)
        context["changed_since_preview"] = error.message
        return _render(request, context, status=409)
    _spool_discard(request)
    messages.success(
        request,
        _(
            "Import done: %(created)d added, %(updated)d updated, %(unchanged)d unchanged, "
            "%(deactivated)d deactivated."
        )
        % result.as_dict(),
    )
    return redirect("people:directory")


@login_required
@require_GET
def people_import_template(request: AuthedRequest) -> HttpResponse:
    """A CSV with the header line and one example, to fill in."""
    require_admin(request.user)
    # The byte-order mark makes spreadsheets open the file as UTF-8; the import accepts it.
    response = HttpResponse("\ufeff" + template_csv(), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{TEMPLATE_FILENAME}"'
    return response
