// The JSON of every answer, written in one place (vigil/detail/answer_json.hpp; shapes: docs/json.md).
#include <vigil/detail/answer_json.hpp>

#include <vigil/compat.hpp>
#include <vigil/time.hpp>

#include <boost/json.hpp>

#include <charconv>
#include <map>

namespace vigil {
inline namespace v0 {
namespace detail::answer_json {

// ------------------------------------------------------------------------------------ writer

writer& writer::value(long long v) {
    sep();
    char buf[24];
    out_.append(buf, static_cast<std::size_t>(std::to_chars(buf, buf + sizeof buf, v).ptr - buf));
    comma_ = true;
    return *this;
}

writer& writer::value(unsigned long long v) {
    sep();
    char buf[24];
    out_.append(buf, static_cast<std::size_t>(std::to_chars(buf, buf + sizeof buf, v).ptr - buf));
    comma_ = true;
    return *this;
}

writer& writer::strings(std::string_view name, const std::vector<std::string>& v) {
    key(name).begin_array();
    for (const auto& s : v) value(s);
    return end_array();
}

// As boost::json::serialize escapes a string: '"' and '\\', the control characters (\b \t \n \f \r
// by name, the others as \u00xx), every other byte as it is.
void writer::string_text(std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    out_ += '"';
    const char* run = s.data();
    const char* end = s.data() + s.size();
    for (const char* c = run; c < end; ++c) {
        const auto u = static_cast<unsigned char>(*c);
        if (u >= 0x20 && u != '"' && u != '\\') continue;
        out_.append(run, static_cast<std::size_t>(c - run));
        run = c + 1;
        out_ += '\\';
        switch (u) {
            case '"': out_ += '"'; break;
            case '\\': out_ += '\\'; break;
            case '\b': out_ += 'b'; break;
            case '\t': out_ += 't'; break;
            case '\n': out_ += 'n'; break;
            case '\f': out_ += 'f'; break;
            case '\r': out_ += 'r'; break;
            default:
                out_ += "u00";
                out_ += hex[u >> 4];
                out_ += hex[u & 15];
        }
    }
    out_.append(run, static_cast<std::size_t>(end - run));
    out_ += '"';
}

// ------------------------------------------------------------------------------------ parts

namespace {

void patterns(writer& w, std::string_view name, const std::vector<actor_pattern>& v) {
    w.key(name).begin_array();
    for (const auto& p : v) w.begin_object().field("unit", p.unit).field("role", p.role).end_object();
    w.end_array();
}

void pattern_strings(writer& w, std::string_view name, const std::vector<actor_pattern>& v) {
    w.key(name).begin_array();
    for (const auto& x : v) w.value(to_string(x));
    w.end_array();
}

// Who proposes, approves, issues, is told: each actor as {unit, role}; "text" says it in words.
void authority_json(writer& w, std::string_view name, const authority& a) {
    w.key(name).begin_object().field("clause", a.clause);
    patterns(w, "proposer", a.proposer);
    patterns(w, "approver", a.approver);
    patterns(w, "issuer", a.issuer);
    w.strings("notify", a.notify).field("text", to_string(a)).end_object();
}

void hits(writer& w, const std::vector<rule_hit>& v) {
    w.key("rules").begin_array();
    for (const auto& h : v)
        w.begin_object()
            .field("clause", h.clause)
            .field("effect", h.effect)
            .field("because", h.because)
            .field("used", h.used)
            .field("note", h.note)
            .field("reading", h.reading)
            .field("reading_zh", h.reading_zh)
            .end_object();
    w.end_array();
}

void warning(writer& w, const warning_decision& d) {
    w.key("warning").begin_object().field("colour", to_string(d.colour)).field("number", d.number).field("name_zh", d.name_zh);
    hits(w, d.rules);
    authority_json(w, "issue", d.issue);
    w.field("content_clause", d.content_clause).strings("content_fields", d.content_fields).end_object();
}

void response(writer& w, const response_decision& d) {
    w.key("response").begin_object().field("level", d.level).field("base", d.base).field("name_zh", d.name_zh);
    hits(w, d.rules);
    authority_json(w, "start", d.start);
    w.end_object();
}

void calendar_json(writer& w, const calendar& c) {
    w.key("calendar").begin_object().field("source", c.source()).key("years").begin_array();
    for (int y : c.years()) w.value(y);
    w.end_array().field("provisional", c.is_provisional()).end_object();
}

void audit_fields(writer& w, const audit_entry& e) {
    w.field("status", to_string(e.status));
    if (e.reported_at)
        w.field("reported_utc", format_utc(*e.reported_at))
            .field("reported_local", format_local(*e.reported_at))
            .field("reported_time", unix_seconds(*e.reported_at));
    if (e.late_by) w.field("late_by_seconds", static_cast<long long>(e.late_by->total_seconds()));
    if (e.elapsed) w.field("elapsed_seconds", static_cast<long long>(e.elapsed->total_seconds()));
    w.strings("reports", e.reports).strings("missing_to", e.missing_to).field("finding", e.explanation);
}

int not_final(const obligation_due& d) { return !d.superseded && (d.provisional || d.calendar_unknown) ? 1 : 0; }

}  // namespace

void put_plan(writer& w, const plan& p) {
    w.field("plan", p.info.id).field("plan_version", p.info.version).field("plan_sha256", p.sha256);
}

void put_assessment(writer& w, const assessment& a) {
    w.field("grade", to_string(a.grade)).field("grade_zh", grade_zh(a.grade)).field("computed", to_string(a.computed));
    w.field("in_scope", a.in_scope);
    if (!a.in_scope) w.field("scope_note", a.scope_note);
    if (a.override_) {
        const auto& ov = *a.override_;
        w.key("override")
            .begin_object()
            .field("grade", to_string(ov.grade))
            .field("by", ov.by)
            .field("reason", ov.reason)
            .field("at", ov.at)
            .field("clause", ov.clause)
            .end_object();
    }
    w.key("matches").begin_array();
    for (const auto& m : a.matches) {
        w.begin_object().field("clause", m.what->clause).field("grade", to_string(m.what->grade)).key("decided").begin_array();
        for (const auto& d : m.decided) {
            w.begin_object().field("fact", d.name).field("value", d.value).field("bound", d.bound);
            if (!d.sum.empty()) w.field("sum", d.sum);
            w.end_object();
        }
        w.end_array().field("text", m.what->text).end_object();
    }
    w.end_array();
}

void put_obligation(writer& w, const obligation_due& d) {
    const auto& ob = *d.rule;
    auto when = [&w](std::string_view name, const instant& t) {
        std::string n(name);
        w.field(n + "_utc", format_utc(t)).field(n + "_local", format_local(t)).field(n + "_time", unix_seconds(t));
    };
    w.field("id", d.id).field("obligation", ob.id).field("occurrence", d.occurrence).field("clause", ob.clause);
    w.field("summary", ob.summary).strings("from", ob.from).strings("to", ob.to);
    w.field("channel", to_string(ob.channel)).field("timing", to_string(ob.timing));
    w.field("recurring", ob.every.has_value()).field("deadline", ob.deadline_text()).field("anchor", d.anchor);
    if (d.anchor_at) when("anchor", *d.anchor_at);
    if (d.period_start) when("period_start", *d.period_start);
    if (d.due) when("due", *d.due);
    w.field("restarted", d.restarted).field("superseded", d.superseded);
    if (d.superseded) w.field("superseded_by", d.superseded_by);
    w.field("provisional", d.provisional);
    if (d.calendar_unknown) w.field("calendar_unknown", d.calendar_unknown);
    else w.key("calendar_unknown").null();
    w.field("explanation", d.explanation);
}

// ------------------------------------------------------------------------------------ answers

void assessment_only(std::string& out, const assessment& a) {
    writer w(out);
    w.begin_object();
    put_assessment(w, a);
    w.end_object();
}

void decision_only(std::string& out, const decision& d) {
    writer w(out);
    w.begin_object();
    warning(w, d.warning);
    response(w, d.response);
    w.end_object();
}

void obligation_only(std::string& out, const obligation_due& d) {
    writer w(out);
    w.begin_object();
    put_obligation(w, d);
    w.end_object();
}

namespace {
// "{" and a row's own fields: its id and the --keep-column values (the full and the brief classification)
template <class Id, class Value>
void row_head(writer& w, const Id* id, const std::vector<std::string>* kept_names, const std::vector<Value>* kept_values) {
    w.begin_object();
    if (id) w.field("id", *id);
    if (kept_names && kept_values && !kept_names->empty()) {
        w.key("kept").begin_object();
        for (std::size_t k = 0; k < kept_names->size() && k < kept_values->size(); ++k)
            w.field((*kept_names)[k], (*kept_values)[k]);
        w.end_object();
    }
}
}  // namespace

void classification(std::string& out, const plan& p, const assessment& a, const decision& d, const std::string* id,
                    const std::vector<std::string>* kept_names, const std::vector<std::string>* kept_values) {
    writer w(out);
    row_head(w, id, kept_names, kept_values);
    put_plan(w, p);
    put_assessment(w, a);
    warning(w, d.warning);
    response(w, d.response);
    w.end_object();
}

void brief_open(std::string& out, const std::string_view* id, const std::vector<std::string>* kept_names,
                const std::vector<std::string_view>* kept_values) {
    writer w(out);
    row_head(w, id, kept_names, kept_values);
}

void brief_answer(std::string& out, const plan& p, grade g, bool in_scope, const grade_override* ov,
                  gsl::span<const std::uint64_t> matched, warning_colour warning, int response, bool after_fields) {
    if (after_fields) out += ',';
    writer w(out);
    put_plan(w, p);
    w.field("grade", to_string(g)).field("in_scope", in_scope);
    if (ov)
        w.key("override")
            .begin_object()
            .field("grade", to_string(ov->grade))
            .field("by", ov->by)
            .field("reason", ov->reason)
            .field("at", ov->at)
            .field("clause", ov->clause)
            .end_object();
    w.key("matches").begin_array();
    if (in_scope)
        for (std::size_t k = 0; k < matched.size(); ++k) {
            std::uint64_t bits = matched[k];
            if (k + 1 == matched.size()) bits &= ~out_of_scope_bit;
            while (bits) {
                const auto c = static_cast<std::size_t>(__builtin_ctzll(bits)) + 64 * k;
                bits &= bits - 1;
                if (c < p.criteria.size()) w.begin_object().field("clause", p.criteria[c].clause).end_object();
            }
        }
    w.end_array();
    w.key("warning").begin_object().field("colour", to_string(warning)).end_object();
    w.key("response").begin_object().field("level", response).end_object();
    out += '}';
}

void classification_brief(std::string& out, const plan& p, const assessment& a, const decision_levels& d,
                          const std::string* id, const std::vector<std::string>* kept_names,
                          const std::vector<std::string>* kept_values) {
    std::string_view idv = id ? std::string_view(*id) : std::string_view();
    std::vector<std::string_view> kept;
    if (kept_values) kept.assign(kept_values->begin(), kept_values->end());
    brief_open(out, id ? &idv : nullptr, kept_names, kept_values ? &kept : nullptr);
    const bool fields = id || (kept_names && kept_values && !kept_names->empty());
    brief_answer(out, p, a.grade, a.in_scope, a.override_ ? &*a.override_ : nullptr, a.matched_set, d.warning, d.response,
                 fields);
}

void obligation_row(std::string& out, const plan& p, const calendar& c, const obligation_due& d) {
    writer w(out);
    w.begin_object();
    put_plan(w, p);
    put_obligation(w, d);
    calendar_json(w, c);
    w.end_object();
}

void audit_row(std::string& out, const plan& p, const calendar& c, const audit_entry& e) {
    writer w(out);
    w.begin_object();
    put_plan(w, p);
    put_obligation(w, e.due);
    audit_fields(w, e);
    calendar_json(w, c);
    w.end_object();
}

void deadlines(std::string& out, const plan& p, const calendar& c, std::string_view incident,
               const std::vector<obligation_due>& rows) {
    int nf = 0;
    for (const auto& d : rows) nf += not_final(d);
    {
        writer w(out);
        w.begin_object();
        put_plan(w, p);
        w.field("incident", incident);
        calendar_json(w, c);
        w.field("not_final", nf).key("deadlines");
    }
    out += '[';
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (i) out += ',';
        obligation_row(out, p, c, rows[i]);  // each element is the row, byte for byte
    }
    out += "]}";
}

void audit(std::string& out, const plan& p, const calendar& c, std::string_view incident, instant as_of,
           const std::vector<audit_entry>& rows) {
    std::map<std::string, int> counts;
    int nf = 0;
    for (const auto& e : rows) {
        nf += not_final(e.due);
        ++counts[std::string(to_string(e.status))];
    }
    {
        writer w(out);
        w.begin_object();
        put_plan(w, p);
        w.field("incident", incident).field("as_of", unix_seconds(as_of)).field("as_of_local", format_local(as_of));
        calendar_json(w, c);
        w.field("not_final", nf).key("counts").begin_object();
        for (const auto& [k, n] : counts) w.field(k, n);
        w.end_object().key("entries");
    }
    out += '[';
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (i) out += ',';
        audit_row(out, p, c, rows[i]);  // each element is the row, byte for byte
    }
    out += "]}";
}

void incident_state(std::string& out, const plan& p, const incident& s) {
    writer w(out);
    w.begin_object();
    w.field("plan", s.plan_id).field("plan_version", s.plan_version);  // as the log's opening recorded them
    w.field("plan_sha256", p.sha256);                                  // the plan the log was replayed under
    w.field("incident", s.id);
    if (s.occurred_at) w.field("occurred_at", format_local(*s.occurred_at));
    w.field("state", s.state);
    const auto* st = p.lifecycle ? p.lifecycle->find_state(s.state) : nullptr;
    w.field("state_zh", st ? std::string_view(st->name_zh) : std::string_view());
    w.field("grade", to_string(s.grade)).field("warning", to_string(s.warning));
    if (p.warnings)
        if (const auto* l = p.warnings->find(s.warning)) w.field("warning_zh", l->name_zh);
    w.field("response", s.response);
    if (p.responses)
        if (const auto* l = p.responses->find(s.response)) w.field("response_zh", l->name_zh);
    w.key("history").begin_array();
    for (const auto& it : s.history) {
        w.begin_object().field("seq", it.seq).field("time", format_local(it.at));
        w.key("actor").begin_object().field("unit", it.actor.unit).field("role", it.actor.role).end_object();
        w.field("event", it.event).field("from", it.from).field("to", it.to).field("clause", it.clause);
        // the event's payload as recorded: compact JSON, as start() and apply() wrote it (not re-read)
        w.key("payload").raw(it.payload.empty() ? std::string_view("{}") : std::string_view(it.payload));
        w.end_object();
    }
    w.end_array().key("allowed_next").begin_array();
    for (const auto& a : allowed_next(p, s)) {
        w.begin_object().field("event", a.event).field("to", a.to).strings("conditions", a.conditions);
        pattern_strings(w, "by", a.by);
        w.key("endorsements").begin_array();
        for (const auto& e : a.endorsements) {
            w.begin_object().field("as", e.as);
            pattern_strings(w, "any", e.any);
            w.end_object();
        }
        w.end_array().field("clause", a.clause).field("row", a.row).end_object();
    }
    w.end_array().end_object();
}

// A roll-up's counts: [{fact, count, areas}], then the answer's end.
static void put_counts(writer& w, const spread_result& r) {
    for (const auto& c : r.counts) w.begin_object().field("fact", c.name).field("count", c.count).strings("areas", c.areas).end_object();
    w.end_array().end_object();
}

void rollup(std::string& out, const spread_result& r) {
    writer w(out);
    w.begin_object().key("facts").begin_object();
    for (std::size_t f = 0; f < fact_count; ++f) {
        auto fact = static_cast<vigil::fact>(f);
        if (is_boolean(fact)) w.field(to_string(fact), r.facts.value(fact) != 0);
        else w.field(to_string(fact), r.facts.value(fact));
    }
    w.field("product", to_string(r.facts.product)).end_object().key("counts").begin_array();
    put_counts(w, r);
}

void rollup(std::string& out, const plan& p, const spread_result& r) {
    writer w(out);
    w.begin_object();
    put_plan(w, p);
    w.key("facts").begin_object();
    for (const auto& f : p.facts) {
        const auto v = f.index < r.values.values.size() ? r.values.values[f.index] : 0;
        if (f.kind == fact_kind::sum) continue;
        if (f.kind == fact_kind::boolean) w.field(f.name, v != 0);
        else if (f.kind == fact_kind::grade) w.field(f.name, to_string(static_cast<grade>(v)));
        else w.field(f.name, v);
    }
    w.field("product", p.product_id(r.values.product)).end_object().key("counts").begin_array();
    put_counts(w, r);
}

void plan_info(std::string& out, const plan& p) {
    const auto& i = p.info;
    writer w(out);
    w.begin_object();
    put_plan(w, p);
    w.key("info").begin_object().field("id", i.id).field("name_zh", i.name_zh).field("name_en", i.name_en);
    w.field("issuer", i.issuer).field("level", i.level).key("scope").begin_array();
    for (auto prod : i.scope) w.value(p.product_id(prod));
    w.end_array().field("scope_clause", i.scope_clause).field("effective", i.effective).field("source", i.source);
    w.field("version", i.version).end_object();
    w.strings("grade_names_zh", std::vector<std::string>(p.grade_names_zh.begin(), p.grade_names_zh.end()));
    w.key("facts").begin_array();
    for (const auto& f : p.facts) {
        w.begin_object().field("index", f.index).field("name", f.name).field("kind", to_string(f.kind));
        w.field("label_zh", f.label_zh).field("label_en", f.label_en).field("optional", f.optional);
        if (f.kind == fact_kind::sum) {
            w.key("sum").begin_array();
            for (auto k : f.sum) w.value(p.facts[k].name);
            w.end_array();
        }
        if (f.spread)
            w.key("spread")
                .begin_object()
                .field("counted", to_string(f.spread->counted))
                .field("within", f.spread->within ? to_string(*f.spread->within) : std::string_view("nationwide"))
                .field("at_least", to_string(f.spread->at_least))
                .end_object();
        w.end_object();
    }
    w.end_array().key("products").begin_array();
    for (const auto& x : p.products)
        w.begin_object().field("id", x.id).field("label_zh", x.label_zh).field("label_en", x.label_en).end_object();
    w.end_array().field("match_words", p.match_words()).key("criteria").begin_array();
    for (const auto& c : p.criteria) {
        w.begin_object().field("index", c.index).field("clause", c.clause).field("grade", to_string(c.grade));
        w.field("expert", c.expert).field("text", c.text).field("reading", c.reading).field("reading_zh", c.reading_zh).key("any").begin_array();
        for (const auto& alt : c.any) {
            w.begin_array();
            for (const auto& cond : alt) w.value(cond.to_string());
            w.end_array();
        }
        w.end_array().end_object();
    }
    w.end_array().end_object();
}

void lint(std::string& out, const std::vector<lint_finding>& findings) {
    writer w(out);
    w.begin_array();
    for (const auto& f : findings)
        w.begin_object().field("kind", f.kind).strings("clauses", f.clauses).strings("facts", f.facts).field("message", f.message).end_object();
    w.end_array();
}

void report(std::string& out, const plan& p, const rendered_report& r) {
    writer w(out);
    w.begin_object();
    put_plan(w, p);
    w.field("clause", r.clause).field("text", r.text).strings("missing", r.missing).end_object();
}

void detected_cluster(std::string& out, const plan& p, const vigil::detected_cluster& c, const detect_alert* alert) {
    writer w(out);
    w.begin_object();
    if (alert) w.field("alert", alert->alert).field("trigger", alert->trigger).field("late", alert->late);
    put_plan(w, p);
    w.field("product_kind", p.product_id(c.product_kind)).field("product_id", c.product_id).field("product_name", c.product_name);
    w.field("product_key", c.product_key).field("batch", c.batch).field("area_code", c.area.to_string());
    w.field("area_level", to_string(c.area.level)).field("window_from", format_local(c.window_from)).field("window_to", format_local(c.window_to));
    w.field("grade", to_string(c.graded.grade)).field("grade_zh", grade_zh(c.graded.grade));
    w.field("reasons", c.graded.in_scope ? c.graded.reasons() : std::string("out of scope"));
    w.field("warning", to_string(c.levels.warning)).key("response");
    if (c.levels.response) w.value(c.levels.response);
    else w.null();
    if (p.detection)
        for (const auto& f : p.detection->facts) {
            if (p.facts[f.fact].kind == fact_kind::boolean) w.field(f.name, c.facts.values[f.fact] != 0);
            else w.field(f.name, c.facts.values[f.fact]);
        }
    for (const auto& f : p.facts)
        if (f.spread) w.field(f.name, c.facts.values[f.index]);
    w.key("spread").begin_array();
    for (const auto& s : c.spread) w.begin_object().field("fact", s.name).field("count", s.count).strings("areas", s.areas).end_object();
    w.end_array();
    w.field("patients", c.patients).field("reports", c.report_ids.size()).key("first_crossed").begin_object();
    for (int g = static_cast<int>(grade::I); g >= 1; --g)
        if (c.grade_first[g]) w.field(to_string(static_cast<grade>(g)), format_local(*c.grade_first[g]));
    for (int wc = 4; wc >= 1; --wc)
        if (c.warning_first[wc]) w.field(to_string(static_cast<warning_colour>(wc)), format_local(*c.warning_first[wc]));
    w.end_object().strings("report_ids", c.report_ids).end_object();
}

}  // namespace detail::answer_json
}  // namespace v0
}  // namespace vigil
