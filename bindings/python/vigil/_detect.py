"""From individual case reports to graded clusters: a detector fed reports in batches (docs/detect.md)."""
import ctypes
import datetime
import json

from . import _capi
from ._capi import lib
from ._core import Plan, _check, _take_string, _text, load_plan

_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
_TRUE = (True, 1, "true", "1")
_FALSE = (False, 0, "false", "0", None, "")


def _seconds(value, what):
    """An instant as seconds since the epoch: an int, an aware datetime, or ISO 8601 text with an offset."""
    if isinstance(value, bool):
        raise TypeError("%s: expected seconds, a datetime or ISO 8601 text, got %r" % (what, value))
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        text = value[:-1] + "+00:00" if value.endswith("Z") else value
        try:
            value = datetime.datetime.fromisoformat(text)
        except ValueError:
            raise ValueError("%s: %r is not ISO 8601 (2026-09-03T08:00:00+08:00)" % (what, value)) from None
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            raise ValueError("%s: %s has no offset; expected a time with its offset (+08:00, Z)" % (what, value.isoformat()))
        return (value - _EPOCH) // datetime.timedelta(seconds=1)
    raise TypeError("%s: expected seconds, a datetime or ISO 8601 text, got %s" % (what, type(value).__name__))


class Detector:
    """Case reports in arrival order; an alert the moment a cluster reaches a graver grade or warning.

    Detector(plan, max_delay_days=90, levels=None, keep_all=False):
      - plan: a Plan, or a built-in plan's id or a plan file (as load_plan);
      - max_delay_days: how long after the plan's window a report may still arrive (vigil watch
        --max-delay-days); keep_all=True holds every report instead (an archive: clusters() then
        answers what `vigil detect` answers);
      - levels: alert (and answer clusters) only at these levels ("street", "county", "prefecture",
        "province"); None: every level.

    feed(reports) takes an iterable of reports, each a dict (or an object with attributes) with the
    fields of `vigil detect`'s CSV: report_id, patient_id, product_kind (the plan's product id or its
    index), product_id, product_name, batch, onset_time, received_time (seconds, aware datetimes or
    ISO 8601 text), area_code, the flags (rare, death, life_threatening, disability, organ_damage,
    hospitalisation, congenital_anomaly, other_serious: True/False, 1/0 or "true"/"false"; absent:
    false), optionally maker, dosage_form, strength. A bad report raises vigil.Error naming its index
    and field, and no report of that batch is fed. It returns the alerts, each a dict (the JSON line
    `vigil watch` prints); feed_jsonl returns them as that text.
    One stream's state: use a detector from one thread at a time."""

    def __init__(self, plan, max_delay_days=90, levels=None, keep_all=False):
        self.plan = plan if isinstance(plan, Plan) else load_plan(plan)
        mask = 0
        for level in levels or ():
            try:
                mask |= 1 << _capi.AREA_LEVELS.index(level)
            except ValueError:
                raise ValueError("levels: %r is not one of %s" % (level, ", ".join(_capi.AREA_LEVELS))) from None
        h = _capi.detector_p()
        _check(lib.vigil_detector_create(ctypes.byref(h), self.plan._h,
                                         _capi.DETECTOR_KEEP_ALL if keep_all else int(max_delay_days), mask))
        self._h = h

    def __del__(self):
        h, self._h = getattr(self, "_h", None), None
        if h and lib is not None:
            lib.vigil_detector_free(h)

    def close(self):
        self.__del__()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _report(self, r, i):
        get = (lambda k, d=None: r.get(k, d)) if isinstance(r, dict) else (lambda k, d=None: getattr(r, k, d))
        keep = []

        def text(k, required=True):
            v = get(k)
            if v is None:
                return None
            b = _text(v, "reports[%d].%s" % (i, k))
            keep.append(b)
            return b

        kind = get("product_kind")
        if isinstance(kind, str):
            try:
                kind = self.plan.products.index(kind)
            except ValueError:
                raise ValueError("reports[%d].product_kind: %r is not one of the plan's products (%s)"
                                 % (i, kind, ", ".join(self.plan.products))) from None
        flags = 0
        for bit, name in enumerate(_capi.REPORT_FLAGS):
            v = get(name)
            if v in _TRUE:
                flags |= 1 << bit
            elif v not in _FALSE:
                raise ValueError("reports[%d].%s: expected true, false, 1 or 0, got %r" % (i, name, v))
        c = _capi.vigil_case_report(
            report_id=text("report_id"), patient_id=text("patient_id"),
            product_kind=-1 if kind is None else int(kind),
            product_id=text("product_id"), product_name=text("product_name"), batch=text("batch"),
            maker=text("maker"), dosage_form=text("dosage_form"), strength=text("strength"),
            onset_time=_seconds(get("onset_time"), "reports[%d].onset_time" % i),
            received_time=_seconds(get("received_time"), "reports[%d].received_time" % i),
            area_code=text("area_code"), flags=flags)
        return c, keep

    def feed_jsonl(self, reports):
        """Feed a batch; the alerts as JSON Lines text, byte for byte what `vigil watch` prints."""
        reports = list(reports)
        arr = (_capi.vigil_case_report * max(len(reports), 1))()
        keep = []
        for i, r in enumerate(reports):
            arr[i], k = self._report(r, i)
            keep.append(k)
        out = ctypes.c_void_p()
        n = ctypes.c_size_t()
        _check(lib.vigil_detector_feed(ctypes.byref(out), ctypes.byref(n), self._h, arr, len(reports)))
        return _take_string(out) or ""

    def feed(self, reports):
        """Feed a batch; the alerts it caused, each a dict."""
        return [json.loads(line) for line in self.feed_jsonl(reports).splitlines()]

    def clusters_jsonl(self, all=False):
        """The clusters of the reports held, as JSON Lines: byte for byte `vigil detect --out jsonl`."""
        out = ctypes.c_void_p()
        _check(lib.vigil_detector_clusters_json(ctypes.byref(out), self._h, 1 if all else 0))
        return _take_string(out) or ""

    def clusters(self, all=False):
        """The clusters of the reports held, each a dict, the gravest first."""
        return [json.loads(line) for line in self.clusters_jsonl(all).splitlines()]

    @property
    def counts(self):
        """{"taken", "duplicates", "too_late", "alerts", "kept"}."""
        c = _capi.vigil_detector_counts()
        _check(lib.vigil_detector_stats(ctypes.byref(c), self._h))
        return {name: getattr(c, name) for name, _ in c._fields_}
