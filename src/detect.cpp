// Clusters from case reports (vigil/detect.hpp, docs/detect.md).
//
// Reports are grouped by product key, batch (or batch prefix) and area at each administrative
// level. In a group, every window of the plan's length that starts at a report's onset is a
// candidate (any set of reports whose onsets fit in one window fits in the one that starts at its
// earliest onset). The group is replayed in the order the reports were received: after each
// receipt instant the windows are counted again with the reports known by then, classified and
// decided, so the first instant each grade and warning was reached is known; the cluster answered
// is the window graded highest once every report is in. Spread facts are then rolled up from the
// clusters of other areas (vigil::rollup) whose windows overlap.
#include <vigil/detect.hpp>
#include <vigil/detail/answer_json.hpp>


#include <algorithm>
#include <deque>
#include <tuple>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace vigil {
inline namespace v0 {

namespace {

// Ids for strings, looked up by view: a string is copied only the first time it is seen.
struct interned {
    std::deque<std::string> store;
    std::unordered_map<std::string_view, std::uint32_t> ids;
    std::uint32_t get(std::string_view s) {
        auto it = ids.find(s);
        if (it != ids.end()) return it->second;
        store.emplace_back(s);
        const auto id = static_cast<std::uint32_t>(ids.size());
        ids.emplace(store.back(), id);
        return id;
    }
};

std::uint64_t pack(const area_code& a) {
    return ((((std::uint64_t{a.province} * 100 + a.prefecture) * 100 + a.county) * 1000 + a.street) << 2) |
           static_cast<std::uint64_t>(a.level);
}

struct prepared {
    const case_report* r = nullptr;
    std::uint32_t key = 0, batch = 0, patient = 0;
};

// (patient, flags) of the reports of a window, merged per patient.
using patient_flags = std::vector<std::pair<std::uint32_t, std::uint16_t>>;

void merge_patients(patient_flags& v) {
    std::sort(v.begin(), v.end());
    std::size_t w = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (w > 0 && v[w - 1].first == v[i].first) v[w - 1].second = static_cast<std::uint16_t>(v[w - 1].second | v[i].second);
        else v[w++] = v[i];
    }
    v.resize(w);
}

std::uint32_t count_patients(const patient_flags& v, std::uint16_t any, std::uint16_t none) {
    std::uint32_t n = 0;
    for (const auto& [pid, fl] : v)
        if ((any == 0 || (fl & any)) && !(fl & none)) ++n;
    return n;
}

// What a window gives.
struct window_answer {
    instant from;
    fact_values facts;
    grade g = grade::none;
    warning_colour w = warning_colour::none;
    std::uint32_t patients = 0;
    std::vector<std::uint32_t> members;  // indices into the group's reports
};

bool graver(const window_answer& a, const window_answer& b) {
    if (a.g != b.g) return a.g > b.g;
    if (a.w != b.w) return a.w > b.w;
    if (a.patients != b.patients) return a.patients > b.patients;
    return a.from < b.from;
}

class group_detector {
public:
    group_detector(const plan& p, const detection_rules& d) : p_(p), d_(d) {
        for (const auto& f : d.facts)
            if (f.scope == detection_fact::scope_t::product) product_scope_ = true;
    }

    // `own`: the group's reports; `product`: every report of the same product key and area.
    // Both sorted by onset. Fills the cluster's answer and crossings.
    bool product_scope() const noexcept { return product_scope_; }

    // Returns whether the cluster could have had a grade or a warning (false: no replay was needed).
    bool run(const std::vector<prepared>& own, const std::vector<prepared>& product, detected_cluster& c, bool fill_quiet) {
        // Every report in: the answer, and a bound on every fact any window could have had on the
        // way (a count of patients "with none of" some fields can be higher before a later report
        // adds such a field, so the bound leaves "none" out).
        window_answer& best = best_;
        bool have_best = false;
        std::vector<std::uint32_t> bound(d_.facts.size(), 0);
        const instant all_in = boost::posix_time::pos_infin;
        for (std::size_t i = 0; i < own.size(); ++i) {
            if (i > 0 && own[i - 1].r->onset == own[i].r->onset) continue;  // the same window
            const window_answer& a = evaluate(own, product, i, all_in, true, &bound);
            if (!have_best || graver(a, best)) {
                best = a;  // copies into the capacity best already has
                have_best = true;
            }
        }
        if (!have_best) return false;
        const bool may_cross = reachable(bound, best.facts.product);
        if (!may_cross && !fill_quiet) return false;
        c.window_from = best.from;
        c.window_to = best.from + d_.window;
        c.facts = best.facts;
        c.patients = best.patients;
        c.settled = own[best.members.front()].r->received;
        for (auto m : best.members) {
            c.report_ids.push_back(own[m].r->report_id);
            c.settled = std::max(c.settled, own[m].r->received);
        }
        if (!may_cross) return false;  // no grade or warning on the way: nothing to replay
        // Replay by receipt: the instants at which what the group knows changes.
        std::vector<instant> when;
        for (const auto& x : own) when.push_back(x.r->received);
        if (product_scope_)
            for (const auto& x : product) when.push_back(x.r->received);
        std::sort(when.begin(), when.end());
        when.erase(std::unique(when.begin(), when.end()), when.end());
        for (const instant tau : when) {
            for (std::size_t i = 0; i < own.size(); ++i) {
                if (own[i].r->received > tau) continue;
                if (i > 0 && own[i - 1].r->onset == own[i].r->onset && own[i - 1].r->received <= tau) continue;  // same window
                const window_answer& a = evaluate(own, product, i, tau, false, nullptr);
                for (int g = 1; g <= static_cast<int>(a.g); ++g)
                    if (!c.grade_first[g]) c.grade_first[g] = tau;
                for (int w = 1; w <= static_cast<int>(a.w); ++w)
                    if (!c.warning_first[w] && has_colour(w)) c.warning_first[w] = tau;
            }
        }
        return true;
    }

private:
    // the plan issues warnings of this colour (a graver one crosses the lighter ones' thresholds too)
    bool has_colour(int w) const { return p_.warnings && p_.warnings->find(static_cast<warning_colour>(w)); }

    // The grade and warning of a set of counted facts (the other facts 0), remembered: clusters
    // repeat the same few small counts.
    std::pair<grade, warning_colour> answer(const fact_values& v) {
        key_.assign(1, static_cast<std::uint32_t>(v.product));
        for (const auto& f : d_.facts) key_.push_back(v.values[f.fact]);
        auto it = cache_.find(key_);
        if (it != cache_.end()) return it->second;
        const assessment as = classify(p_, v);
        const std::pair<grade, warning_colour> r{as.grade, decide_levels(p_, v, as.grade, as.in_scope).warning};
        if (cache_.size() < (1u << 16)) cache_.emplace(key_, r);
        return r;
    }

    // Could any facts at or below `bound` give a grade or a warning? Tried one by one while there
    // are few of them; otherwise assumed so (the replay then decides).
    bool reachable(const std::vector<std::uint32_t>& bound, product prod) {
        key_.assign(1, static_cast<std::uint32_t>(prod));
        key_.insert(key_.end(), bound.begin(), bound.end());
        if (auto it = reach_.find(key_); it != reach_.end()) return it->second;
        const bool r = reachable_uncached(bound, prod);
        key_.assign(1, static_cast<std::uint32_t>(prod));
        key_.insert(key_.end(), bound.begin(), bound.end());
        if (reach_.size() < (1u << 16)) reach_.emplace(key_, r);
        return r;
    }

    bool reachable_uncached(const std::vector<std::uint32_t>& bound, product prod) {
        std::uint64_t n = 1;
        for (auto b : bound) {
            n *= std::uint64_t{b} + 1;
            if (n > 4096) return true;
        }
        fact_values v(p_);
        v.product = prod;
        std::vector<std::uint32_t> at(bound.size(), 0);
        for (;;) {
            for (std::size_t k = 0; k < at.size(); ++k) v.values[d_.facts[k].fact] = at[k];
            auto [g, w] = answer(v);
            if (g != grade::none || w != warning_colour::none) return true;
            std::size_t k = 0;
            while (k < at.size() && at[k] == bound[k]) at[k++] = 0;
            if (k == at.size()) return false;
            ++at[k];
        }
    }

    // The answer of the window that starts at own[i]'s onset, with the reports received by `tau`
    // (valid until the next call).
    const window_answer& evaluate(const std::vector<prepared>& own, const std::vector<prepared>& product, std::size_t i,
                                  instant tau, bool keep_members, std::vector<std::uint32_t>* bound) {
        window_answer& a = cur_;
        a.members.clear();
        a.from = own[i].r->onset;
        const instant to = a.from + d_.window;
        own_.clear();
        for (std::size_t j = i; j < own.size() && own[j].r->onset < to; ++j) {
            if (own[j].r->received > tau) continue;
            own_.emplace_back(own[j].patient, own[j].r->flags);
            if (keep_members) a.members.push_back(static_cast<std::uint32_t>(j));
        }
        merge_patients(own_);
        if (product_scope_) {
            prod_.clear();
            auto lo = std::lower_bound(product.begin(), product.end(), a.from,
                                       [](const prepared& x, instant t) { return x.r->onset < t; });
            for (auto it = lo; it != product.end() && it->r->onset < to; ++it)
                if (it->r->received <= tau) prod_.emplace_back(it->patient, it->r->flags);
            merge_patients(prod_);
        }
        a.patients = static_cast<std::uint32_t>(own_.size());
        a.facts.values.assign(p_.facts.size(), 0);
        a.facts.product = own[i].r->product_kind;
        for (std::size_t k = 0; k < d_.facts.size(); ++k) {
            const auto& f = d_.facts[k];
            const patient_flags& pf = f.scope == detection_fact::scope_t::product ? prod_ : own_;
            const std::uint32_t n = count_patients(pf, f.any, f.none);
            const bool boolean = p_.facts[f.fact].kind == fact_kind::boolean;
            a.facts.values[f.fact] = boolean ? (n >= f.at_least ? 1u : 0u) : n;
            if (bound) {
                const std::uint32_t ub = f.none ? count_patients(pf, f.any, 0) : n;
                (*bound)[k] = std::max((*bound)[k], boolean ? (ub >= f.at_least ? 1u : 0u) : ub);
            }
        }
        std::tie(a.g, a.w) = answer(a.facts);
        return a;
    }

    struct key_hash {
        std::size_t operator()(const std::vector<std::uint32_t>& k) const noexcept {
            std::uint64_t h = 1469598103934665603ull;
            for (auto x : k) h = (h ^ x) * 1099511628211ull;
            return static_cast<std::size_t>(h);
        }
    };

    const plan& p_;
    const detection_rules& d_;
    bool product_scope_ = false;
    patient_flags own_, prod_;
    window_answer cur_, best_;
    std::vector<std::uint32_t> key_;
    std::unordered_map<std::vector<std::uint32_t>, std::pair<grade, warning_colour>, key_hash> cache_;
    std::unordered_map<std::vector<std::uint32_t>, bool, key_hash> reach_;
};

void key_text(std::string& s, const case_report& r, const plan& p, const std::vector<key_field>& key, char sep) {
    for (std::size_t i = 0; i < key.size(); ++i) {
        if (i) s += sep;
        switch (key[i]) {
        case key_field::product_kind: s += p.product_id(r.product_kind); break;
        case key_field::product_id: s += r.product_id; break;
        case key_field::product_name: s += r.product_name; break;
        case key_field::maker: s += r.maker; break;
        case key_field::dosage_form: s += r.dosage_form; break;
        case key_field::strength: s += r.strength; break;
        }
    }
}

std::string key_text(const case_report& r, const plan& p, const std::vector<key_field>& key, char sep) {
    std::string s;
    key_text(s, r, p, key, sep);
    return s;
}


}  // namespace

result<detect_result> detect(const plan& p, const std::vector<case_report>& reports, const detect_options& o) {
    if (!p.detection)
        return error{errc::invalid_plan, "detect.no_detection", {{"plan", p.info.id}}};
    const detection_rules& d = *p.detection;
    detect_result out;

    // take each report once
    std::unordered_set<std::string_view> seen_ids;
    seen_ids.reserve(reports.size());
    interned keys, batches, patients;
    std::vector<prepared> all;
    all.reserve(reports.size());
    std::string key;
    for (const auto& r : reports) {
        if (!seen_ids.insert(r.report_id).second) {
            out.duplicates.push_back(r.report_id);
            continue;
        }
        prepared x;
        x.r = &r;
        key.clear();
        key_text(key, r, p, d.product_key, '\x1f');
        x.key = keys.get(key);
        x.batch = batches.get(std::string_view(r.batch).substr(0, d.batch_prefix ? d.batch_prefix : std::string_view::npos));
        x.patient = patients.get(r.patient_id);
        all.push_back(x);
    }
    out.reports = all.size();
    std::stable_sort(all.begin(), all.end(), [](const prepared& a, const prepared& b) { return a.r->onset < b.r->onset; });

    // Groups: (key, area) -> batch -> reports, at every level a report's area reaches; one sorted
    // array of entries, `all` being in onset order already.
    struct entry {
        std::uint32_t key, batch;
        std::uint64_t area;
        std::uint32_t idx;
    };
    std::vector<entry> entries;
    entries.reserve(all.size() * 3);
    for (std::uint32_t i = 0; i < all.size(); ++i) {
        const auto& x = all[i];
        for (int l = 0; l <= static_cast<int>(x.r->area.level); ++l)
            entries.push_back({x.key, x.batch, pack(x.r->area.at(static_cast<area_level>(l))), i});
    }
    std::sort(entries.begin(), entries.end(), [](const entry& a, const entry& b) {
        if (a.key != b.key) return a.key < b.key;
        if (a.area != b.area) return a.area < b.area;
        if (a.batch != b.batch) return a.batch < b.batch;
        return a.idx < b.idx;
    });

    group_detector det(p, d);
    std::vector<detected_cluster> found;
    struct quiet {  // a cluster with no grade or warning of its own: a target of the spread facts only
        std::size_t pg_begin, pg_end, begin, end;
    };
    std::vector<quiet> quiets;
    std::vector<prepared> own, product;
    detected_cluster scratch;
    auto area_of = [&](const entry& e) { return all[e.idx].r->area.at(static_cast<area_level>(e.area & 3u)); };
    auto make = [&](std::size_t pg_begin, std::size_t pg_end, std::size_t b, std::size_t e, bool keep_quiet, detected_cluster& c) {
        own.clear();
        for (std::size_t k = b; k < e; ++k) own.push_back(all[entries[k].idx]);
        product.clear();
        if (det.product_scope()) {
            for (std::size_t k = pg_begin; k < pg_end; ++k) product.push_back(all[entries[k].idx]);
            if (e - b != pg_end - pg_begin)
                std::sort(product.begin(), product.end(), [](const prepared& x, const prepared& y) { return x.r->onset < y.r->onset; });
        }
        c.area = area_of(entries[b]);
        if (!det.run(own, product, c, keep_quiet) && !keep_quiet) return false;
        const case_report& r0 = *own.front().r;
        c.product_kind = r0.product_kind;
        c.product_id = r0.product_id;
        c.product_name = r0.product_name;
        c.batch = d.batch_prefix ? r0.batch.substr(0, d.batch_prefix) : r0.batch;
        c.product_key = key_text(r0, p, d.product_key, '|');
        return true;
    };
    for (std::size_t g = 0; g < entries.size();) {
        std::size_t ge = g;
        while (ge < entries.size() && entries[ge].key == entries[g].key && entries[ge].area == entries[g].area) ++ge;
        for (std::size_t b = g; b < ge;) {
            std::size_t be = b;
            while (be < ge && entries[be].batch == entries[b].batch) ++be;
            if (make(g, ge, b, be, o.all, scratch)) {
                found.push_back(std::move(scratch));
                scratch = detected_cluster{};
            } else {
                quiets.push_back({g, ge, b, be});
            }
            b = be;
        }
        g = ge;
    }

    // grade the clusters by their own facts, then roll the spread facts up from the others
    bool any_spread = false;
    for (const auto& f : p.facts) any_spread = any_spread || f.spread.has_value();
    for (auto& c : found) c.graded = classify(p, c.facts);
    if (any_spread && !quiets.empty()) {
        // the quiet clusters of a product with a graded cluster elsewhere may be graded by spread
        std::unordered_set<std::string> keys_text;
        for (const auto& c : found)
            if (c.graded.grade != grade::none) keys_text.insert(c.product_key);
        for (const auto& q : quiets) {
            const case_report& r0 = *all[entries[q.begin].idx].r;
            if (!keys_text.count(key_text(r0, p, d.product_key, '|'))) continue;
            detected_cluster c;
            make(q.pg_begin, q.pg_end, q.begin, q.end, true, c);
            c.graded = classify(p, c.facts);
            found.push_back(std::move(c));
        }
    }
    if (any_spread) {
        std::map<std::string, std::vector<std::size_t>> by_key;
        for (std::size_t i = 0; i < found.size(); ++i)
            if (found[i].graded.grade != grade::none) by_key[found[i].product_key].push_back(i);
        std::vector<assessment> regraded(found.size());
        std::vector<bool> changed(found.size(), false);
        for (std::size_t i = 0; i < found.size(); ++i) {
            auto& c = found[i];
            auto it = by_key.find(c.product_key);
            if (it == by_key.end()) continue;
            std::vector<local_event> events;
            std::vector<const detected_cluster*> from;
            for (auto j : it->second) {
                const auto& e = found[j];
                // 短期内: the other cluster's window overlaps this one's
                if (e.window_from >= c.window_to || c.window_from >= e.window_to) continue;
                events.push_back({e.product_kind, e.product_key, e.area, e.graded.grade});
                from.push_back(&e);
            }
            if (events.empty()) continue;
            const warning_colour local_warning = decide_levels(p, c.facts, c.graded.grade, c.graded.in_scope).warning;
            auto sr = rollup(p, events, c.product_kind, c.product_key, c.area);
            bool any = false;
            // a spread fact is the event of the area that holds the areas it counts ("本区2个以上街道":
            // the district's), or of each of them when it counts nationwide ("2个以上省份")
            auto applies = [&](const fact_def& f) {
                return f.spread->within ? c.area.level == *f.spread->within : c.area.level == f.spread->counted;
            };
            for (auto& sc : sr.counts) {
                if (!applies(p.facts[sc.fact])) continue;
                c.facts.values[sc.fact] = sc.count;
                any = any || sc.count > 0;
                c.spread.push_back(std::move(sc));
            }
            if (!any) continue;
            assessment a = classify(p, c.facts);
            const auto levels = decide_levels(p, c.facts, a.grade, a.in_scope);
            if (a.grade != c.graded.grade || levels.warning != local_warning) {
                // When the spread was reached: each counted area's first crossing of the fact's
                // grade, in time order. A grade the spread facts give alone is reached then; one
                // that needs this cluster's own facts as well, not before they were all in.
                std::vector<std::pair<instant, std::pair<std::uint32_t, std::uint64_t>>> marks;  // instant, (fact, area)
                for (const auto& f : p.facts) {
                    if (!f.spread || !applies(f)) continue;
                    for (std::size_t k = 0; k < events.size(); ++k) {
                        const auto& e = *from[k];
                        if (e.area.level < f.spread->counted) continue;
                        if (f.spread->within && e.area.at(*f.spread->within) != c.area.at(*f.spread->within)) continue;
                        const auto& t = e.grade_first[static_cast<int>(f.spread->at_least)];
                        if (t) marks.push_back({*t, {f.index, pack(e.area.at(f.spread->counted))}});
                    }
                }
                std::sort(marks.begin(), marks.end());
                fact_values v = c.facts, alone(p);
                alone.product = c.product_kind;
                std::map<std::uint32_t, std::set<std::uint64_t>> counted;
                for (const auto& f : p.facts)
                    if (f.spread) v.values[f.index] = 0;
                for (const auto& m : marks) {
                    // not a structured binding: a lambda below uses it (C++17 forbids capturing one)
                    const instant t = m.first;
                    const auto& fa = m.second;
                    if (!counted[fa.first].insert(fa.second).second) continue;
                    v.values[fa.first] = alone.values[fa.first] = static_cast<std::uint32_t>(counted[fa.first].size());
                    const assessment both = classify(p, v), only = classify(p, alone);
                    const auto lv_both = decide_levels(p, v, both.grade, both.in_scope);
                    const auto lv_only = decide_levels(p, alone, only.grade, only.in_scope);
                    auto mark = [&](std::optional<instant>& first, bool by_spread_alone) {
                        const instant when = by_spread_alone ? t : std::max(t, c.settled);
                        if (!first || *first > when) first = when;
                    };
                    for (int g = 1; g <= static_cast<int>(both.grade); ++g) mark(c.grade_first[g], g <= static_cast<int>(only.grade));
                    for (int w = 1; w <= static_cast<int>(lv_both.warning); ++w)
                        if (p.warnings && p.warnings->find(static_cast<warning_colour>(w)))
                            mark(c.warning_first[w], w <= static_cast<int>(lv_only.warning));
                }
            }
            regraded[i] = std::move(a);
            changed[i] = true;
        }
        for (std::size_t i = 0; i < found.size(); ++i)
            if (changed[i]) found[i].graded = std::move(regraded[i]);
    }
    for (auto& c : found) {
        c.levels = decide_levels(p, c.facts, c.graded.grade, c.graded.in_scope);
        bool crossed = false;
        for (const auto& t : c.grade_first) crossed = crossed || t.has_value();
        for (const auto& t : c.warning_first) crossed = crossed || t.has_value();
        if (o.all || crossed || c.graded.grade != grade::none || c.levels.warning != warning_colour::none)
            out.clusters.push_back(std::move(c));
    }
    std::stable_sort(out.clusters.begin(), out.clusters.end(), [](const detected_cluster& a, const detected_cluster& b) {
        if (a.graded.grade != b.graded.grade) return a.graded.grade > b.graded.grade;
        if (a.levels.warning != b.levels.warning) return a.levels.warning > b.levels.warning;
        if (a.product_key != b.product_key) return a.product_key < b.product_key;
        if (a.batch != b.batch) return a.batch < b.batch;
        if (a.area.level != b.area.level) return a.area.level > b.area.level;
        if (a.area != b.area) return a.area < b.area;
        return a.window_from < b.window_from;
    });
    return out;
}

std::string to_json(const plan& p, const detected_cluster& c) {
    std::string out;
    detail::answer_json::detected_cluster(out, p, c);
    return out;
}

}  // namespace v0
}  // namespace vigil
