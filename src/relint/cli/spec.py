"""The options of the command line as data, free of any framework.

The Typer commands are declared from them (``relint.cli.options``) and the quick
start reads command lines by them (``relint.cli.quick``), so the two cannot drift.
An option's text is parsed here, at the edge, into the typed value the command body
takes: a date, a window, a format, a sort order, the filters of a listing, the
fields of ``add`` and ``edit``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from relint.agreement import RECORD
from relint.dates import PartialDate, parse_date
from relint.durations import parse_duration, parse_window
from relint.errors import RelintError
from relint.filters import Filters, parse_sort, parse_status
from relint.i18n import N_, _
from relint.kinds import parse_kind
from relint.render import Format
from relint.text import storable
from relint.values import Field


class Option(NamedTuple):
    """An option: the ``param`` its value is passed as, its ``flags``, and how its text
    is read: ``parse`` turns it into the typed value (the list of texts for an option
    given ``many`` times; None leaves it as it is); a ``switch`` takes no value.
    ``choices`` are the values it accepts, checked by the framework before parsing."""

    param: str
    flags: tuple[str, ...]
    help: str
    metavar: str | None = None
    parse: Callable[[Any], Any] | None = None
    many: bool = False
    switch: bool = False
    default: Any = None
    choices: tuple[str, ...] = ()
    required: bool = False
    omitted: bool = False  # when not given, left out of the values rather than None
    by_name: bool = False  # a format: when not given, the one --output's name says


class Argument(NamedTuple):
    """A positional argument: the ``param`` its value is passed as, shown as ``metavar``.
    An ``identifier`` is an agreement's id, a whole number from 1 (as SQLite stores
    it); any other argument is text. One not ``required`` may be left out (None)."""

    param: str
    metavar: str
    help: str
    identifier: bool = False
    required: bool = True


LARGEST_ID = 2**63 - 1


class Group(NamedTuple):
    """Options passed to the command body as one value, ``param``, built from their
    parsed values by ``build``."""

    param: str
    options: tuple[Option, ...]
    build: Callable[..., Any]


class Check(NamedTuple):
    """A rule between options, checked on what the command line gives before any option
    is parsed: ``broken`` tells, from the given texts by param, whether the command line
    breaks it; the framework reports ``message`` as a usage error about ``hint``."""

    broken: Callable[[Mapping[str, Any]], bool]
    message: str
    hint: str


Declared = tuple[Argument | Option | Group | Check, ...]


def options_of(declared: Declared) -> tuple[Option, ...]:
    """Every option of ``declared``, those of groups in place."""
    return tuple(
        option
        for item in declared
        if isinstance(item, Option | Group)
        for option in (item.options if isinstance(item, Group) else (item,))
    )


def arguments_of(declared: Declared) -> tuple[Argument, ...]:
    """The positional arguments of ``declared``, in order."""
    return tuple(item for item in declared if isinstance(item, Argument))


def identifier(text: str) -> int | None:
    """The agreement id ``text`` writes in the plainest way (digits), else None."""
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 1 <= number <= LARGEST_ID else None


def broken(declared: Declared, given: Mapping[str, Any]) -> Check | None:
    """The first rule of ``declared`` that what the command line ``given`` breaks."""
    return next((c for c in declared if isinstance(c, Check) and c.broken(given)), None)


def parsed(declared: Declared, given: Mapping[str, Any]) -> dict[str, Any]:
    """The typed values of ``declared`` from the values the command line ``given``
    (texts, lists of texts, switches), by param; raises ``RelintError``."""

    def value(option: Option) -> Any:
        raw = given.get(option.param, option.default)
        if raw is None:  # not given
            return None
        return raw if option.parse is None else option.parse(list(raw) if option.many else raw)

    values: dict[str, Any] = {}
    for item in declared:
        if isinstance(item, Check):
            continue
        if isinstance(item, Argument):  # typed as it was read
            values[item.param] = given.get(item.param)
        elif isinstance(item, Option) and item.by_name:
            values[item.param] = item.parse(format_given(given, item))  # type: ignore[misc]
        elif isinstance(item, Group):
            values[item.param] = item.build(**{o.param: value(o) for o in item.options})
        elif not (item.omitted and given.get(item.param) is None):
            values[item.param] = value(item)
    return values


def imported(name: str) -> Any:
    """The function ``module:function``, its module imported now."""
    import importlib

    module, _, function = name.partition(":")
    return getattr(importlib.import_module(module), function)


def _late(name: str) -> Callable[[Any], Any]:
    """The parser ``module:function``, imported when an option is given to it: a command
    line loads what its own options need, not what every command's do."""
    return lambda value: imported(name)(value)


def _unless_empty(parse: Callable[[str], Any], *, blank: bool = False) -> Callable[[str], Any]:
    """``parse``, except that an empty value is no value (and a ``blank`` one, only
    spaces, too: what clears a field of ``edit``)."""
    return lambda value: parse(value) if (value.strip() if blank else value) else None


def _both(given: Mapping[str, Any], one: str, other: str) -> bool:
    return given.get(one) is not None and given.get(other) is not None


def parse_as_of(text: str) -> date:
    day = parse_date(text).full
    if day is None:
        raise RelintError(_("--as-of needs a full date, not {text!r}").format(text=text))
    return day


def _filters(
    kinds: tuple[Any, ...] | None, statuses: tuple[Any, ...] | None, party: str | None,
    country: str | None, sector: str | None,
) -> Filters:  # fmt: skip
    return Filters(kinds or (), statuses or (), party, country, sector)


def _each(parse: Callable[[str], Any]) -> Callable[[list[str]], tuple[Any, ...]]:
    return lambda texts: tuple(parse(text) for text in texts)


def format_option(
    choices: tuple[Format, ...], help: str, default: Format, *, short: bool = True,
    by_name: bool = False,
) -> Option:  # fmt: skip
    """The ``--format`` of a command that writes ``choices`` (``by_name``: when it is
    not given, the one the name of ``--output`` says, else ``default``)."""
    return Option(
        "fmt",
        ("--format", "-f") if short else ("--format",),
        help,
        parse=Format,
        default=default.value,
        choices=tuple(choice.value for choice in choices),
        by_name=by_name,
    )


# The formats files are named for (relint writes workbooks as .xlsx alone).
SUFFIXES = {
    ".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".json": "json", ".jsonl": "jsonl",
    ".ndjson": "jsonl", ".ics": "ics", ".xlsx": "xlsx", ".md": "md", ".markdown": "md",
    ".html": "html", ".htm": "html", ".ods": "ods", ".fods": "ods", ".xls": "xls",
    ".xlsm": "xlsm", ".xlsb": "xlsb",
}  # fmt: skip
WORKBOOKS = frozenset({"xlsx", "ods", "xls", "xlsm", "xlsb"})


def named_format(given: Mapping[str, Any]) -> str | None:
    """The format the name of ``--output`` says, if it says one."""
    output = given.get("output")
    return SUFFIXES.get(Path(str(output)).suffix.lower()) if output else None


def format_given(given: Mapping[str, Any], option: Option) -> str:
    """The format a command writes: ``--format``; else the one its ``--output``'s name
    says, if the command writes it; else the default."""
    fmt = given.get(option.param)
    if fmt is not None:
        return str(fmt)
    named = named_format(given)
    return named if named in option.choices else str(option.default)


def named_otherwise(option: Option) -> tuple[Check, ...]:
    """The rules of the name of ``--output`` for a command whose ``--format`` is
    ``option``: a command that writes no workbook is not given a workbook's name;
    whatever is written, a workbook is named .xlsx, and text is not; and without
    ``--format``, the name may not say a format the command does not write."""

    def no_workbook(given: Mapping[str, Any]) -> bool:
        return "xlsx" not in option.choices and named_format(given) in WORKBOOKS

    def unwritten(given: Mapping[str, Any]) -> bool:
        named = named_format(given)
        return given.get(option.param) is None and named is not None and named not in option.choices

    def disagree(given: Mapping[str, Any]) -> bool:
        named = named_format(given)
        if named is None:
            return False
        written = format_given(given, option)
        return (named in WORKBOOKS or written == "xlsx") and named != written

    return (
        Check(no_workbook, N_("--output names a workbook, which this command does not write:"
                              " relint export -o FILE.xlsx writes one"), "--output"),
        Check(disagree, N_("--format and --output disagree: a workbook (xlsx) is named .xlsx,"
                           " and text is not"), "--output"),
        Check(unwritten, N_("the name of --output says a format this command does not write:"
                            " give --format, or another name"), "--output"),
    )  # fmt: skip


FILTERS = Group(
    "filters",
    (
        Option("kinds", ("--kind",), "Only this kind (repeatable).", "KIND",
               parse=_each(parse_kind), many=True),
        Option("statuses", ("--status",),
               "Only this status: active, expiring, expired, unknown, permanent, suspended,"
               " terminated.",
               "STATUS", parse=_each(parse_status), many=True),
        Option("party", ("--party",), "Only parties containing this text.", "TEXT"),
        Option("country", ("--country",), "Only countries containing this text.", "TEXT"),
        Option("sector", ("--sector",), "Only agreements with a sector containing this text.",
               "TEXT"),
    ),
    _filters,
)  # fmt: skip
AS_OF = Option(
    "as_of", ("--as-of",), "Compute statuses as of this date (default: today).", "DATE",
    parse=parse_as_of,
)  # fmt: skip
SORT = Option(
    "order", ("--sort",), "Sort by a field; a leading - sorts descending.", "FIELD",
    parse=_unless_empty(parse_sort),
)  # fmt: skip
LISTINGS = (Format.TABLE, Format.CSV, Format.JSON, Format.JSONL)
LISTING_HELP = N_(
    "Output: table for people; csv, json, jsonl (default: as the name of --output says, else"
    " table)."
)
LISTING_FORMAT = format_option(LISTINGS, LISTING_HELP, Format.TABLE, by_name=True)
WITHIN = Option(
    "window", ("--within",), "How far ahead: 90d, 6m, 1y, or a number of days.", "SPAN",
    parse=parse_window, default="90d",
)  # fmt: skip
EXIT_CODE = Option(
    "exit_code", ("--exit-code",), "Exit 1 when anything is listed, 0 when nothing is.",
    switch=True, default=False,
)  # fmt: skip
OUTPUT = Option(
    "output", ("--output", "-o"), "Write to this file (default: stdout).", "FILE",
    parse=lambda text: None if text == "-" else Path(text),  # -: stdout, as for import
)  # fmt: skip

# Every CSV relint writes guards the cells a spreadsheet would run as formulas, unless
# --raw, for programs.
RAW = Option(
    "raw", ("--raw",), "CSV for programs: leave cells that look like formulas as they are.",
    switch=True, default=False,
)  # fmt: skip
RAW_IS_FOR_CSV = Check(
    lambda given: bool(given.get("raw")) and format_given(given, LISTING_FORMAT) != "csv",
    N_("--raw is for csv"), "--raw",
)  # fmt: skip

# What each listing command takes, in the order of its help; ``search`` has no short
# -f or -o, so that a query may start with "-".
# The output options, the same for every listing and for export: a format, and a file
# written whole or not at all, never over the registry.
LIST: Declared = (
    FILTERS, AS_OF, SORT, LISTING_FORMAT, OUTPUT, RAW, RAW_IS_FOR_CSV,
    *named_otherwise(LISTING_FORMAT),
)  # fmt: skip
SEARCH: Declared = (
    Argument("query", "QUERY", "Words to find, in any case, with or without accents."),
    FILTERS, AS_OF, SORT,
    format_option(LISTINGS, LISTING_HELP, Format.TABLE, short=False, by_name=True),
    OUTPUT._replace(flags=("--output",)), RAW, RAW_IS_FOR_CSV, *named_otherwise(LISTING_FORMAT),
)  # fmt: skip
QUIET = Option(
    "quiet", ("--quiet", "-q"), "Nothing on stderr but errors (for cron).", switch=True,
    default=False,
)  # fmt: skip
EXPIRING: Declared = (
    WITHIN, AS_OF, LISTING_FORMAT, OUTPUT, RAW, EXIT_CODE, QUIET, RAW_IS_FOR_CSV,
    *named_otherwise(LISTING_FORMAT),
)  # fmt: skip
# An agreement, by its id: what show, edit and the other commands on one agreement take.
ID = Argument("agreement_id", "ID", "The agreement's id.", identifier=True)
SHOW: Declared = (
    ID,
    AS_OF,
    format_option((Format.TABLE, Format.JSON), "table for people, json for scripts.", Format.TABLE),
    Option("explain", ("--explain",), "Say how each date was reached.", switch=True,
           default=False),
)  # fmt: skip
KINDS: Declared = (
    format_option(LISTINGS, N_("Output: table for people; csv, json, jsonl."), Format.TABLE),
)
DOCTOR: Declared = (
    AS_OF,
    Option("file_only", ("--file",), "Check only the file: integrity, search index, schema.",
           switch=True, default=False),
    QUIET,
)  # fmt: skip


def _server(text: str) -> tuple[str, int | None]:
    host, colon, port = text.strip().rpartition(":") if ":" in text else (text.strip(), "", "")
    if not host or (colon and not port.isdigit()) or (port and not 0 < int(port) < 65536):
        raise RelintError(_("not a mail server: {text!r}; use HOST or HOST:PORT").format(text=text))
    return host, int(port) if port else None


REMIND: Declared = (
    Option("steps", ("--steps",),
           "When to remind, before each notice deadline and end (default: 90d,30d,7d, or"
           " the settings' remind.steps).",
           "STEPS", parse=_late("relint.reminders:parse_steps")),
    AS_OF,
    Option("dry_run", ("--dry-run",), "Show what is due; record nothing.", switch=True,
           default=False),
    format_option((Format.TEXT, Format.JSON), "text for people (and cron), json for scripts.",
                  Format.TEXT),
    Option("sent", ("--sent",), "List the reminders sent, instead.", switch=True, default=False),
    Option("mail", ("--mail",), "Send the reminders by e-mail instead of printing them.",
           switch=True, default=False),
    Option("to", ("--to",), "A recipient (repeatable; implies --mail).", "ADDR", many=True,
           parse=_each(_late("relint.settings:address"))),
    Option("sender", ("--from",), "The sender's address.", "ADDR",
           parse=_late("relint.settings:address")),
    Option("smtp", ("--smtp",), "The mail server.", "HOST[:PORT]", parse=_server),
    QUIET,
)  # fmt: skip
HISTORY: Declared = (
    Argument(
        "agreement_id", "[ID]", "Only this agreement's history.", identifier=True, required=False
    ),
    format_option(
        (Format.TABLE, Format.JSON, Format.JSONL),
        "table for people; json or jsonl, with before and after.",
        Format.TABLE,
    ),
)


def parse_month(text: str) -> PartialDate:
    month = parse_date(text)
    if month.month is None or month.day is not None:
        raise RelintError(
            _("--month is a year and a month, such as 2026-11, not {text!r}").format(text=text)
        )
    return month


def _switch(param: str, flag: str, help: str) -> Option:
    return Option(param, (flag,), help, switch=True, default=False)


REPORT_FORMAT = format_option(
    (Format.MD, Format.HTML, Format.CSV, Format.JSON, Format.XLSX),
    N_("md, html, csv, json, or xlsx (a workbook); default: as the name of --output says, else"
       " md."), Format.MD, by_name=True,
)  # fmt: skip
LOOKAHEAD = Option(
    "lookahead", ("--lookahead",), "How far the period reaches: 90d, 6m, 1y...", "SPAN",
    parse=parse_window, default="90d",
)  # fmt: skip
REPORT: Declared = (
    Option("month", ("--month",), "The month to report on (default: this month).", "YYYY-MM",
           parse=_unless_empty(parse_month)),
    Option("as_of", ("--as-of",), "Start the period on this date instead of a month's first.",
           "DATE", parse=parse_as_of),
    LOOKAHEAD,
    REPORT_FORMAT,
    OUTPUT,
    RAW,
    QUIET,
    Check(lambda given: _both(given, "month", "as_of"), "give --month or --as-of, not both",
          "--as-of"),
    Check(lambda given: bool(given.get("raw")) and format_given(given, REPORT_FORMAT) != "csv",
          N_("--raw is for csv"), "--raw"),
    *named_otherwise(REPORT_FORMAT),
)  # fmt: skip
EXPORT_FORMAT = format_option(
    (Format.CSV, Format.TSV, Format.JSON, Format.JSONL, Format.ICS, Format.XLSX),
    N_("csv, tsv, json, jsonl, ics (a calendar), or xlsx (a workbook); default: as the name of"
       " --output says, else csv."), Format.CSV, by_name=True,
)  # fmt: skip
EXPORT: Declared = (
    EXPORT_FORMAT,
    OUTPUT,
    _switch("raw", "--raw", "Leave cells that look like formulas as they are."),
    _switch("excel", "--excel", "For Excel in an Italian locale: a BOM and ; separators."),
    FILTERS,
    AS_OF,
    Check(lambda given: bool(given.get("raw") or given.get("excel"))
          and format_given(given, EXPORT_FORMAT) not in ("csv", "tsv"),
          "--raw and --excel are for csv and tsv", "--format"),
    *named_otherwise(EXPORT_FORMAT),
)  # fmt: skip
IMPORT: Declared = (
    Option("fmt", ("--format", "-f"), "csv (also TSV), json or jsonl (default: by name).",
           parse=Format, choices=("csv", "json", "jsonl")),
    _switch("dry_run", "--dry-run", "Say what would be added or updated; write nothing."),
    _switch("update", "--update", "Rows with the id of an agreement update it."),
    Option("encoding", ("--encoding",),
           "The file's encoding (default: UTF-8), e.g. cp1252.", "NAME"),
    Option("sheet", ("--sheet",), "The sheet of a workbook to read (default: the first).",
           "NAME"),
    _switch("raw", "--raw", "Keep leading apostrophes (the file came from export --raw)."),
)  # fmt: skip


def _record_option(field: Field, flag: str, *, new: bool) -> Option:
    spec, value = field.spec, field.value
    many, switch = value.many, value.switch
    parse = value.given if spec.kept or many or switch else _unless_empty(value.given, blank=True)
    return Option(
        field.name,
        (flag,),
        spec.help,
        None if switch else spec.metavar,
        parse=parse,
        many=many,
        switch=switch,
        required=new and field.required,
        omitted=True,
    )


# The fields of a record as the options of add (``new``) and edit: those a new record
# must have first, then the others, in the record's order. The body takes those given.
_GIVEN = sorted(
    ((f, f.spec.option) for f in RECORD if f.spec.option), key=lambda given: not given[0].required
)
NEW_RECORD: Declared = tuple(_record_option(f, flag, new=True) for f, flag in _GIVEN)
CHANGES: Declared = tuple(_record_option(f, flag, new=False) for f, flag in _GIVEN)


RENEW: Declared = (
    Option("start", ("--start",), "Start of the new term (default: the old end).", "DATE",
           parse=_unless_empty(parse_date)),
    Option("duration", ("--duration",), "Length of the new term (default: the same).", "DUR",
           parse=_unless_empty(parse_duration)),
    Option("end", ("--end",), "End of the new term.", "DATE", parse=_unless_empty(parse_date)),
    Option("signed", ("--signed",), "Signing date of the renewal act, if any.", "DATE",
           parse=_unless_empty(parse_date)),
    Check(lambda given: _both(given, "duration", "end"), "give --duration or --end, not both",
          "--end"),
)  # fmt: skip
GIVE_NOTICE: Declared = (
    Option("on", ("--on",), "The day notice was given (not needed with --withdraw).", "DATE",
           parse=parse_date),
    Option("reason", ("--reason",), "Why.", "TEXT", parse=storable),
    Option("withdraw", ("--withdraw",), "Take back the notice given.", switch=True,
           default=False),
    Check(lambda given: bool(given.get("withdraw")) == (given.get("on") is not None),
          "give --on DATE, or --withdraw", "--on"),
)  # fmt: skip
SUSPEND: Declared = (
    Option("on", ("--on",), "The day it was suspended.", "DATE", parse=parse_date,
           required=True),
    Option("reason", ("--reason",), "Why.", "TEXT", parse=storable, required=True),
)  # fmt: skip
RESUME: Declared = (
    Option("on", ("--on",), "The day it resumed.", "DATE", parse=parse_date, required=True),
)
TERMINATE: Declared = (
    Option("on", ("--on",), "The date it ended.", "DATE", parse=parse_date, required=True),
    Option("reason", ("--reason",), "Why it was ended.", "TEXT", parse=storable, required=True),
)


def _port(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise RelintError(_("not a port: {text!r}; use a number from 1 to 65535").format(text=text))
    return int(text)


SERVE: Declared = (
    Option("host", ("--host",), "The address to listen on (default: this machine only).", "HOST",
           default="127.0.0.1"),
    Option("port", ("--port",), "The port to listen on.", "PORT", parse=_port, default="8001"),
    Option("allow_sql", ("--allow-sql",), "Let readers run their own SQL (read-only).",
           switch=True, default=False),
)  # fmt: skip


class Command(NamedTuple):
    """A command run by a body free of any framework, by the Typer app and the quick
    start alike: what it takes (``declared``), and its ``body``, ``module:function``,
    imported when the command runs. The body takes the command's ``Session`` and the
    values of ``declared``, parsed, and returns the exit code; its docstring is the
    command's help. ``loose``: a word that is no option of the command is an argument,
    even if it starts with "-"."""

    declared: Declared
    body: str
    loose: bool = False

    def function(self) -> Callable[..., int]:
        """The body, imported."""
        body: Callable[..., int] = imported(self.body)
        return body


# The commands people and cron run most: the quick start runs them without loading
# Typer (``relint.cli.quick``).
COMMANDS = {
    "list": Command(LIST, "relint.cli.answers:list_"),
    # A query may start with "-": read what is not an option of search as the query (and,
    # so that "-foo" is not "-f oo", search has no short -f or -o).
    "search": Command(SEARCH, "relint.cli.answers:search", loose=True),
    "expiring": Command(EXPIRING, "relint.cli.answers:expiring"),
    "remind": Command(REMIND, "relint.cli.reminding:remind"),
    "show": Command(SHOW, "relint.cli.answers:show"),
    "report": Command(REPORT, "relint.cli.answers:report"),
    "export": Command(EXPORT, "relint.cli.answers:export"),
    "history": Command(HISTORY, "relint.cli.answers:history"),
    "kinds": Command(KINDS, "relint.cli.answers:kinds"),
}
