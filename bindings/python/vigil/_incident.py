"""The working-day calendar, reporting deadlines and their audit, and an incident's lifecycle."""
import ctypes
import datetime
import json
import os

from . import _capi
from ._capi import lib
from ._core import Plan, _check, _take_string, _text

LOCAL = datetime.timezone(datetime.timedelta(hours=8), "Asia/Shanghai")  # the plans' local time


def _seconds(t, what):
    """Seconds since the epoch from an int, an aware datetime, an ISO 8601 string with an offset,
    or a date (its local midnight, Asia/Shanghai)."""
    if isinstance(t, bool):
        raise TypeError("%s: expected a time, got %r" % (what, t))
    if isinstance(t, int):
        return t
    if isinstance(t, str):
        t = datetime.datetime.fromisoformat(t.replace("Z", "+00:00"))
    if isinstance(t, datetime.datetime):
        if t.tzinfo is None:
            raise ValueError("%s: a datetime needs a time zone (the plans' is UTC+8)" % what)
        return int(t.timestamp())
    if isinstance(t, datetime.date):
        return int(datetime.datetime(t.year, t.month, t.day, tzinfo=LOCAL).timestamp())
    raise TypeError("%s: expected a time, got %r" % (what, t))


class Calendar:
    """The official working-day calendar (Asia/Shanghai). Immutable; share it between threads."""

    def __init__(self, handle):
        if not handle:
            raise ValueError("Calendar() takes a handle; use Calendar.builtin, from_file or from_csv")
        self._h = handle

    @classmethod
    def builtin(cls):
        h = _capi.calendar_p()
        _check(lib.vigil_calendar_builtin(ctypes.byref(h)))
        return cls(h)

    @classmethod
    def from_file(cls, path):
        h = _capi.calendar_p()
        _check(lib.vigil_calendar_load_file(ctypes.byref(h), _text(os.fspath(path), "path")))
        return cls(h)

    @classmethod
    def from_csv(cls, text, source=None):
        data = _text(text, "text")
        h = _capi.calendar_p()
        _check(lib.vigil_calendar_load_buffer(ctypes.byref(h), data, len(data), _text(source, "source")))
        return cls(h)

    def __del__(self):
        h, self._h = getattr(self, "_h", None), None
        if h and lib is not None:
            lib.vigil_calendar_free(h)

    def provisional(self):
        """This calendar, answering the days it lacks (a year without its notice, and the last week
        of December before such a year) from weekends and the fixed-date statutory holidays
        (元旦 1月1日, 劳动节 5月1日–2日, 国庆节 10月1日–3日); deadlines resting on such days are
        marked "provisional": true. The lunar holidays are unknown without the notice."""
        h = _capi.calendar_p()
        _check(lib.vigil_calendar_provisional(ctypes.byref(h), self._h))
        return Calendar(h)

    def is_working_day(self, day):
        """Whether a date (or the local date of a time) is a working day. vigil.Error
        (out of range) for a year the calendar does not cover."""
        out = ctypes.c_int()
        _check(lib.vigil_calendar_is_working_day(ctypes.byref(out), self._h, _seconds(day, "day")))
        return bool(out.value)

    def add_working_days(self, day, n):
        """The n-th working day after (n > 0) or before (n < 0) a date, as a date."""
        out = ctypes.c_int64()
        _check(lib.vigil_calendar_add_working_days(ctypes.byref(out), self._h, _seconds(day, "day"), int(n)))
        return datetime.datetime.fromtimestamp(out.value, LOCAL).date()


def _timeline_bytes(timeline):
    if isinstance(timeline, dict):
        return json.dumps(timeline, ensure_ascii=False).encode("utf-8")
    if isinstance(timeline, os.PathLike):
        with open(timeline, "rb") as f:
            return f.read()
    return _text(timeline, "timeline")


def deadlines(plan, timeline, as_of=None, calendar=None, provisional=False):
    """The reports a timeline makes owed under the plan: a dict {"plan", "incident", "calendar":
    {"source", "years", "provisional"}, "not_final", "deadlines": […]}.

    timeline: JSON text, a dict, or a path (os.PathLike) of a timeline file.
    as_of: the time asked about (int seconds, aware datetime, ISO string); None: the last event.
    calendar: a vigil.Calendar; None: the built-in one.
    provisional: answer due dates in years the calendar lacks provisionally (Calendar.provisional());
    without it such a row alone is refused: "calendar_unknown" names the year, it has no due time.
    """
    if provisional:
        calendar = (calendar or Calendar.builtin()).provisional()
    data = _timeline_bytes(timeline)
    out = ctypes.c_void_p()
    _check(lib.vigil_deadlines_json(ctypes.byref(out), plan._h, calendar._h if calendar else None, data, len(data),
                                    _capi.TIME_NONE if as_of is None else _seconds(as_of, "as_of")))
    return json.loads(_take_string(out))


def audit(plan, timeline, as_of, calendar=None, provisional=False):
    """The timeline's reports held against its deadlines as of `as_of` (required):
    a dict {"plan", "incident", "as_of", "calendar", "not_final", "counts", "entries": [… "status",
    "late_by_seconds" …]}. provisional: as for deadlines()."""
    if provisional:
        calendar = (calendar or Calendar.builtin()).provisional()
    data = _timeline_bytes(timeline)
    out = ctypes.c_void_p()
    _check(lib.vigil_audit_json(ctypes.byref(out), plan._h, calendar._h if calendar else None, data, len(data),
                                _seconds(as_of, "as_of")))
    return json.loads(_take_string(out))


class Incident:
    """An incident kept in an append-only, hash-chained event log file.

    One writer's handle: use it from one thread (give each thread its own); processes may share the
    file. Events are dicts (or JSON text): {"event", "time", "actor": {"unit", "role"}, "payload"}.
    """

    def __init__(self, handle, plan):
        if not handle:
            raise ValueError("Incident() takes a handle; use Incident.create or Incident.open")
        self._h = handle
        self.plan = plan

    @classmethod
    def create(cls, path, plan, incident_id, time, unit, role=None, occurred_at=None):
        """Create a new log, opened at `time` (on receipt, 接报) by `unit` / `role`.

        occurred_at: when the incident occurred (事发; a time as for `time`, not after it); None: not
        known. The log then read as a timeline (vigil.deadlines(plan, pathlib.Path(path))) owes the
        reports whose clocks run from the occurrence (事发后…)."""
        h = _capi.incident_p()
        _check(lib.vigil_incident_create_v2(ctypes.byref(h), plan._h, _text(os.fspath(path), "path"),
                                            _text(incident_id, "incident_id"), _seconds(time, "time"),
                                            _capi.TIME_NONE if occurred_at is None else _seconds(occurred_at, "occurred_at"),
                                            _text(unit, "unit"), _text(role, "role")))
        return cls(h, plan)

    @classmethod
    def open(cls, path, plan=None):
        """Open a log; without `plan`, the built-in plan its opening record names."""
        if plan is None:
            plan = Plan.builtin(cls.plan_id(path))
        h = _capi.incident_p()
        _check(lib.vigil_incident_open(ctypes.byref(h), plan._h, _text(os.fspath(path), "path")))
        return cls(h, plan)

    @staticmethod
    def plan_id(path):
        """The id of the plan a log's opening record names."""
        out = ctypes.c_void_p()
        _check(lib.vigil_incident_plan_id(ctypes.byref(out), _text(os.fspath(path), "path")))
        return _take_string(out)

    def close(self):
        h, self._h = getattr(self, "_h", None), None
        if h and lib is not None:
            lib.vigil_incident_free(h)

    __del__ = close

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _handle(self):
        if not self._h:
            raise ValueError("the incident is closed")
        return self._h

    def apply(self, event):
        """Fire one event; once durable, the new state (dict). vigil.Error with status -7
        (refused) says why the plan does not allow it; the incident is then unchanged."""
        data = json.dumps(event, ensure_ascii=False).encode("utf-8") if isinstance(event, dict) else _text(event, "event")
        out = ctypes.c_void_p()
        _check(lib.vigil_incident_apply(ctypes.byref(out), self._handle(), data, len(data)))
        return json.loads(_take_string(out))

    def state(self):
        """The incident (dict): state, grade, warning, response, history, allowed next events."""
        out = ctypes.c_void_p()
        _check(lib.vigil_incident_state_json(ctypes.byref(out), self._handle()))
        return json.loads(_take_string(out))


def replay(plan, log_text):
    """The state (dict) a log's text replays to under `plan` (no file, no lock)."""
    data = _text(log_text, "log_text")
    out = ctypes.c_void_p()
    _check(lib.vigil_incident_replay_json(ctypes.byref(out), plan._h, data, len(data)))
    return json.loads(_take_string(out))
