"""Plans, classification (one cluster and batches of columns) and the spread roll-up."""
import array
import ctypes
import json

from . import _capi
from ._capi import lib

try:  # numpy is optional: used when present, never required
    import numpy as _np
except ImportError:  # pragma: no cover - depends on the machine
    _np = None


class Error(Exception):
    """A vigil call failed: `status` is a VIGIL_E* code (negative), `message` says what and where."""

    def __init__(self, status, message):
        self.status = status
        self.message = message
        super().__init__("%s (%d): %s" % (status_name(status), status, message))

    @property
    def status_name(self):
        return status_name(self.status)


def status_name(status):
    """vigil_status_string(status): "invalid plan", ..."""
    return lib.vigil_status_string(status).decode()


def _check(status):
    if status != _capi.OK:
        raise Error(status, lib.vigil_last_error().decode("utf-8", "replace"))


def _take_string(p):
    """Read and free a string the library returned through a char ** out-parameter."""
    if not p.value:
        return None
    try:
        return ctypes.string_at(p.value).decode("utf-8")
    finally:
        lib.vigil_string_free(p.value)


def _text(s, what):
    if s is None:
        return None
    if isinstance(s, bytes):
        return s
    if isinstance(s, str):
        return s.encode("utf-8")
    raise TypeError("%s: expected str, got %s" % (what, type(s).__name__))


def _enum(value, names, what):
    if isinstance(value, str):
        try:
            return names.index(value)
        except ValueError:
            raise ValueError("%s: %r is not one of %s" % (what, value, ", ".join(names))) from None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("%s: expected a name or an int, got %r" % (what, value))
    return value  # the library checks the range


def version():
    """The library's version string, e.g. "0.1.0"."""
    return lib.vigil_version_string().decode()


def version_number():
    return lib.vigil_version_number()


def builtin_plans():
    """The ids of the plans built into the library."""
    return [lib.vigil_builtin_plan_name(i).decode() for i in range(lib.vigil_builtin_plan_count())]


class Plan:
    """A loaded, validated, compiled plan. Immutable: share one between threads freely."""

    def __init__(self, handle):
        if not handle:
            raise ValueError("Plan() takes a handle; use Plan.builtin, Plan.from_file, Plan.from_json or load_plan")
        self._h = handle
        self.id = lib.vigil_plan_id(handle).decode()
        self.criteria = tuple(
            lib.vigil_plan_criterion_clause(handle, i).decode() for i in range(lib.vigil_plan_criterion_count(handle))
        )
        kinds = ("count", "boolean", "grade", "sum")
        #: the facts the plan declares, in its order: {"name", "kind", "label_zh", "label_en"}
        self.facts = tuple(
            {
                "name": lib.vigil_plan_fact_name(handle, i).decode(),
                "kind": kinds[lib.vigil_plan_fact_kind(handle, i)],
                "label_zh": lib.vigil_plan_fact_label(handle, i, b"zh").decode(),
                "label_en": lib.vigil_plan_fact_label(handle, i, b"en").decode(),
            }
            for i in range(lib.vigil_plan_fact_count(handle))
        )
        #: the products the plan declares, in its order (a product is its position)
        self.products = tuple(lib.vigil_plan_product_id(handle, i).decode() for i in range(lib.vigil_plan_product_count(handle)))

    @classmethod
    def builtin(cls, name):
        h = _capi.plan_p()
        _check(lib.vigil_plan_builtin(ctypes.byref(h), _text(name, "name")))
        return cls(h)

    @classmethod
    def from_file(cls, path):
        h = _capi.plan_p()
        _check(lib.vigil_plan_load_file(ctypes.byref(h), _text(str(path), "path")))
        return cls(h)

    @classmethod
    def from_json(cls, text, source=None):
        data = _text(text, "text")
        h = _capi.plan_p()
        _check(lib.vigil_plan_load_buffer(ctypes.byref(h), data, len(data), _text(source, "source")))
        return cls(h)

    def __del__(self):
        h, self._h = getattr(self, "_h", None), None
        if h and lib is not None:
            lib.vigil_plan_free(h)

    def __repr__(self):
        return "<vigil.Plan %s: %d criteria>" % (self.id, len(self.criteria))

    def info(self):
        """The plan as a dict: info, grade_names_zh, criteria (clause, grade, bounds, text, reading)."""
        out = ctypes.c_void_p()
        _check(lib.vigil_plan_info_json(ctypes.byref(out), self._h))
        return json.loads(_take_string(out))

    def classify(self, facts=None, override=None, modifiers=None, **kw):
        """Grade one cluster; see vigil.classify."""
        return classify(self, facts, override=override, modifiers=modifiers, **kw)

    def classify_batch(self, columns, products=None, matched=True):
        """Grade many clusters; see vigil.classify_batch."""
        return classify_batch(self, columns, products=products, matched=matched)

    def fact_index(self, name):
        """The position of the fact named `name` (or whose Chinese label is `name`)."""
        out = ctypes.c_size_t()
        _check(lib.vigil_plan_fact_index(ctypes.byref(out), self._h, _text(name, "name")))
        return out.value

    def classify_columns(self, columns, products=None, matched=True, decide=False):
        """Grade many clusters given by the plan's facts; see vigil.classify_columns."""
        return classify_columns(self, columns, products=products, matched=matched, decide=decide)

    def classify_batch_ex(self, columns, products=None, modifiers=None, matched=True):
        """Grade many clusters and decide their warnings and responses; see vigil.classify_batch_ex."""
        return classify_batch_ex(self, columns, products=products, modifiers=modifiers, matched=matched)

    def rollup(self, events, product, product_id, target):
        """The spread facts this plan declares, of area `target` for one product, from graded local
        events (vigil_rollup_values): as vigil.rollup, with the plan's products (self.products) and
        its own spread facts. Returns {"plan", "plan_version", "plan_sha256", "facts": {the plan's
        facts by name, "product"}, "counts": [{"fact", "count", "areas"}]}."""
        rows = _local_events(events, lambda p: self._product(p))
        arr = (_capi.vigil_local_event * len(rows))(*rows)
        out = ctypes.c_void_p()
        _check(
            lib.vigil_rollup_values(
                None, 0, ctypes.byref(out), self._h, arr, len(rows), self._product(product),
                _text(product_id, "product_id"), _text(target, "target"),
            )
        )
        return json.loads(_take_string(out))

    def _product(self, p):
        if isinstance(p, int) and not isinstance(p, bool):
            return p
        if p not in self.products:
            raise ValueError("product: expected one of %s, got %r" % (", ".join(self.products), p))
        return self.products.index(p)


def load_plan(id_or_path):
    """A built-in plan by id, or else a plan file."""
    if id_or_path in builtin_plans():
        return Plan.builtin(id_or_path)
    return Plan.from_file(id_or_path)


def _facts(facts, kw):
    d = dict(facts or {})
    d.update(kw)
    f = _capi.vigil_facts()
    for k, v in d.items():
        if k == "product":
            f.product = _enum(v, _capi.PRODUCTS, "product")
        elif k in _capi.FACTS:
            if k == "similar_cases_nearby":
                f.similar_cases_nearby = 1 if v else 0
            else:
                if isinstance(v, bool) or not isinstance(v, int) or v < 0 or v > 0xFFFFFFFF:
                    raise ValueError("%s: expected a count from 0 to 4294967295, got %r" % (k, v))
                setattr(f, k, v)
        else:
            raise ValueError("unknown fact %r; the facts are %s, product" % (k, ", ".join(_capi.FACTS)))
    return f


class Assessment:
    """The answer for one cluster, with its reasons.

    grade           final grade ("none", "IV", "III", "II", "I"): an override's if there is one
    computed_grade  from the criteria alone
    in_scope        False when the plan does not cover the product (not graded)
    winner          the clause that decided the grade, or None
    matches         every clause that matched, the winner first
    matched_bits    bit i: plan.criteria[i] matched (bit 63: out of scope)
    overridden      an expert override set the grade
    warning         the warning colour to issue ("none", "blue", "yellow", "orange", "red")
    warning_number  the plan's number of that warning (一级 = 1 …; 0: none / unnumbered)
    response        the response level to start (1 the highest … 4; 0: none)
    response_base   the level before the plan's raising / lowering rules
    explanation     the full reasons (dict): every match with the facts and bounds that decided it,
                    and "warning" / "response" with the rules that applied and who acts
    """

    __slots__ = ("grade", "computed_grade", "in_scope", "winner", "matches", "matched_bits", "overridden",
                 "warning", "warning_number", "response", "response_base", "explanation")

    def __init__(self, plan, a, explanation):
        self.grade = _capi.GRADES[a.grade]
        self.computed_grade = _capi.GRADES[a.computed_grade]
        self.in_scope = bool(a.in_scope)
        self.winner = plan.criteria[a.winner] if a.winner >= 0 else None
        self.matches = [m["clause"] for m in explanation["matches"]]
        self.matched_bits = a.matched
        self.overridden = bool(a.overridden)
        self.warning = _capi.WARNINGS[a.warning]
        self.warning_number = a.warning_number
        self.response = a.response
        self.response_base = a.response_base
        self.explanation = explanation

    def __repr__(self):
        return "<vigil.Assessment grade %s%s, warning %s, response %d>" % (
            self.grade, " by " + self.winner if self.winner else "", self.warning, self.response)


def _modifiers(modifiers):
    m = _capi.vigil_modifiers()
    for k, v in (modifiers or {}).items():
        if k == "possible_grade":
            m.possible_grade = _enum(v, _capi.GRADES, "possible_grade")
        elif k in _capi.MODIFIERS:
            setattr(m, k, 1 if v else 0)
        else:
            raise ValueError("unknown modifier %r; the modifiers are %s" % (k, ", ".join(_capi.MODIFIERS)))
    return m


def classify(plan, facts=None, override=None, modifiers=None, **kw):
    """Grade one cluster against `plan`, and decide its warning and response.

    facts: a dict (and/or keyword arguments) of fact name -> count (similar_cases_nearby: bool),
    and product ("drug" | "device"). Absent facts are 0.
    modifiers: the assessment's inputs, a dict: possible_grade ("none" … "I"), sensitive,
    key_period, spreading, wide_or_complex, controlled (bools).
    override: an expert determination, a dict with grade, by, reason and optionally at, clause.
    """
    f = _facts(facts, kw)
    a = _capi.vigil_assessment()
    out = ctypes.c_void_p()
    m = _modifiers(modifiers) if modifiers is not None else None
    o = None
    if override is not None:
        unknown = set(override) - {"grade", "by", "reason", "at", "clause"}
        if unknown:
            raise ValueError("unknown override field(s): %s" % ", ".join(sorted(unknown)))
        o = _capi.vigil_override(
            _enum(override.get("grade", "none"), _capi.GRADES, "override grade"),
            _text(override.get("by"), "by"),
            _text(override.get("reason"), "reason"),
            _text(override.get("at"), "at"),
            _text(override.get("clause"), "clause"),
        )
    _check(lib.vigil_classify_ex(ctypes.byref(a), ctypes.byref(out), plan._h, ctypes.byref(f),
                                 ctypes.byref(m) if m is not None else None, ctypes.byref(o) if o is not None else None))
    return Assessment(plan, a, json.loads(_take_string(out)))


# ----------------------------------------------------------------------------------------- batch


def _is_numpy(x):
    return _np is not None and isinstance(x, _np.ndarray)


def _column(values, n, typecode, itemsize, what, limit):
    """(keep-alive object, address) of `values` as a C array of n unsigned ints of `itemsize` bytes.

    Buffers of the right type (array.array, memoryview, numpy arrays, bytes for uint8) are used in
    place when they are C-contiguous; anything else is converted (and checked) into an array.array.
    """
    if n == 0:
        return None, None
    if _is_numpy(values):
        v = values
        if v.dtype.kind == "b":
            v = v.astype("u%d" % itemsize)
        elif v.dtype != _np.dtype("u%d" % itemsize):
            if v.dtype.kind not in "iu":
                raise TypeError("%s: expected integers, got numpy dtype %s" % (what, v.dtype))
            if v.size and (v.min() < 0 or v.max() > limit):
                raise ValueError("%s: values must be from 0 to %d" % (what, limit))
            v = v.astype("u%d" % itemsize)
        v = _np.ascontiguousarray(v)
        if v.ndim != 1 or v.shape[0] != n:
            raise ValueError("%s: expected %d values, got shape %s" % (what, n, v.shape))
        return v, v.ctypes.data
    try:
        m = memoryview(values)
    except TypeError:
        m = None
    if m is not None and m.ndim == 1 and m.c_contiguous and m.itemsize == itemsize and m.format.lstrip("@=") in ("B", "I", "L"):
        if len(m) != n:
            raise ValueError("%s: expected %d values, got %d" % (what, n, len(m)))
        if m.readonly:
            buf = (ctypes.c_char * (n * itemsize)).from_buffer_copy(m)
            return buf, ctypes.addressof(buf)
        buf = (ctypes.c_char * (n * itemsize)).from_buffer(m)
        return (buf, m), ctypes.addressof(buf)
    try:
        a = array.array(typecode, [int(x) for x in values])
    except OverflowError:
        raise ValueError("%s: values must be from 0 to %d" % (what, limit)) from None
    if len(a) != n:
        raise ValueError("%s: expected %d values, got %d" % (what, n, len(a)))
    if a.itemsize != itemsize:  # pragma: no cover - 'I' is 4 bytes on every supported platform
        raise RuntimeError("array('%s') is not %d bytes here" % (typecode, itemsize))
    buf = (ctypes.c_char * (n * itemsize)).from_buffer(a)
    return (buf, a), ctypes.addressof(buf)


def _length(values):
    if _is_numpy(values):
        return values.shape[0] if values.ndim else 0
    return len(values)


def classify_batch(plan, columns, products=None, matched=True):
    """Grade many clusters from columns: the fast path (one call into the library).

    columns: a dict of fact name -> a column of counts (array.array('I'), a memoryview of uint32,
             a numpy array, or any sequence of ints; similar_cases_nearby: bools or 0/1). A fact
             without a column is 0 for every cluster. Every column has the same length.
    products: None (all drug), or a column of 0/1 (bytes, array('B'), numpy uint8) or of
             "drug"/"device".
    Returns (grades, matched_bits): grades are enum values (0 none, 1 IV, 2 III, 3 II, 4 I; see
    vigil.GRADES), matched_bits the criteria sets (bit i: plan.criteria[i]; None when matched is
    False). numpy arrays when numpy is installed and a column is a numpy array; else array.array
    ('B' and 'Q').
    """
    grades, bits, _, _ = _batch(plan, columns, products, matched, None, False)
    return grades, bits


def classify_batch_ex(plan, columns, products=None, modifiers=None, matched=True):
    """classify_batch, and each cluster's warning and response (as classify() gives them).

    modifiers: a dict of modifier name -> a column (possible_grade: grade values 0..4 or names;
    the others: bools or 0/1); absent: none / false for every cluster.
    Returns (grades, matched_bits, warnings, responses): warnings are vigil.WARNINGS indices,
    responses levels (0 none, 1 … 4).
    """
    return _batch(plan, columns, products, matched, modifiers or {}, True)


def _batch(plan, columns, products, matched, modifiers, decide):
    unknown = set(columns) - set(_capi.FACTS)
    if unknown:
        raise ValueError("unknown fact column(s) %s; the facts are %s" % (", ".join(sorted(unknown)), ", ".join(_capi.FACTS)))
    if modifiers:
        unknown = set(modifiers) - set(_capi.MODIFIERS)
        if unknown:
            raise ValueError("unknown modifier column(s) %s; the modifiers are %s"
                             % (", ".join(sorted(unknown)), ", ".join(_capi.MODIFIERS)))
    lengths = {k: _length(v) for k, v in columns.items()}
    for k, v in (modifiers or {}).items():
        lengths[k] = _length(v)
    if products is not None:
        lengths["product"] = _length(products)
    if not lengths:
        raise ValueError("classify_batch needs at least one column (or products) to know how many clusters")
    n = next(iter(lengths.values()))
    if any(v != n for v in lengths.values()):
        raise ValueError("columns differ in length: %s" % ", ".join("%s=%d" % kv for kv in sorted(lengths.items())))

    keep = []
    ptrs = (ctypes.c_void_p * len(_capi.FACTS))()
    for i, name in enumerate(_capi.FACTS):
        if name in columns:
            k, addr = _column(columns[name], n, "I", 4, name, 0xFFFFFFFF)
            keep.append(k)
            ptrs[i] = addr
    prod_addr = None
    if products is not None:
        if not _is_numpy(products) and not isinstance(products, (bytes, bytearray, memoryview, array.array)):
            products = [_enum(p, _capi.PRODUCTS, "product") for p in products]
        k, prod_addr = _column(products, n, "B", 1, "product", 255)
        keep.append(k)
    mptrs = (ctypes.c_void_p * len(_capi.MODIFIERS))()
    for i, name in enumerate(_capi.MODIFIERS):
        if modifiers and name in modifiers:
            col = modifiers[name]
            if name == "possible_grade" and not _is_numpy(col) and not isinstance(
                    col, (bytes, bytearray, memoryview, array.array)):
                col = [_enum(g, _capi.GRADES, "possible_grade") for g in col]
            elif name != "possible_grade" and not _is_numpy(col) and not isinstance(
                    col, (bytes, bytearray, memoryview, array.array)):
                col = [1 if x else 0 for x in col]
            k, addr = _column(col, n, "B", 1, name, 255)
            keep.append(k)
            mptrs[i] = addr

    use_np = _np is not None and (any(_is_numpy(v) for v in columns.values()) or _is_numpy(products)
                                  or any(_is_numpy(v) for v in (modifiers or {}).values()))

    def out(code, size, wanted=True):
        if not wanted:
            return None, None
        if use_np:
            a = _np.zeros(n, dtype={"B": _np.uint8, "Q": _np.uint64}[code])
            return a, (a.ctypes.data if n else None)
        a = array.array(code, bytes(size * n))
        if not n:
            return a, None
        buf = (ctypes.c_char * (size * n)).from_buffer(a)
        keep.append(buf)
        return a, ctypes.addressof(buf)

    grades, g_addr = out("B", 1)
    bits, b_addr = out("Q", 8, matched)
    warnings, w_addr = out("B", 1, decide)
    responses, r_addr = out("B", 1, decide)
    _check(lib.vigil_classify_batch_ex(g_addr, b_addr, w_addr, r_addr, plan._h, n, ptrs, len(_capi.FACTS), prod_addr,
                                       mptrs, len(_capi.MODIFIERS)))
    del keep
    return grades, bits, warnings, responses


def classify_columns(plan, columns, products=None, matched=True, decide=False):
    """Grade many clusters given by the facts the plan declares (plan.facts): the fast path.

    columns: a dict of fact name (or Chinese label) -> a column of values (numpy arrays of uint32 or
             array.array('I') are read in place, without a copy; booleans, bools or 0/1; a grade
             fact, grade values 0..4 or names). A fact without a column is 0 / false / none.
    products: None (all the plan's first product), a column of product positions (uint8), or of
             product ids (plan.products).
    Returns a dict: "grades", "matched" (plan.match_words words a row, row-major; None when matched is
    False) and, when decide is true, "warnings" and "responses" (the modifiers are facts too).
    numpy arrays when numpy is installed and a column is a numpy array; else array.array.
    """
    index = {}
    for name in columns:
        i = plan.fact_index(name)
        if i in index.values():
            raise ValueError("fact %s is given twice (by its name and its label)" % plan.facts[i]["name"])
        index[name] = i
    lengths = {k: _length(v) for k, v in columns.items()}
    if products is not None:
        lengths["product"] = _length(products)
    if not lengths:
        raise ValueError("classify_columns needs at least one column (or products) to know how many clusters")
    n = next(iter(lengths.values()))
    if any(v != n for v in lengths.values()):
        raise ValueError("columns differ in length: %s" % ", ".join("%s=%d" % kv for kv in sorted(lengths.items())))
    keep = []
    ptrs = (ctypes.c_void_p * max(1, len(plan.facts)))()
    for name, col in columns.items():
        i = index[name]
        kind = plan.facts[i]["kind"]
        if kind == "sum":
            raise ValueError("%s is a sum of other facts: give its parts" % name)
        if not _is_numpy(col) and not isinstance(col, (memoryview, array.array)):
            if kind == "grade":
                col = [_enum(g, _capi.GRADES, name) for g in col]
            elif kind == "boolean":
                col = [1 if x else 0 for x in col]
        k, addr = _column(col, n, "I", 4, name, 0xFFFFFFFF)
        keep.append(k)
        ptrs[i] = addr
    prod_addr = None
    if products is not None:
        if not _is_numpy(products) and not isinstance(products, (bytes, bytearray, memoryview, array.array)):
            products = [_enum(p, plan.products, "product") for p in products]
        k, prod_addr = _column(products, n, "B", 1, "product", 255)
        keep.append(k)
    use_np = _np is not None and (any(_is_numpy(v) for v in columns.values()) or _is_numpy(products))
    words = lib.vigil_plan_match_words(plan._h)

    def out(code, size, count, wanted=True):
        if not wanted:
            return None, None
        if use_np:
            a = _np.zeros(count, dtype={"B": _np.uint8, "Q": _np.uint64}[code])
            return a, (a.ctypes.data if count else None)
        a = array.array(code, bytes(size * count))
        if not count:
            return a, None
        buf = (ctypes.c_char * (size * count)).from_buffer(a)
        keep.append(buf)
        return a, ctypes.addressof(buf)

    grades, g_addr = out("B", 1, n)
    bits, b_addr = out("Q", 8, n * words, matched)
    warnings, w_addr = out("B", 1, n, decide)
    responses, r_addr = out("B", 1, n, decide)
    _check(lib.vigil_classify_columns(g_addr, b_addr, w_addr, r_addr, plan._h, n, ptrs, len(plan.facts), prod_addr))
    del keep
    result = {"grades": grades, "matched": bits}
    if decide:
        result["warnings"] = warnings
        result["responses"] = responses
    return result


# ----------------------------------------------------------------------------------------- roll-up


def _local_events(events, product):
    """(product, product_id, area, grade) tuples or dicts as vigil_local_event rows; `product`
    gives a product's number."""
    rows = []
    for e in events:
        if isinstance(e, dict):
            e = (e["product"], e["product_id"], e["area"], e["grade"])
        p, pid, area, grade = e
        rows.append(
            _capi.vigil_local_event(product(p), _text(pid, "product_id"), _text(area, "area"), _enum(grade, _capi.GRADES, "grade"))
        )
    return rows


def rollup(events, product, product_id, target):
    """The spread facts of area `target` for one product from graded local events.

    events: an iterable of (product, product_id, area, grade) tuples or of dicts with those keys;
    product: "drug" | "device"; area codes are GB/T 2260 (6 digits, or 9 for a street).
    Returns a dict: {"facts": {fact: value, ..., "product": ...}, "counts": [{"fact", "count", "areas"}]}.
    """
    rows = _local_events(events, lambda p: _enum(p, _capi.PRODUCTS, "product"))
    arr = (_capi.vigil_local_event * len(rows))(*rows)
    f = _capi.vigil_facts()
    out = ctypes.c_void_p()
    _check(
        lib.vigil_rollup(
            ctypes.byref(f),
            ctypes.byref(out),
            arr,
            len(rows),
            _enum(product, _capi.PRODUCTS, "product"),
            _text(product_id, "product_id"),
            _text(target, "target"),
        )
    )
    return json.loads(_take_string(out))
