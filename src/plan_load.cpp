// Loading a plan: parse (Boost.JSON, bounded size and depth) -> validate every section, collecting
// every problem -> compile. Each top-level section has its loader in the section table below.
#include "detail/loader.hpp"

#include <vigil/compat.hpp>
#include <vigil/plan.hpp>
#include <vigil/detail/json_check.hpp>
#include <vigil/event_log.hpp>  // sha256_hex

#include <algorithm>
#include <set>
#include <sstream>

namespace vigil {
inline namespace v0 {
namespace detail {

// ------------------------------------------------------------------------------------ loader

void loader::fail(const std::string& pointer, std::string message) {
    diagnostic d;
    d.source = source_;
    d.pointer = pointer.empty() ? "/" : pointer;
    d.message = std::move(message);
    diags_.push_back(std::move(d));
}

void loader::fail(const std::string& pointer, std::string_view id, message_args args) {
    diags_.push_back(diagnostic::of(source_, 0, 0, pointer.empty() ? "/" : pointer, id, std::move(args)));
}

std::string_view loader::kind(const json::value& v) noexcept {
    switch (v.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "a boolean";
    case json::kind::int64:
    case json::kind::uint64: return "an integer";
    case json::kind::double_: return "a number with a fraction";
    case json::kind::string: return "a string";
    case json::kind::array: return "an array";
    case json::kind::object: return "an object";
    }
    return "a value";
}

std::string_view loader::kind_id(const json::value& v) noexcept {
    switch (v.kind()) {
    case json::kind::null: return "kind.null";
    case json::kind::bool_: return "kind.bool";
    case json::kind::int64:
    case json::kind::uint64: return "kind.integer";
    case json::kind::double_: return "kind.fraction";
    case json::kind::string: return "kind.string";
    case json::kind::array: return "kind.array";
    case json::kind::object: return "kind.object";
    }
    return "kind.value";
}

std::string loader::child(const std::string& ptr, std::string_view key) {
    std::string s = ptr + '/';
    for (char c : key) {
        if (c == '~') s += "~0";
        else if (c == '/') s += "~1";
        else s += c;
    }
    return s;
}

std::string loader::child(const std::string& ptr, std::size_t index) { return ptr + '/' + std::to_string(index); }

namespace {
std::string join(std::initializer_list<std::string_view> names) {
    std::string s;
    for (auto n : names) {
        if (!s.empty()) s += ", ";
        s += n;
    }
    return s;
}
}  // namespace

const json::object* loader::object(const json::value& v, const std::string& ptr,
                                   std::initializer_list<std::string_view> allowed,
                                   std::initializer_list<std::string_view> required) {
    const auto* o = v.if_object();
    if (!o) {
        fail(ptr, "plan.expected_object", {{"found", std::string(kind_id(v))}});
        return nullptr;
    }
    for (const auto& kv : *o) {
        if (std::find(allowed.begin(), allowed.end(), std::string_view(kv.key())) == allowed.end())
            fail(child(ptr, kv.key()), "plan.unknown_field", {{"field", std::string(kv.key())}, {"known", join(allowed)}});
    }
    for (auto r : required)
        if (!o->contains(r)) fail(ptr, "plan.missing_field", {{"field", std::string(r)}});
    return o;
}

const json::array* loader::array(const json::value& v, const std::string& ptr) {
    const auto* a = v.if_array();
    if (!a) fail(ptr, "plan.expected_array", {{"found", std::string(kind_id(v))}});
    return a;
}

std::optional<std::string> loader::string(const json::object& o, std::string_view key, const std::string& ptr,
                                          bool required) {
    const auto* v = o.if_contains(key);
    if (!v) {
        if (required) fail(ptr, "plan.missing_string", {{"field", std::string(key)}});
        return std::nullopt;
    }
    const auto* s = v->if_string();
    if (!s) {
        fail(child(ptr, key), "plan.expected_string", {{"found", std::string(kind_id(*v))}});
        return std::nullopt;
    }
    return std::string(s->data(), s->size());
}

void loader::reading(const json::object& o, const std::string& ptr, std::string& en, std::string& zh) {
    en.clear();
    zh.clear();
    const auto* v = o.if_contains("reading");
    if (!v) return;
    if (v->is_string()) {  // the form every plan wrote before: English
        en = std::string(v->get_string());
        return;
    }
    const std::string rptr = child(ptr, "reading");
    if (!v->is_object()) {
        fail(rptr, "plan.expected_reading", {{"found", std::string(kind_id(*v))}});
        return;
    }
    if (const auto* ro = object(*v, rptr, {"en", "zh"}, {"en", "zh"})) {
        en = string(*ro, "en", rptr, false).value_or("");
        zh = string(*ro, "zh", rptr, false).value_or("");
    }
}

std::optional<std::int64_t> loader::integer(const json::object& o, std::string_view key, const std::string& ptr,
                                            bool required, std::int64_t min, std::int64_t max) {
    const auto* v = o.if_contains(key);
    if (!v) {
        if (required) fail(ptr, "plan.missing_integer", {{"field", std::string(key)}});
        return std::nullopt;
    }
    std::int64_t x = 0;
    if (const auto* i = v->if_int64()) {
        x = *i;
    } else if (const auto* u = v->if_uint64()) {
        if (*u > static_cast<std::uint64_t>(INT64_MAX)) {
            fail(child(ptr, key), "plan.integer_too_large", {{"max", std::to_string(max)}});
            return std::nullopt;
        }
        x = static_cast<std::int64_t>(*u);
    } else {
        fail(child(ptr, key), "plan.expected_integer", {{"found", std::string(kind_id(*v))}});
        return std::nullopt;
    }
    if (x < min || x > max) {
        fail(child(ptr, key), "plan.integer_range",
             {{"min", std::to_string(min)}, {"max", std::to_string(max)}, {"found", std::to_string(x)}});
        return std::nullopt;
    }
    return x;
}

std::optional<bool> loader::boolean(const json::object& o, std::string_view key, const std::string& ptr,
                                    bool required) {
    const auto* v = o.if_contains(key);
    if (!v) {
        if (required) fail(ptr, "plan.missing_bool", {{"field", std::string(key)}});
        return std::nullopt;
    }
    const auto* b = v->if_bool();
    if (!b) {
        fail(child(ptr, key), "plan.expected_bool", {{"found", std::string(kind_id(*v))}});
        return std::nullopt;
    }
    return *b;
}

const json::array* loader::array(const json::object& o, std::string_view key, const std::string& ptr,
                                 bool required) {
    const auto* v = o.if_contains(key);
    if (!v) {
        if (required) fail(ptr, "plan.missing_array", {{"field", std::string(key)}});
        return nullptr;
    }
    return array(*v, child(ptr, key));
}

std::optional<std::string> loader::one_of(const json::object& o, std::string_view key, const std::string& ptr,
                                          std::initializer_list<std::string_view> choices, bool required) {
    auto s = string(o, key, ptr, required);
    if (!s) return s;
    if (std::find(choices.begin(), choices.end(), std::string_view(*s)) == choices.end()) {
        fail(child(ptr, key), "plan.expected_one_of", {{"known", join(choices)}, {"found", *s}});
        return std::nullopt;
    }
    return s;
}

std::vector<std::string> strings(const json::object& o, std::string_view key, const std::string& ptr, loader& ld,
                                 bool required) {
    std::vector<std::string> out;
    const auto* a = ld.array(o, key, ptr, required);
    if (!a) return out;
    for (std::size_t i = 0; i < a->size(); ++i) {
        if (const auto* s = (*a)[i].if_string()) out.emplace_back(s->data(), s->size());
        else ld.fail(loader::child(loader::child(ptr, key), i), "plan.expected_string", {{"found", std::string(loader::kind_id((*a)[i]))}});
    }
    return out;
}

// ------------------------------------------------------------------------------------ grading

namespace {

void load_condition(const json::value& v, const std::string& ptr, const fact_def& f, loader& ld, condition& c) {
    c.fact = f.index;
    c.name = f.name;
    const auto* o = ld.object(v, ptr, {"ge", "gt", "le", "lt", "eq", "is"});
    if (!o) return;
    if (o->empty()) {
        ld.fail(ptr, "plan.no_bound", {});
        return;
    }
    if (f.kind == fact_kind::grade) {
        ld.fail(ptr, "plan.bound_on_grade", {{"fact", f.name}});
        return;
    }
    if (f.kind == fact_kind::boolean) {
        if (o->size() != 1 || !o->contains("is")) {
            ld.fail(ptr, "plan.boolean_needs_is", {{"fact", f.name}});
            return;
        }
        c.is = ld.boolean(*o, "is", ptr);
        if (c.is) c.lo = c.hi = *c.is ? 1 : 0;
        return;
    }
    if (o->contains("is")) {
        ld.fail(loader::child(ptr, "is"), "plan.is_on_count", {{"fact", f.name}, {"kind", std::string(to_string(f.kind))}});
        return;
    }
    constexpr std::int64_t max = UINT32_MAX;
    c.ge = ld.integer(*o, "ge", ptr, false, 0, max);
    c.gt = ld.integer(*o, "gt", ptr, false, 0, max - 1);
    c.le = ld.integer(*o, "le", ptr, false, 0, max);
    c.lt = ld.integer(*o, "lt", ptr, false, 1, max);
    c.eq = ld.integer(*o, "eq", ptr, false, 0, max);
    if (c.eq && o->size() != 1) {
        ld.fail(ptr, "plan.eq_combined", {});
        return;
    }
    if (c.ge && c.gt) ld.fail(ptr, "plan.two_lower_bounds", {});
    if (c.le && c.lt) ld.fail(ptr, "plan.two_upper_bounds", {});
    std::int64_t lo = 0, hi = max;
    if (c.eq) lo = hi = *c.eq;
    if (c.ge) lo = *c.ge;
    if (c.gt) lo = *c.gt + 1;
    if (c.le) hi = *c.le;
    if (c.lt) hi = *c.lt - 1;
    if (lo > hi) {
        ld.fail(ptr, "plan.empty_interval", {{"bounds", c.to_string()}});
        return;
    }
    c.lo = static_cast<std::uint32_t>(lo);
    c.hi = static_cast<std::uint32_t>(hi);
}

}  // namespace

void load_grading(const json::value& v, loader& ld, plan& p) {
    const std::string ptr = "/grading";
    const auto* o = ld.object(v, ptr, {"clause", "names", "criteria"}, {"criteria"});
    if (!o) return;
    ld.string(*o, "clause", ptr, false);
    if (const auto* n = o->if_contains("names")) {
        const std::string nptr = loader::child(ptr, "names");
        if (const auto* no = ld.object(*n, nptr, {"I", "II", "III", "IV"}, {"I", "II", "III", "IV"})) {
            for (auto g : {grade::I, grade::II, grade::III, grade::IV})
                if (auto s = ld.string(*no, to_string(g), nptr, false)) p.grade_names_zh[static_cast<int>(g)] = *s;
        }
    }
    const auto* crit = ld.array(*o, "criteria", ptr);
    if (!crit) return;
    const std::string cptr = loader::child(ptr, "criteria");
    if (crit->empty()) ld.fail(cptr, "plan.no_criteria", {});
    std::set<std::string> seen;
    for (std::size_t i = 0; i < crit->size(); ++i) {
        const std::string iptr = loader::child(cptr, i);
        const auto* co = ld.object((*crit)[i], iptr, {"clause", "grade", "text", "any", "expert", "reading"},
                                   {"clause", "grade", "text"});
        if (!co) continue;
        criterion c;
        if (auto s = ld.string(*co, "clause", iptr)) {
            c.clause = *s;
            if (c.clause.empty()) ld.fail(loader::child(iptr, "clause"), "plan.empty_clause", {});
            else if (!seen.insert(c.clause).second)
                ld.fail(loader::child(iptr, "clause"), "plan.duplicate_clause", {{"clause", c.clause}});
        }
        if (auto g = ld.one_of(*co, "grade", iptr, {"I", "II", "III", "IV"})) c.grade = *parse_grade(*g);
        if (auto s = ld.string(*co, "text", iptr)) c.text = *s;
        ld.reading(*co, iptr, c.reading, c.reading_zh);
        c.expert = ld.boolean(*co, "expert", iptr, false).value_or(false);
        const auto* any = co->if_contains("any");
        if (c.expert && any) ld.fail(loader::child(iptr, "any"), "plan.expert_with_any", {});
        if (!c.expert && !any) ld.fail(iptr, "plan.missing_any", {});
        if (any && !c.expert) {
            const std::string aptr = loader::child(iptr, "any");
            if (const auto* alts = ld.array(*any, aptr)) {
                if (alts->empty()) ld.fail(aptr, "plan.no_alternative", {});
                for (std::size_t j = 0; j < alts->size(); ++j) {
                    const std::string jptr = loader::child(aptr, j);
                    const auto* ao = (*alts)[j].if_object();
                    if (!ao) {
                        ld.fail(jptr, "plan.expected_bounds_object", {{"found", std::string(loader::kind_id((*alts)[j]))}});
                        continue;
                    }
                    if (ao->empty()) ld.fail(jptr, "plan.no_fact_bound", {});
                    std::vector<condition> all;
                    for (const auto& kv : *ao) {
                        const std::string fptr = loader::child(jptr, kv.key());
                        const fact_def* f = p.find_fact(kv.key());
                        if (!f || f->name != std::string_view(kv.key())) {
                            ld.fail(fptr, "plan.unknown_fact_declared", {{"fact", std::string(kv.key())}, {"known", p.fact_names_arg()}});
                            continue;
                        }
                        condition cond;
                        load_condition(kv.value(), fptr, *f, ld, cond);
                        all.push_back(std::move(cond));
                    }
                    c.any.push_back(std::move(all));
                }
            }
        }
        p.criteria.push_back(std::move(c));
    }
    // Graver grades first, the plan's order within a grade: the winner is the first match.
    std::stable_sort(p.criteria.begin(), p.criteria.end(),
                     [](const criterion& a, const criterion& b) { return a.grade > b.grade; });
    for (std::size_t i = 0; i < p.criteria.size(); ++i) p.criteria[i].index = static_cast<std::uint32_t>(i);
}

// ------------------------------------------------------------------------------------ facts, products

namespace {

bool good_name(std::string_view s) {
    if (s.empty() || s.size() > 64 || (s[0] >= '0' && s[0] <= '9')) return false;
    for (char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
    return true;
}

// {"zh": …, "en": …}, both required
void load_label(const json::object& o, const std::string& ptr, loader& ld, std::string& zh, std::string& en) {
    const auto* l = o.if_contains("label");
    if (!l) {
        ld.fail(ptr, "plan.missing_label", {});
        return;
    }
    const std::string lptr = loader::child(ptr, "label");
    if (const auto* lo = ld.object(*l, lptr, {"zh", "en"}, {"zh", "en"})) {
        zh = ld.string(*lo, "zh", lptr, false).value_or("");
        en = ld.string(*lo, "en", lptr, false).value_or("");
        if (lo->contains("zh") && zh.empty()) ld.fail(loader::child(lptr, "zh"), "plan.empty_label", {});
    }
}

// Names a fact may not take: the other columns of a cluster's CSV / JSON row.
bool reserved_fact_name(std::string_view n) {
    return n == "grade" || n == "id" || n == "product" || n.rfind("override_", 0) == 0;
}

}  // namespace

void load_facts(const json::value& v, loader& ld, plan& p) {
    const std::string ptr = "/facts";
    const auto* a = ld.array(v, ptr);
    if (!a) return;
    if (a->empty()) ld.fail(ptr, "plan.no_facts", {});
    std::vector<std::vector<std::string>> sums(a->size());
    for (std::size_t i = 0; i < a->size(); ++i) {
        const std::string iptr = loader::child(ptr, i);
        const auto* o = ld.object((*a)[i], iptr, {"name", "kind", "label", "text", "clause", "sum", "spread", "optional"}, {"name"});
        fact_def f;
        f.index = static_cast<std::uint32_t>(p.facts.size());
        if (!o) {
            p.facts.push_back(std::move(f));
            continue;
        }
        f.name = ld.string(*o, "name", iptr, false).value_or("");
        if (o->contains("name")) {
            if (!good_name(f.name))
                ld.fail(loader::child(iptr, "name"), "plan.bad_fact_name", {{"found", f.name}});
            else if (reserved_fact_name(f.name))
                ld.fail(loader::child(iptr, "name"), "plan.fact_reserved", {{"fact", f.name}});
            else if (p.find_fact(f.name))
                ld.fail(loader::child(iptr, "name"), "plan.duplicate_fact", {{"fact", f.name}});
        }
        const bool has_sum = o->contains("sum");
        if (auto k = ld.one_of(*o, "kind", iptr, {"count", "boolean", "grade", "sum"}, !has_sum)) {
            f.kind = *k == "count" ? fact_kind::count : *k == "boolean" ? fact_kind::boolean : *k == "grade" ? fact_kind::grade : fact_kind::sum;
            if (f.kind == fact_kind::sum && !has_sum) ld.fail(iptr, "plan.sum_without_parts", {});
            if (f.kind != fact_kind::sum && has_sum) ld.fail(loader::child(iptr, "kind"), "plan.sum_kind", {});
        }
        if (has_sum) {
            f.kind = fact_kind::sum;
            if (const auto* sa = ld.array(*o, "sum", iptr)) {
                if (sa->size() < 2) ld.fail(loader::child(iptr, "sum"), "plan.sum_too_short", {});
                for (std::size_t k = 0; k < sa->size(); ++k) {
                    if (const auto* s = (*sa)[k].if_string()) sums[i].emplace_back(s->data(), s->size());
                    else ld.fail(loader::child(loader::child(iptr, "sum"), k), "plan.expected_fact_name", {{"found", std::string(loader::kind_id((*sa)[k]))}});
                }
            }
        }
        load_label(*o, iptr, ld, f.label_zh, f.label_en);
        if (!f.label_zh.empty()) {
            const fact_def* other = p.find_fact(f.label_zh);
            if (other) ld.fail(loader::child(loader::child(iptr, "label"), "zh"), "plan.label_taken", {{"label", f.label_zh}, {"fact", other->name}});
        }
        f.text = ld.string(*o, "text", iptr, false).value_or("");
        f.optional = ld.boolean(*o, "optional", iptr, false).value_or(false);
        ld.string(*o, "clause", iptr, false);
        if (const auto* sp = o->if_contains("spread")) {
            const std::string sptr = loader::child(iptr, "spread");
            if (f.kind != fact_kind::count) ld.fail(sptr, "plan.spread_not_count", {});
            if (const auto* so = ld.object(*sp, sptr, {"counted", "within", "at_least"}, {"counted", "within", "at_least"})) {
                spread_def d;
                if (auto c = ld.one_of(*so, "counted", sptr, {"province", "prefecture", "county", "street"}, false))
                    d.counted = *parse_area_level(*c);
                if (auto w = ld.one_of(*so, "within", sptr, {"nationwide", "province", "prefecture", "county"}, false)) {
                    if (*w != "nationwide") d.within = parse_area_level(*w);
                    if (d.within && *d.within >= d.counted)
                        ld.fail(loader::child(sptr, "within"), "plan.spread_within_finer", {{"counted", std::string(to_string(d.counted))}});
                }
                if (auto g = ld.one_of(*so, "at_least", sptr, {"I", "II", "III", "IV"}, false)) d.at_least = *parse_grade(*g);
                f.spread = d;
            }
        }
        p.facts.push_back(std::move(f));
    }
    for (std::size_t i = 0; i < sums.size(); ++i)
        for (std::size_t k = 0; k < sums[i].size(); ++k) {
            const std::string kptr = loader::child(loader::child(loader::child(ptr, i), "sum"), k);
            const fact_def* part = p.find_fact(sums[i][k]);
            if (!part || part->name != sums[i][k]) ld.fail(kptr, "plan.unknown_fact", {{"fact", sums[i][k]}, {"known", p.fact_names_arg()}});
            else if (part->kind != fact_kind::count) ld.fail(kptr, "plan.sum_of_non_count", {{"fact", part->name}, {"kind", std::string(to_string(part->kind))}});
            else p.facts[i].sum.push_back(part->index);
        }
}

void load_products(const json::value& v, loader& ld, plan& p) {
    const std::string ptr = "/products";
    const auto* a = ld.array(v, ptr);
    if (!a) return;
    if (a->empty()) ld.fail(ptr, "plan.no_products", {});
    if (a->size() > 255) ld.fail(ptr, "plan.too_many_products", {{"found", std::to_string(a->size())}});
    for (std::size_t i = 0; i < a->size(); ++i) {
        const std::string iptr = loader::child(ptr, i);
        const auto* o = ld.object((*a)[i], iptr, {"id", "label", "text"}, {"id"});
        if (!o) continue;
        product_def d;
        d.id = ld.string(*o, "id", iptr, false).value_or("");
        if (o->contains("id")) {
            if (!good_name(d.id)) ld.fail(loader::child(iptr, "id"), "plan.bad_product_id", {{"found", d.id}});
            else if (p.find_product(d.id)) ld.fail(loader::child(iptr, "id"), "plan.duplicate_product", {{"product", d.id}});
        }
        load_label(*o, iptr, ld, d.label_zh, d.label_en);
        ld.string(*o, "text", iptr, false);
        p.products.push_back(std::move(d));
    }
}

// ------------------------------------------------------------------------------------ the plan

namespace {

using section_loader = void (*)(const json::value&, loader&, plan&);
struct section {
    std::string_view key;
    bool required;
    section_loader load;
};

// The plan's sections, loaded in this order (later sections may refer to earlier ones).
constexpr section sections[] = {
    {"grading", false, &load_grading},  // a reporting-only plan has no grades
    {"organisation", false, &load_organisation},
    {"obligations", false, &load_obligations},  // after organisation: its parties name units
    {"warnings", false, &load_warnings},
    {"responses", false, &load_responses},
    {"lifecycle", false, &load_lifecycle},
    {"detection", false, &load_detection},  // after grading: reads the facts and the scope
};

constexpr std::string_view metadata_keys[] = {"vigil_plan", "id", "name", "issuer", "level", "scope", "effective",
                                              "source", "version", "$schema", "facts", "products"};

void load_metadata(const json::object& o, loader& ld, plan& p) {
    const std::string ptr;
    if (auto v = ld.integer(o, "vigil_plan", ptr, true, 1, 1); !v && !o.contains("vigil_plan"))
        return;  // already reported
    if (auto s = ld.string(o, "id", ptr)) {
        p.info.id = *s;
        bool good = !s->empty() && s->size() <= 64;
        for (char c : *s)
            good = good && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-');
        if (!good) ld.fail("/id", "plan.bad_id", {{"found", *s}});
    }
    if (const auto* n = o.if_contains("name")) {
        if (const auto* no = ld.object(*n, "/name", {"zh", "en"}, {"zh"})) {
            p.info.name_zh = ld.string(*no, "zh", "/name").value_or("");
            p.info.name_en = ld.string(*no, "en", "/name", false).value_or("");
        }
    } else {
        ld.fail(ptr, "plan.missing_name", {});
    }
    p.info.issuer = ld.string(o, "issuer", ptr).value_or("");
    p.info.level = ld.one_of(o, "level", ptr, {"national", "province", "prefecture", "county"}).value_or("");
    if (auto s = ld.string(o, "effective", ptr, false)) {
        p.info.effective = *s;
        const auto& e = *s;
        bool iso = e.size() == 10 && e[4] == '-' && e[7] == '-';
        for (std::size_t i = 0; iso && i < e.size(); ++i)
            if (i != 4 && i != 7) iso = e[i] >= '0' && e[i] <= '9';
        if (!iso) ld.fail("/effective", "time.expected_date", {{"found", e}});
    }
    p.info.source = ld.string(o, "source", ptr).value_or("");
    p.info.version = ld.string(o, "version", ptr, false).value_or("");
    if (const auto* sc = o.if_contains("scope")) {
        if (const auto* so = ld.object(*sc, "/scope", {"products", "clause", "text"}, {"products", "clause"})) {
            p.info.scope_clause = ld.string(*so, "clause", "/scope").value_or("");
            ld.string(*so, "text", "/scope", false);
            if (const auto* pa = ld.array(*so, "products", "/scope")) {
                if (pa->empty()) ld.fail("/scope/products", "plan.empty_scope", {{"known", p.product_ids_arg()}});
                for (std::size_t i = 0; i < pa->size(); ++i) {
                    const auto* s = (*pa)[i].if_string();
                    auto prod = s ? p.find_product(std::string_view(s->data(), s->size())) : std::nullopt;
                    if (!prod)
                        ld.fail(loader::child("/scope/products", i), "plan.undeclared_product", {{"known", p.product_ids_arg()}});
                    else p.info.scope.push_back(*prod);
                }
            }
        }
    } else {
        ld.fail(ptr, "plan.missing_scope", {});
    }
}


}  // namespace

std::pair<int, int> line_column(std::string_view text, std::size_t offset) {
    int line = 1, col = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            col = 1;
        } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            ++col;  // count characters, not UTF-8 continuation bytes
        }
    }
    return {line, col};
}

}  // namespace detail

result<plan_ptr> load_plan(std::string_view text, std::string_view source) {
    using namespace detail;
    const std::string src(source);
    const std::string_view whole = text;  // hashed as given, byte order mark included
    text = skip_bom(text);
    if (text.size() > max_plan_bytes) {
        return error{errc::too_large, {diagnostic::of(src, 0, 0, "", "plan.too_large",
                                                      {{"size", std::to_string(text.size())}, {"max", std::to_string(max_plan_bytes)}})}};
    }
    json::parse_options opts;
    opts.max_depth = max_plan_depth;
    json::stream_parser parser({}, opts);
    boost::system::error_code ec;
    std::size_t used = parser.write_some(text.data(), text.size(), ec);
    if (!ec) parser.finish(ec);
    if (ec) {
        auto [line, col] = line_column(text, used);
        if (ec == json::error::too_deep)
            return error{errc::too_large,
                         {diagnostic::of(src, line, col, "", "json.too_deep", {{"max", std::to_string(max_plan_depth)}})}};
        return error{errc::parse_error, {diagnostic::of(src, line, col, "", "json.malformed", json_error_args(ec))}};
    }
    if (auto issue = check_json(text)) {
        auto [line, col] = line_column(text, issue->offset);
        return error{errc::parse_error, {diagnostic::of(src, line, col, "", issue->id, issue->args)}};
    }
    json::value root = parser.release();

    loader ld(src);
    auto p = std::make_shared<plan>();
    const auto* o = root.if_object();
    if (!o) {
        ld.fail("", "plan.not_object", {{"found", std::string(loader::kind_id(root))}});
        return error{errc::invalid_plan, std::move(ld.diagnostics())};
    }
    for (const auto& kv : *o) {
        std::string_view k = kv.key();
        bool known = std::find(std::begin(metadata_keys), std::end(metadata_keys), k) != std::end(metadata_keys);
        for (const auto& s : sections) known = known || s.key == k;
        if (!known) {
            std::string expected;
            for (auto m : metadata_keys) expected += std::string(m) + ", ";
            for (const auto& s : sections) expected += std::string(s.key) + ", ";
            expected.resize(expected.size() - 2);
            ld.fail(loader::child("", k), "plan.unknown_field", {{"field", std::string(k)}, {"known", expected}});
        }
    }
    // Facts and products first: the scope and every rule name them. A file without them declares
    // the facts and products of vigil_plan 1 (data/facts/v1.json).
    if (const auto* f = o->if_contains("facts")) load_facts(*f, ld, *p);
    else p->facts = legacy_facts_plan().facts;
    if (const auto* pr = o->if_contains("products")) load_products(*pr, ld, *p);
    else p->products = legacy_facts_plan().products;
    load_metadata(*o, ld, *p);
    for (const auto& s : sections) {
        if (const auto* v = o->if_contains(s.key)) s.load(*v, ld, *p);
        else if (s.required) ld.fail("", "plan.missing_section", {{"section", std::string(s.key)}});
    }
    if (ld.ok()) check_warning_conditions(ld, *p);
    if (!ld.ok()) return error{errc::invalid_plan, std::move(ld.diagnostics())};
    p->program = compile_grading(*p);
    p->sha256 = sha256_hex(whole);
    return plan_ptr(std::move(p));
}

}  // namespace v0
}  // namespace vigil
