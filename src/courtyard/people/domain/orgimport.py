"""The organization import: CSV bytes and a snapshot of the directory in, a plan of changes out.

Pure Python and deterministic: the service layer reads the snapshot, this module decides, the service
applies. The rules, as the import page explains them to admins:

- **Encoding**: UTF-8, with or without a byte-order mark. Anything else (Windows-1252, UTF-16, an Excel
  workbook) is refused with the line and byte that gave it away.
- **Delimiter**: comma, semicolon or tab, detected from the header row (spreadsheets in many European
  locales save "CSV" with semicolons).
- **Header**: case, spaces, hyphens and underscores do not matter, and common aliases are understood
  ("full name" or "name", "manager" or "manager email", "employee id" or "employee number", ...).
  ``email`` and ``name`` are required; every other column is optional, and a column that is absent
  changes nothing for anyone.
- **Dates**: ISO ``YYYY-MM-DD`` only. ``01/03/2024`` is the 1st of March in Europe and the 3rd of January
  in the US; guessing would silently corrupt start dates, so such values are refused with an explanation.
- **Empty cells**: an empty title, department, team, manager or start date clears that field. An empty
  location or time zone keeps what is there (members may set those themselves), and so does an empty
  employee id (an identifier is never erased by a blank cell).
- **Matching**: a line updates the person with its employee id when there is one, otherwise the person with
  its email address; a known employee id with a new address is an address change.
- **Active**: people listed in the file are active, so a deactivated person who is listed is reactivated
  (the preview lists them). With ``deactivate_missing``, active people absent from the file are deactivated,
  except the ``protected_ids`` (the acting admin).
- **All or nothing**: any error makes the plan invalid; the service applies only a valid plan.

User-facing texts are marked with :func:`gettext_noop` and kept as templates with named parameters, so the
web and command-line layers translate them (``message.render(gettext)``) without this module importing Django.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import io
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence

from courtyard.core.domain.text import normalize_text, text_problem

FieldValue = str | dt.date | None

REQUIRED_FIELDS = ("email", "full_name")
# The order of the template file and of the preview's columns.
FIELDS = (
    "email", "full_name", "department", "team", "manager", "title", "location", "timezone", "start_date",
    "employee_id",
)
TEMPLATE_HEADER = (
    "email", "name", "department", "team", "manager email", "title", "location", "time zone", "start date",
    "employee id",
)
# The manager is left empty so that the template imports as it is; a manager is given by email address.
TEMPLATE_EXAMPLE = (
    "ada.lovelace@example.com", "Ada Lovelace", "Engineering / Platform", "Compilers", "",
    "Staff engineer", "London", "Europe/London", "2024-03-01", "E1042",
)
DELIMITERS = (",", ";", "\t")
MAX_LENGTHS = {
    "email": 254, "full_name": 150, "title": 150, "team": 120, "location": 120, "employee_id": 64,
    "department": 500,
}
DEPARTMENT_PART_MAX = 120
CYCLE_NAMES_SHOWN = 8


def gettext_noop(message: str) -> str:
    """Marks a text for translation (``makemessages`` extracts it); the caller translates it when shown."""
    return message


COLUMN_LABELS: dict[str, str] = {
    "email": gettext_noop("email"),
    "full_name": gettext_noop("name"),
    "department": gettext_noop("department"),
    "team": gettext_noop("team"),
    "manager": gettext_noop("manager email"),
    "title": gettext_noop("title"),
    "location": gettext_noop("location"),
    "timezone": gettext_noop("time zone"),
    "start_date": gettext_noop("start date"),
    "employee_id": gettext_noop("employee id"),
    "is_active": gettext_noop("active"),
}

# Header spellings, after normalize_header(); more than one spelling is common in HR exports.
ALIASES: dict[str, str] = {
    **dict.fromkeys(
        ("email", "e mail", "email address", "e mail address", "work email", "work email address", "mail"), "email"
    ),
    **dict.fromkeys(("name", "full name", "fullname", "employee name", "display name", "person"), "full_name"),
    **dict.fromkeys(
        ("department", "department path", "dept", "division", "departments", "organization unit", "org unit"),
        "department",
    ),
    **dict.fromkeys(("team", "team name", "squad"), "team"),
    **dict.fromkeys(
        (
            "manager", "manager email", "manager e mail", "manager email address", "manager s email",
            "managers email", "reports to", "line manager", "line manager email", "supervisor", "supervisor email",
        ),
        "manager",
    ),
    **dict.fromkeys(("title", "job title", "position", "role", "job"), "title"),
    **dict.fromkeys(("location", "office", "site", "work location"), "location"),
    **dict.fromkeys(("time zone", "timezone", "tz", "time zone name"), "timezone"),
    **dict.fromkeys(
        ("start date", "start", "started", "hire date", "date hired", "joined", "date joined", "joining date"),
        "start_date",
    ),
    **dict.fromkeys(
        (
            "employee id", "employeeid", "employee number", "employee no", "employee nr", "emp id", "staff id",
            "staff number", "personnel number", "worker id",
        ),
        "employee_id",
    ),
}

# Addresses as people write them, including non-ASCII ones (accounts accept "josé@example.com").
EMAIL_RE = re.compile(
    r"^[\w!#$%&'*+/=?^`{|}~-]+(?:\.[\w!#$%&'*+/=?^`{|}~-]+)*"
    r"@(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,63}$"
)
ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
AMBIGUOUS_DATE_RE = re.compile(r"^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$")


# --- Inputs ---------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ExistingPerson:
    """One profile of the directory as the import compares it. ``department`` is the normalized path."""

    id: int
    email: str
    full_name: str
    employee_id: str = ""
    title: str = ""
    department: str = ""
    team: str = ""
    team_department: str = ""
    manager_id: int | None = None
    location: str = ""
    timezone: str = "UTC"
    start_date: dt.date | None = None
    is_active: bool = True


# --- Outputs --------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Message:
    """An error or a note about one line (line 1 is the header; 0 is the file as a whole)."""

    line: int
    column: str
    template: str
    params: tuple[tuple[str, str], ...] = ()

    def render(self, translate: Callable[[str], str] = gettext_noop) -> str:
        return translate(self.template).format(**dict(self.params))

    @property
    def message(self) -> str:
        return self.render()

    def column_label(self, translate: Callable[[str], str] = gettext_noop) -> str:
        label = COLUMN_LABELS.get(self.column)
        return translate(label) if label else self.column


def _message(at_line: int, column: str, template: str, /, **params: object) -> Message:
    return Message(at_line, column, template, tuple(sorted((key, str(value)) for key, value in params.items())))


@dataclasses.dataclass(frozen=True)
class Record:
    """What one line says a person should be. ``values`` holds only the fields this file sets;
    ``manager`` is the manager's email address as it will be after the import."""

    line: int
    person_id: int | None
    values: Mapping[str, FieldValue]

    @property
    def email(self) -> str:
        return str(self.values["email"])

    @property
    def full_name(self) -> str:
        return str(self.values["full_name"])

    def display(self, field: str) -> str:
        return display_value(self.values.get(field))


@dataclasses.dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str

    def label(self, translate: Callable[[str], str] = gettext_noop) -> str:
        return translate(COLUMN_LABELS.get(self.field, self.field))


@dataclasses.dataclass(frozen=True)
class Update:
    record: Record
    changes: tuple[FieldChange, ...]

    @property
    def line(self) -> int:
        return self.record.line

    @property
    def person_id(self) -> int:
        return self.record.person_id or 0  # always set: only existing people are updated

    @property
    def reactivates(self) -> bool:
        return any(change.field == "is_active" for change in self.changes)


@dataclasses.dataclass(frozen=True)
class PersonRef:
    id: int
    email: str
    full_name: str


@dataclasses.dataclass(frozen=True)
class ImportPlan:
    rows: int
    columns: tuple[str, ...]
    deactivate_missing: bool
    records: tuple[Record, ...] = ()
    creates: tuple[Record, ...] = ()
    updates: tuple[Update, ...] = ()
    unchanged: tuple[Record, ...] = ()
    deactivations: tuple[PersonRef, ...] = ()
    errors: tuple[Message, ...] = ()
    notes: tuple[Message, ...] = ()

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def has_changes(self) -> bool:
        return bool(self.creates or self.updates or self.deactivations)

    @property
    def reactivations(self) -> tuple[Update, ...]:
        return tuple(update for update in self.updates if update.reactivates)

    @property
    def fingerprint(self) -> str:
        """Identifies the changes (not the file): a confirmation applies only the changes that were previewed."""
        digest = hashlib.sha256()
        for record in self.creates:
            digest.update(repr(("create", record.line, sorted(record.values.items()))).encode())
        for update in self.updates:
            digest.update(repr(("update", update.person_id, update.changes)).encode())
        for person in self.deactivations:
            digest.update(repr(("deactivate", person.id)).encode())
        return digest.hexdigest()


# --- Small pure helpers ---------------------------------------------------------------------------


def display_value(value: FieldValue) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def normalize_header(text: str) -> str:
    """ "Manager E-mail", "manager_email " and "MANAGER EMAIL*" all become "manager e mail"/"manager email"."""
    text = re.sub(r"\(.*?\)", " ", text.lower())
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def collapse_spaces(text: str) -> str:
    return " ".join(text.split())


def department_path_parts(path: str) -> list[str]:
    """ "Engineering / Platform", "Engineering > Platform" and "Engineering/Platform" are the same path.
    The one definition of that rule: ``people.services`` uses it too."""
    return [collapse_spaces(part) for part in path.replace(">", "/").split("/") if part.strip()]


def normalize_department(path: str) -> str:
    return " / ".join(department_path_parts(path))


def normalize_email(email: str) -> str:
    return email.strip().lower()


def is_valid_email(email: str) -> bool:
    return len(email) <= MAX_LENGTHS["email"] and EMAIL_RE.match(email) is not None


def template_csv() -> str:
    """The header row and one example line, for admins to start from."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TEMPLATE_HEADER)
    writer.writerow(TEMPLATE_EXAMPLE)
    return out.getvalue()


# --- Decoding and reading the CSV -----------------------------------------------------------------


class _FileError(Exception):
    def __init__(self, message: Message) -> None:
        super().__init__(message.template)
        self.error = message


def decode(data: bytes) -> str:
    """The text of the file, or a _FileError naming the line and byte that is not UTF-8."""
    if data.startswith(b"PK\x03\x04"):
        raise _FileError(_message(0, "", gettext_noop(
            "This is a spreadsheet workbook (such as .xlsx), not a CSV file. "
            "In your spreadsheet, use “Save as” → “CSV UTF-8” and upload that file."
        )))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _FileError(_message(1, "", gettext_noop(
            "The file is encoded as UTF-16. Save it as “CSV UTF-8” and upload it again."
        )))
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        position = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _FileError(_message(line, "", gettext_noop(
            "The file is not UTF-8 text: line {line} has the byte 0x{byte} at position {position}, which UTF-8 "
            "does not allow (the file is probably in a Windows or Latin-1 encoding). "
            "Save it as “CSV UTF-8” and upload it again."
        ), line=line, byte=f"{data[exc.start]:02X}", position=position)) from None
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise _FileError(_message(line, "", gettext_noop(
            "Line {line} contains a NUL character: this is not a text file. Upload a CSV file saved as UTF-8."
        ), line=line))
    if not text.strip():
        raise _FileError(_message(0, "", gettext_noop("The file is empty.")))
    return text


def _header_fields(cells: Sequence[str]) -> list[str | None]:
    return [ALIASES.get(normalize_header(cell)) for cell in cells]


def detect_delimiter(text: str) -> str:
    """The delimiter that makes the most header cells recognizable (comma on a tie)."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    best, best_score = ",", (-1, -1)
    for delimiter in DELIMITERS:
        cells = next(csv.reader([first_line], delimiter=delimiter), [])
        score = (sum(field is not None for field in _header_fields(cells)), len(cells))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_rows(text: str, delimiter: str) -> Iterable[tuple[int, list[str]]]:
    """(line number where the record starts, cells) for each non-blank record."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    previous_end = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            line = previous_end + 1
            raise _FileError(_message(line, "", gettext_noop(
                "Line {line} cannot be read as CSV ({problem}). Check its quotes: a value containing the "
                "delimiter or a line break must be in double quotes, and a quote inside it doubled (\"\")."
            ), line=line, problem=str(exc))) from None
        start = previous_end + 1
        previous_end = reader.line_num
        if any(cell.strip() for cell in cells):
            yield start, cells


WHITESPACE_CONTROLS_RE = re.compile(r"[\r\n\t]+")

# --- Validating lines -----------------------------------------------------------------------------


@dataclasses.dataclass
class _Row:
    line: int
    values: dict[str, FieldValue]
    manager_email: str | None = None  # None: the file does not set the manager; "": no manager
    person: ExistingPerson | None = None

    @property
    def key(self) -> int:
        """A node of the reporting-line graph: the person's id, or minus the line for someone new."""
        return self.person.id if self.person is not None else -self.line


def _parse_date(raw: str, line: int, errors: list[Message]) -> dt.date | None:
    if ISO_DATE_RE.match(raw):
        try:
            value = dt.date.fromisoformat(raw)
        except ValueError:
            errors.append(_message(line, "start_date", gettext_noop("“{value}” is not a real date."), value=raw))
            return None
        if not 1900 <= value.year <= 2100:
            errors.append(_message(line, "start_date", gettext_noop(
                "“{value}” is not a plausible start date."
            ), value=raw))
            return None
        return value
    if AMBIGUOUS_DATE_RE.match(raw):
        errors.append(_message(line, "start_date", gettext_noop(
            "Write dates as YYYY-MM-DD (for example 2024-03-01): “{value}” could be read as day/month or "
            "month/day."
        ), value=raw))
    else:
        errors.append(_message(line, "start_date", gettext_noop(
            "“{value}” is not a date; write it as YYYY-MM-DD, for example 2024-03-01."
        ), value=raw))
    return None


def _too_long(line: int, field: str, value: str, errors: list[Message]) -> bool:
    limit = MAX_LENGTHS.get(field)
    if limit is not None and len(value) > limit:
        errors.append(_message(line, field, gettext_noop(
            "This value is {length} characters long; at most {limit} are allowed."
        ), length=len(value), limit=limit))
        return True
    return False


def _validate_row(
    line: int, cells: dict[str, str], timezones: Mapping[str, str], errors: list[Message]
) -> _Row:
    """The normalized values of one line; problems are appended to ``errors``."""
    values: dict[str, FieldValue] = {}
    # A line break or tab inside a spreadsheet cell is just a space in a directory field. Other control,
    # bidi-override and invisible characters are refused as everywhere else (a name that reads backwards,
    # a NUL in a calendar); the rest is NFC-normalized.
    cells = {column: normalize_text(WHITESPACE_CONTROLS_RE.sub(" ", raw)) for column, raw in cells.items()}
    for column, raw in cells.items():
        problem = text_problem(raw)
        if problem is not None:
            errors.append(_message(line, column, gettext_noop("This value {problem}."), problem=problem))
    email = normalize_email(cells["email"])
    if not email:
        errors.append(_message(line, "email", gettext_noop("The email address is missing.")))
    elif not is_valid_email(email):
        errors.append(_message(line, "email", gettext_noop("“{value}” is not a valid email address."), value=email))
    values["email"] = email
    full_name = cells["full_name"].strip()
    if not full_name:
        errors.append(_message(line, "full_name", gettext_noop("The name is missing.")))
    _too_long(line, "full_name", full_name, errors)
    values["full_name"] = full_name
    for field in ("title",):
        if field in cells:
            value = cells[field].strip()
            _too_long(line, field, value, errors)
            values[field] = value
    if "department" in cells:
        parts = department_path_parts(cells["department"])
        if any(len(part) > DEPARTMENT_PART_MAX for part in parts):
            errors.append(_message(line, "department", gettext_noop(
                "A department name is longer than {limit} characters."
            ), limit=DEPARTMENT_PART_MAX))
        path = " / ".join(parts)
        _too_long(line, "department", path, errors)
        values["department"] = path
    if "team" in cells:
        team = collapse_spaces(cells["team"])
        _too_long(line, "team", team, errors)
        values["team"] = team
    if cells.get("location", "").strip():
        location = collapse_spaces(cells["location"])
        _too_long(line, "location", location, errors)
        values["location"] = location
    if cells.get("timezone", "").strip():
        raw = cells["timezone"].strip()
        canonical = timezones.get(raw.lower())
        if canonical is None:
            errors.append(_message(line, "timezone", gettext_noop(
                "“{value}” is not a known time zone; use a name like Europe/Berlin or America/New_York."
            ), value=raw))
        values["timezone"] = canonical or raw
    if "start_date" in cells:
        raw = cells["start_date"].strip()
        values["start_date"] = _parse_date(raw, line, errors) if raw else None
    if cells.get("employee_id", "").strip():
        employee_id = cells["employee_id"].strip()
        _too_long(line, "employee_id", employee_id, errors)
        values["employee_id"] = employee_id
    manager_email: str | None = None
    if "manager" in cells:
        manager_email = normalize_email(cells["manager"])
        if manager_email and manager_email == email:
            errors.append(_message(line, "manager", gettext_noop("A person cannot be their own manager.")))
    return _Row(line=line, values=values, manager_email=manager_email)


# --- Planning -------------------------------------------------------------------------------------


def _find_cycles(parent: Mapping[int, int | None]) -> list[list[int]]:
    """Every cycle of a graph where each node has at most one parent (its manager), each listed once."""
    state: dict[int, int] = {}  # 1: on the current path, 2: done
    cycles: list[list[int]] = []
    for start in sorted(parent):
        if start in state:
            continue
        path: list[int] = []
        node: int | None = start
        while node is not None and node not in state:
            state[node] = 1
            path.append(node)
            node = parent.get(node)
        if node is not None and state[node] == 1:
            cycles.append(path[path.index(node):])
        for visited in path:
            state[visited] = 2
    return cycles


def plan_import(
    data: bytes,
    existing: Sequence[ExistingPerson],
    *,
    timezones: Collection[str],
    deactivate_missing: bool,
    protected_ids: Collection[int] = (),
) -> ImportPlan:
    """Validate the whole file against the directory and say what applying it would change."""
    try:
        text = decode(data)
        delimiter = detect_delimiter(text)
        rows = list(_read_rows(text, delimiter))
    except _FileError as failure:
        return ImportPlan(rows=0, columns=(), deactivate_missing=deactivate_missing, errors=(failure.error,))
    if not rows:
        return ImportPlan(
            rows=0, columns=(), deactivate_missing=deactivate_missing,
            errors=(_message(0, "", gettext_noop("The file is empty.")),),
        )

    errors: list[Message] = []
    notes: list[Message] = []
    header_line, header = rows[0]
    fields = _header_fields(header)
    columns: dict[str, int] = {}
    for index, (cell, field) in enumerate(zip(header, fields, strict=True)):
        if field is None:
            if cell.strip():
                notes.append(_message(header_line, "", gettext_noop(
                    "The column “{name}” is not used by the import and is ignored."
                ), name=cell.strip()))
            continue
        if field in columns:
            errors.append(_message(header_line, field, gettext_noop(
                "Two columns (“{first}” and “{second}”) give the {label}; keep only one."
            ), first=header[columns[field]].strip(), second=cell.strip(), label=COLUMN_LABELS[field]))
            continue
        columns[field] = index
    for field in REQUIRED_FIELDS:
        if field not in columns:
            errors.append(_message(header_line, field, gettext_noop(
                "The column “{label}” is missing. The first line must name the columns, for example: {example}"
            ), label=COLUMN_LABELS[field], example=", ".join(TEMPLATE_HEADER)))
    present = tuple(field for field in FIELDS if field in columns)
    if errors:
        return ImportPlan(
            rows=len(rows) - 1, columns=present, deactivate_missing=deactivate_missing,
            errors=tuple(errors), notes=tuple(notes),
        )

    timezone_names = {name.lower(): name for name in timezones}
    parsed: list[_Row] = []
    width = len(header)
    for line, cells in rows[1:]:
        if len(cells) > width and not any(cell.strip() for cell in cells[width:]):
            cells = cells[:width]  # trailing delimiters, as some spreadsheets write them
        if len(cells) != width:
            errors.append(_message(line, "", gettext_noop(
                "This line has {count} values but the header has {width} columns. "
                "A value containing the delimiter must be in double quotes."
            ), count=len(cells), width=width))
            continue
        named = {field: cells[index] for field, index in columns.items()}
        parsed.append(_validate_row(line, named, timezone_names, errors))

    _check_duplicates(parsed, errors)
    by_id = {person.id: person for person in existing}
    by_email = {normalize_email(person.email): person for person in existing}
    by_employee_id = {person.employee_id: person for person in existing if person.employee_id}
    _match_people(parsed, by_email, by_employee_id, errors)

    matched_ids = {row.person.id for row in parsed if row.person is not None}
    protected = set(protected_ids)
    deactivations: list[PersonRef] = []
    if deactivate_missing:
        for person in sorted(existing, key=lambda p: (normalize_email(p.email), p.id)):
            if person.id in matched_ids or not person.is_active:
                continue
            if person.id in protected:
                notes.append(_message(0, "", gettext_noop(
                    "{email} is not in the file but stays active: you cannot deactivate yourself."
                ), email=person.email))
                continue
            deactivations.append(PersonRef(person.id, person.email, person.full_name))
    deactivated_ids = {person.id for person in deactivations}

    final_email = {row.key: str(row.values["email"]) for row in parsed}
    for person in existing:
        final_email.setdefault(person.id, normalize_email(person.email))
    manager_keys = _resolve_managers(parsed, by_email, deactivated_ids, errors)
    _check_cycles(parsed, existing, by_id, manager_keys, final_email, errors)

    if errors:
        return ImportPlan(
            rows=len(rows) - 1, columns=present, deactivate_missing=deactivate_missing,
            errors=tuple(sorted(errors, key=lambda e: (e.line, FIELDS.index(e.column) if e.column in FIELDS else -1))),
            notes=tuple(notes),
        )

    records: list[Record] = []
    creates: list[Record] = []
    updates: list[Update] = []
    unchanged: list[Record] = []
    for row in parsed:
        values = dict(row.values)
        if row.line in manager_keys:
            manager_key = manager_keys[row.line]
            values["manager"] = final_email[manager_key] if manager_key is not None else None
        record = Record(line=row.line, person_id=row.person.id if row.person else None, values=values)
        records.append(record)
        if row.person is None:
            creates.append(record)
            continue
        changes = _changes(row.person, row, record, manager_keys, by_id, final_email)
        if changes:
            updates.append(Update(record=record, changes=changes))
        else:
            unchanged.append(record)
    return ImportPlan(
        rows=len(rows) - 1,
        columns=present,
        deactivate_missing=deactivate_missing,
        records=tuple(records),
        creates=tuple(creates),
        updates=tuple(updates),
        unchanged=tuple(unchanged),
        deactivations=tuple(deactivations),
        notes=tuple(notes),
    )


def _check_duplicates(parsed: Sequence[_Row], errors: list[Message]) -> None:
    first_email: dict[str, int] = {}
    first_employee_id: dict[str, int] = {}
    for row in parsed:
        email = str(row.values["email"])
        if email and email in first_email:
            errors.append(_message(row.line, "email", gettext_noop(
                "{value} is already on line {other}: each person must appear once."
            ), value=email, other=first_email[email]))
        first_email.setdefault(email, row.line)
        employee_id = row.values.get("employee_id")
        if isinstance(employee_id, str):
            if employee_id in first_employee_id:
                errors.append(_message(row.line, "employee_id", gettext_noop(
                    "The employee id {value} is already on line {other}: each person must appear once."
                ), value=employee_id, other=first_employee_id[employee_id]))
            first_employee_id.setdefault(employee_id, row.line)


def _match_people(
    parsed: Sequence[_Row],
    by_email: Mapping[str, ExistingPerson],
    by_employee_id: Mapping[str, ExistingPerson],
    errors: list[Message],
) -> None:
    """Find who each line is about: by employee id first, else by email address."""
    matched_by: dict[int, int] = {}
    for row in parsed:
        email = str(row.values["email"])
        employee_id = row.values.get("employee_id")
        person: ExistingPerson | None = None
        if isinstance(employee_id, str) and employee_id in by_employee_id:
            person = by_employee_id[employee_id]
            owner = by_email.get(email)
            if owner is not None and owner.id != person.id:
                errors.append(_message(row.line, "email", gettext_noop(
                    "{email} belongs to {owner}, but employee {employee_id} is {person}."
                ), email=email, owner=owner.full_name, employee_id=employee_id, person=person.full_name))
                continue
        elif email in by_email:
            person = by_email[email]
            if isinstance(employee_id, str) and person.employee_id and person.employee_id != employee_id:
                errors.append(_message(row.line, "employee_id", gettext_noop(
                    "{email} has the employee id {current} in the directory, but this line says {value}."
                ), email=email, current=person.employee_id, value=employee_id))
                continue
        if person is None:
            continue
        if person.id in matched_by:
            errors.append(_message(row.line, "email", gettext_noop(
                "This line and line {other} both describe {name}."
            ), other=matched_by[person.id], name=person.full_name))
            continue
        matched_by[person.id] = row.line
        row.person = person


def _resolve_managers(
    parsed: Sequence[_Row],
    by_email: Mapping[str, ExistingPerson],
    deactivated_ids: Collection[int],
    errors: list[Message],
) -> dict[int, int | None]:
    """line -> the manager's graph key (None: no manager), for the lines that set a manager."""
    in_file: dict[str, _Row] = {}
    for row in parsed:
        in_file.setdefault(str(row.values["email"]), row)
    listed_ids = {row.person.id for row in parsed if row.person is not None}
    keys: dict[int, int | None] = {}
    for row in parsed:
        email = row.manager_email
        if email is None:
            continue
        if not email:
            keys[row.line] = None
            continue
        if email == row.values["email"]:
            continue  # reported by _validate_row
        if email in in_file:
            keys[row.line] = in_file[email].key
            continue
        manager = by_email.get(email)
        if manager is None:
            if is_valid_email(email):
                errors.append(_message(row.line, "manager", gettext_noop(
                    "The manager {email} is neither in this file nor in the directory."
                ), email=email))
            else:
                errors.append(_message(row.line, "manager", gettext_noop(
                    "“{value}” is not a valid email address."
                ), value=email))
            continue
        if manager.id in listed_ids:
            # Their line changes their address: the old one still finds them.
            keys[row.line] = manager.id
        elif manager.id in deactivated_ids:
            errors.append(_message(row.line, "manager", gettext_noop(
                "The manager {email} is not in this file, so this import would deactivate them. "
                "Add them to the file or give another manager."
            ), email=email))
        elif not manager.is_active:
            errors.append(_message(row.line, "manager", gettext_noop(
                "The manager {email} is deactivated. Add them to the file to reactivate them, or give another "
                "manager."
            ), email=email))
        else:
            keys[row.line] = manager.id
    return keys


def _check_cycles(
    parsed: Sequence[_Row],
    existing: Sequence[ExistingPerson],
    by_id: Mapping[int, ExistingPerson],
    manager_keys: Mapping[int, int | None],
    final_email: Mapping[int, str],
    errors: list[Message],
) -> None:
    """Reporting lines after the import (the file's, and the directory's for everyone else) form no cycle."""
    parent: dict[int, int | None] = {
        person.id: person.manager_id if person.manager_id in by_id else None for person in existing
    }
    line_of: dict[int, int] = {}
    for row in parsed:
        line_of[row.key] = row.line
        if row.line in manager_keys:
            parent[row.key] = manager_keys[row.line]
        elif row.person is None:
            parent[row.key] = None
    for cycle in _find_cycles(parent):
        lines = [line_of[key] for key in cycle if key in line_of]
        if not lines:
            continue  # an old cycle this file does not touch (services prevent them)
        for key in cycle:
            if key not in line_of:
                continue
            start = cycle.index(key)
            ordered = cycle[start:] + cycle[:start] + [key]
            names = [final_email[node] for node in ordered]
            if len(names) > CYCLE_NAMES_SHOWN + 1:
                names = [*names[:CYCLE_NAMES_SHOWN], "…", names[-1]]
            column = "manager" if line_of[key] in manager_keys else ""
            errors.append(_message(line_of[key], column, gettext_noop(
                "These reporting lines would form a cycle: {chain}."
            ), chain=" → ".join(names)))


def _changes(
    person: ExistingPerson,
    row: _Row,
    record: Record,
    manager_keys: Mapping[int, int | None],
    by_id: Mapping[int, ExistingPerson],
    final_email: Mapping[int, str],
) -> tuple[FieldChange, ...]:
    values = record.values
    changes: list[FieldChange] = []

    def compare(field: str, old: FieldValue) -> None:
        if field in values and values[field] != old:
            changes.append(FieldChange(field, display_value(old), display_value(values[field])))

    compare("email", normalize_email(person.email))
    compare("full_name", person.full_name)
    compare("employee_id", person.employee_id)
    compare("title", person.title)
    compare("department", normalize_department(person.department))
    if "team" in values:
        department = values.get("department", normalize_department(person.department))
        new_team = (department if values["team"] else "", values["team"])
        old_team = (normalize_department(person.team_department) if person.team else "", person.team)
        if new_team != old_team:
            changes.append(FieldChange("team", person.team, str(values["team"])))
    if row.line in manager_keys:
        old_key = person.manager_id if person.manager_id in by_id else None
        new_key = manager_keys[row.line]
        if old_key != new_key:
            old = final_email.get(old_key, "") if old_key is not None else ""
            changes.append(FieldChange("manager", old, display_value(values["manager"])))
    compare("location", person.location)
    compare("timezone", person.timezone)
    compare("start_date", person.start_date)
    if not person.is_active:
        changes.append(FieldChange("is_active", "no", "yes"))
    order = {field: index for index, field in enumerate((*FIELDS, "is_active"))}
    return tuple(sorted(changes, key=lambda change: order[change.field]))
