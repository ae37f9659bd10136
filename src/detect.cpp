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
#include <cstring>
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

// A 64-bit hash of a string (8 bytes a step, multiply and fold): the tables below keep its high
// half beside each id, so a probe compares strings only when the halves agree.
std::uint64_t hash_text(std::string_view s) noexcept {
    constexpr std::uint64_t k1 = 0x9E3779B97F4A7C15ull, k2 = 0xBF58476D1CE4E5B9ull;
    std::uint64_t h = k1 ^ (s.size() * k2);
    const char* p = s.data();
    std::size_t n = s.size();
    for (; n >= 8; p += 8, n -= 8) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        h = (h ^ w) * k2;
        h ^= h >> 31;
    }
    if (n) {
        std::uint64_t w = 0;
        std::memcpy(&w, p, n);
        h = (h ^ w) * k2;
    }
    h ^= h >> 29;
    h *= 0x94D049BB133111EBull;
    return h ^ (h >> 32);
}

// Dense ids for strings in one open-addressed table (no node a string): a slot holds the hash's
// high half and the id + 1. The strings are viewed, not copied: they must outlive the table,
// unless given to `get` with `copy` (then a copy is kept, once).
class string_ids {
public:
    explicit string_ids(std::size_t expected = 16) {
        std::size_t cap = 16;
        while (cap < expected * 2) cap <<= 1;
        slots_.assign(cap, 0);
        views_.reserve(expected);
    }
    std::size_t size() const noexcept { return views_.size(); }
    // The id of `s`, and whether it was new.
    std::pair<std::uint32_t, bool> get(std::string_view s, bool copy = false) { return get(s, hash_text(s), copy); }
    std::pair<std::uint32_t, bool> get(std::string_view s, std::uint64_t h, bool copy) {
        const std::uint64_t tag = h & 0xFFFFFFFF00000000ull;
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = h & mask;; i = (i + 1) & mask) {
            const std::uint64_t v = slots_[i];
            if (v == 0) {
                const auto id = static_cast<std::uint32_t>(views_.size());
                if (copy) {
                    store_.emplace_back(s);
                    s = store_.back();
                }
                views_.push_back(s);
                hashes_.push_back(h);
                slots_[i] = tag | (std::uint64_t{id} + 1);
                if (views_.size() * 2 > slots_.size()) grow();
                return {id, true};
            }
            if ((v & 0xFFFFFFFF00000000ull) == tag && views_[static_cast<std::uint32_t>(v) - 1] == s)
                return {static_cast<std::uint32_t>(v) - 1, false};
        }
    }

private:
    void grow() {
        std::vector<std::uint64_t> slots(slots_.size() * 2, 0);
        const std::size_t mask = slots.size() - 1;
        for (std::size_t id = 0; id < hashes_.size(); ++id) {
            const std::uint64_t h = hashes_[id];
            std::size_t i = h & mask;
            while (slots[i]) i = (i + 1) & mask;
            slots[i] = (h & 0xFFFFFFFF00000000ull) | (id + 1);
        }
        slots_.swap(slots);
    }
    std::vector<std::uint64_t> slots_, hashes_;
    std::vector<std::string_view> views_;
    std::deque<std::string> store_;
};

// The report ids taken, as the index of the report that holds each (sized once for them all):
// nothing but the slots is written.
class report_id_set {
public:
    explicit report_id_set(const std::vector<case_report>& reports) : reports_(reports) {
        std::size_t cap = 16;
        while (cap < reports.size() * 2) cap <<= 1;
        slots_.assign(cap, 0);
    }
    // Bring the slot a hash probes first into the cache.
    void prefetch(std::uint64_t h) const noexcept {
#if defined(__GNUC__) || defined(__clang__)
        __builtin_prefetch(&slots_[h & (slots_.size() - 1)]);
#else
        (void)h;
#endif
    }
    // Whether reports[i]'s id (of hash h) is new; it is taken if so.
    bool insert(std::size_t i, std::uint64_t h) {
        const std::uint64_t tag = h & 0xFFFFFFFF00000000ull;
        const std::string& s = reports_[i].report_id;
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t k = h & mask;; k = (k + 1) & mask) {
            const std::uint64_t v = slots_[k];
            if (v == 0) {
                slots_[k] = tag | (std::uint64_t{static_cast<std::uint32_t>(i)} + 1);
                return true;
            }
            if ((v & 0xFFFFFFFF00000000ull) == tag && reports_[static_cast<std::uint32_t>(v) - 1].report_id == s) return false;
        }
    }

private:
    const std::vector<case_report>& reports_;
    std::vector<std::uint64_t> slots_;
};

// Dense ids for fixed-width tuples of 32-bit ids (a product key made of its fields' ids), and for
// 64-bit values (packed area codes), in the order first seen.
class tuple_ids {
public:
    explicit tuple_ids(std::size_t width) : width_(width), slots_(64, 0) {}
    std::size_t size() const noexcept { return hashes_.size(); }
    std::uint32_t get(const std::uint32_t* t) {
        std::uint64_t h = 0x9E3779B97F4A7C15ull;
        for (std::size_t k = 0; k < width_; ++k) {
            h = (h ^ t[k]) * 0xBF58476D1CE4E5B9ull;
            h ^= h >> 29;
        }
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = h & mask;; i = (i + 1) & mask) {
            const std::uint32_t v = slots_[i];
            if (v == 0) {
                const auto id = static_cast<std::uint32_t>(hashes_.size());
                values_.insert(values_.end(), t, t + width_);
                hashes_.push_back(h);
                slots_[i] = id + 1;
                if (hashes_.size() * 2 > slots_.size()) grow();
                return id;
            }
            if (hashes_[v - 1] == h && std::equal(t, t + width_, values_.begin() + static_cast<std::ptrdiff_t>((v - 1) * width_))) return v - 1;
        }
    }

private:
    void grow() {
        std::vector<std::uint32_t> slots(slots_.size() * 2, 0);
        const std::size_t mask = slots.size() - 1;
        for (std::size_t id = 0; id < hashes_.size(); ++id) {
            std::size_t i = hashes_[id] & mask;
            while (slots[i]) i = (i + 1) & mask;
            slots[i] = static_cast<std::uint32_t>(id + 1);
        }
        slots_.swap(slots);
    }
    std::size_t width_;
    std::vector<std::uint32_t> slots_, values_;
    std::vector<std::uint64_t> hashes_;
};

// Stable LSD radix sort of `v` by the bits [from_bit, bits) of key(x) (an unsigned integer below
// 2^bits), 11 bits a pass.
template <class T, class Key>
void radix_sort(std::vector<T>& v, std::vector<T>& tmp, int bits, Key key, int from_bit = 0) {
    constexpr int digit = 11;
    constexpr std::size_t radix = std::size_t{1} << digit;
    if (v.empty() || bits <= from_bit) return;
    const int passes = (bits - from_bit + digit - 1) / digit;
    tmp.resize(v.size());
    // every pass's counts in one read (a pass then only moves)
    std::vector<std::uint32_t> count(radix * static_cast<std::size_t>(passes), 0);
    for (const auto& x : v) {
        const std::uint64_t k = key(x) >> from_bit;
        for (int p = 0; p < passes; ++p) ++count[radix * static_cast<std::size_t>(p) + ((k >> (digit * p)) & (radix - 1))];
    }
    for (int p = 0; p < passes; ++p) {
        const int shift = from_bit + digit * p;
        std::uint32_t* c = count.data() + radix * static_cast<std::size_t>(p);
        if (c[(key(v.front()) >> shift) & (radix - 1)] == v.size()) continue;  // one digit: nothing moves
        std::uint32_t at = 0;
        for (std::size_t d = 0; d < radix; ++d) {
            const std::uint32_t n = c[d];
            c[d] = at;
            at += n;
        }
        for (const auto& x : v) tmp[c[(key(x) >> shift) & (radix - 1)]++] = x;
        v.swap(tmp);
    }
}

int bit_width(std::uint64_t n) noexcept {  // bits to write every value below n
    int b = 0;
    while (b < 64 && (std::uint64_t{1} << b) < n) ++b;
    return b;
}

std::uint64_t pack(const area_code& a) {
    return ((((std::uint64_t{a.province} * 100 + a.prefecture) * 100 + a.county) * 1000 + a.street) << 2) |
           static_cast<std::uint64_t>(a.level);
}

struct prepared {
    const case_report* r = nullptr;
    std::uint32_t key = 0, batch = 0, patient = 0;
    std::uint32_t area = 0;  // the id of its area code
    std::uint16_t flags = 0;
    vigil::product kind = product{0};
    area_level level = area_level::province;
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

    // Could facts at or below `bound` (one value a detection fact, in the plan's order) give a
    // grade or a warning to a cluster of `prod`?
    bool may_reach(const std::vector<std::uint32_t>& bound, product prod) { return reachable(bound, prod); }

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

    // Take each report once, and give it ids: its product key (the ids of its fields' texts, then
    // of that tuple), batch (or batch prefix) and area code, in the order first seen. Two keys whose
    // fields joined by '\x1f' read the same have the same fields unless a field holds '\x1f': then
    // the joined texts are given the ids instead. Patients get theirs later, only in the groups
    // that are counted (below).
    constexpr std::uint32_t no_patient = 0xFFFFFFFFu;
    report_id_set report_ids(reports);
    string_ids batches, patients, field_texts;
    const std::size_t kw = d.product_key.size();
    tuple_ids key_tuples(kw), area_codes(2);
    std::vector<std::uint32_t> tuple(kw);
    std::array<std::uint32_t, 256> kind_text;
    kind_text.fill(no_patient);
    bool joined = false;
    auto text_id = [&](std::string_view s) {
        const auto [id, fresh] = field_texts.get(s, true);  // a copy: compared in cache, not in an old report
        if (fresh && s.find('\x1f') != std::string_view::npos) joined = true;
        return id;
    };
    std::vector<std::array<std::uint64_t, 4>> slot_packs;  // an area code's packed areas, by level
    std::vector<std::uint64_t> distinct;                    // every packed area
    std::vector<prepared> all;
    all.reserve(reports.size());
    std::vector<std::int64_t> ticks;  // onsets, in microseconds after the first one's
    ticks.reserve(reports.size());
    bool special = false;  // an onset that is not a time (then a comparison sort)
    instant epoch;
    // the report ids' hashes a few reports ahead, their slots prefetched: the table outgrows the caches
    constexpr std::size_t ahead = 16;
    std::array<std::uint64_t, ahead> id_hash{};
    for (std::size_t i = 0; i < std::min(ahead, reports.size()); ++i) {
        id_hash[i] = hash_text(reports[i].report_id);
        report_ids.prefetch(id_hash[i]);
    }
    for (std::size_t ri = 0; ri < reports.size(); ++ri) {
        const case_report& r = reports[ri];
        const std::uint64_t h = id_hash[ri % ahead];
        if (ri + ahead < reports.size()) {
            id_hash[ri % ahead] = hash_text(reports[ri + ahead].report_id);
            report_ids.prefetch(id_hash[ri % ahead]);
        }
        if (!report_ids.insert(ri, h)) {
            out.duplicates.push_back(r.report_id);
            continue;
        }
        prepared x;
        x.r = &r;
        for (std::size_t k = 0; k < kw; ++k) {
            switch (d.product_key[k]) {
            case key_field::product_kind: {
                auto& t = kind_text[static_cast<std::uint8_t>(r.product_kind)];
                if (t == no_patient) t = text_id(p.product_id(r.product_kind));
                tuple[k] = t;
                break;
            }
            case key_field::product_id: tuple[k] = text_id(r.product_id); break;
            case key_field::product_name: tuple[k] = text_id(r.product_name); break;
            case key_field::maker: tuple[k] = text_id(r.maker); break;
            case key_field::dosage_form: tuple[k] = text_id(r.dosage_form); break;
            case key_field::strength: tuple[k] = text_id(r.strength); break;
            }
        }
        x.key = key_tuples.get(tuple.data());
        x.batch = batches.get(std::string_view(r.batch).substr(0, d.batch_prefix ? d.batch_prefix : std::string_view::npos), true).first;
        x.patient = no_patient;
        x.flags = r.flags;
        x.kind = r.product_kind;
        x.level = r.area.level;
        const std::uint64_t ap = pack(r.area);
        const std::uint32_t halves[2] = {static_cast<std::uint32_t>(ap), static_cast<std::uint32_t>(ap >> 32)};
        x.area = area_codes.get(halves);
        if (x.area == slot_packs.size()) {
            std::array<std::uint64_t, 4> lv{};
            for (int l = 0; l <= static_cast<int>(r.area.level); ++l) {
                lv[l] = pack(r.area.at(static_cast<area_level>(l)));
                distinct.push_back(lv[l]);
            }
            slot_packs.push_back(lv);
        }
        special = special || r.onset.is_special();
        if (!special) {
            if (all.empty()) epoch = r.onset;
            ticks.push_back((r.onset - epoch).ticks());
        }
        all.push_back(x);
    }
    out.reports = all.size();
    std::size_t nkeys = key_tuples.size();
    if (joined) {
        string_ids keys;
        std::string key;
        for (auto& x : all) {
            key.clear();
            key_text(key, *x.r, p, d.product_key, '\x1f');
            x.key = keys.get(key, true).first;
        }
        nkeys = keys.size();
    }

    // By onset, stably: a radix sort of the onsets' microseconds when every onset is a time.
    std::vector<std::uint64_t> onset_t;  // then each one's microseconds after the earliest, in `all`'s order
    std::int64_t t_lo = 0;
    if (special || all.size() < 2) {
        std::stable_sort(all.begin(), all.end(), [](const prepared& a, const prepared& b) { return a.r->onset < b.r->onset; });
    } else {
        struct timed {
            std::uint64_t t;
            std::uint32_t i;
        };
        const auto [lo, hi] = std::minmax_element(ticks.begin(), ticks.end());
        std::vector<timed> ts(all.size()), tmp;
        for (std::size_t i = 0; i < all.size(); ++i) ts[i] = {static_cast<std::uint64_t>(ticks[i] - *lo), static_cast<std::uint32_t>(i)};
        radix_sort(ts, tmp, bit_width(static_cast<std::uint64_t>(*hi - *lo) + 1), [](const timed& x) { return x.t; });
        std::vector<prepared> sorted(all.size());
        onset_t.resize(all.size());
        for (std::size_t i = 0; i < ts.size(); ++i) {
            sorted[i] = all[ts[i].i];
            onset_t[i] = ts[i].t;
        }
        all.swap(sorted);
        t_lo = *lo;
    }

    // The areas ranked in the order of pack().
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    std::vector<std::array<std::uint32_t, 4>> slot_ranks(slot_packs.size());
    for (std::size_t s = 0; s < slot_packs.size(); ++s)
        for (int l = 0; l < 4; ++l)
            slot_ranks[s][l] = static_cast<std::uint32_t>(std::lower_bound(distinct.begin(), distinct.end(), slot_packs[s][l]) - distinct.begin());

    // Groups: (key, area) -> batch -> reports, at every level a report's area reaches; one sorted
    // array of entries (`all` being in onset order already, a stable sort keeps it in each group).
    struct entry {
        std::uint32_t key, area, batch, idx;  // area: the rank of its packed code
        std::uint16_t flags;
        vigil::product kind;
    };
    std::vector<entry> entries;
    std::size_t nentries = 0;
    for (const auto& x : all) nentries += static_cast<std::size_t>(x.level) + 1;
    const int kb = bit_width(nkeys), ab = bit_width(distinct.size()), bb = bit_width(batches.size()), ib = bit_width(all.size());
    if (kb + ab + bb + ib <= 64) {
        // (key, area, batch, index) packed in one word a level: 8 bytes to move a pass, not 20; and
        // below them, when there is room, the report's product and flags (read back without a lookup)
        bool small_flags = true;
        for (const auto& x : all) small_flags = small_flags && x.flags < 256;
        const int fb = small_flags && kb + ab + bb + ib + 16 <= 64 ? 16 : 0, lo = fb + ib;
        std::vector<std::uint64_t> packed, tmp;
        packed.reserve(nentries);
        for (std::uint32_t i = 0; i < all.size(); ++i) {
            const auto& x = all[i];
            const auto& ranks = slot_ranks[x.area];
            std::uint64_t key_batch_index = (std::uint64_t{x.key} << (ab + bb + lo)) | (std::uint64_t{x.batch} << lo) | (std::uint64_t{i} << fb);
            if (fb) key_batch_index |= std::uint64_t{static_cast<std::uint8_t>(x.kind)} << 8 | x.flags;
            for (int l = 0; l <= static_cast<int>(x.level); ++l) packed.push_back(key_batch_index | (std::uint64_t{ranks[l]} << (bb + lo)));
        }
        radix_sort(packed, tmp, kb + ab + bb + lo, [](std::uint64_t v) { return v; }, lo);
        tmp = {};
        entries.resize(nentries);
        const std::uint64_t imask = (std::uint64_t{1} << ib) - 1, bmask = (std::uint64_t{1} << bb) - 1, amask = (std::uint64_t{1} << ab) - 1;
        for (std::size_t k = 0; k < nentries; ++k) {
            const std::uint64_t v = packed[k];
            const auto i = static_cast<std::uint32_t>(v >> fb & imask);
            entry& e = entries[k];
            e.key = static_cast<std::uint32_t>(v >> (ab + bb + lo));
            e.area = static_cast<std::uint32_t>(v >> (bb + lo) & amask);
            e.batch = static_cast<std::uint32_t>(v >> lo & bmask);
            e.idx = i;
            if (fb) {
                e.flags = static_cast<std::uint16_t>(v & 0xFF);
                e.kind = static_cast<vigil::product>(v >> 8 & 0xFF);
            } else {
                e.flags = all[i].flags;
                e.kind = all[i].kind;
            }
        }
    } else {
        entries.reserve(nentries);
        for (std::uint32_t i = 0; i < all.size(); ++i) {
            const auto& x = all[i];
            const auto& ranks = slot_ranks[x.area];
            for (int l = 0; l <= static_cast<int>(x.level); ++l) entries.push_back({x.key, ranks[l], x.batch, i, x.flags, x.kind});
        }
        std::sort(entries.begin(), entries.end(), [](const entry& a, const entry& b) {
            return std::tie(a.key, a.area, a.batch, a.idx) < std::tie(b.key, b.area, b.batch, b.idx);
        });
    }

    group_detector det(p, d);
    std::vector<detected_cluster> found;
    struct quiet {  // a cluster with no grade or warning of its own: a target of the spread facts only
        std::size_t pg_begin, pg_end, begin, end;
    };
    std::vector<quiet> quiets;
    std::vector<prepared> own, product;
    detected_cluster scratch;
    auto area_of = [&](const entry& e) { return all[e.idx].r->area.at(static_cast<area_level>(distinct[e.area] & 3u)); };
    auto counted = [&](std::size_t b, std::size_t e) {  // the reports' patients get their ids
        for (std::size_t k = b; k < e; ++k) {
            auto& x = all[entries[k].idx];
            if (x.patient == no_patient) x.patient = patients.get(x.r->patient_id).first;
        }
    };
    auto make = [&](std::size_t pg_begin, std::size_t pg_end, std::size_t b, std::size_t e, bool keep_quiet, detected_cluster& c) {
        counted(b, e);
        own.clear();
        for (std::size_t k = b; k < e; ++k) own.push_back(all[entries[k].idx]);
        product.clear();
        if (det.product_scope()) {
            counted(pg_begin, pg_end);
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

    // A bound on what any window of a group can count, from the reports' flags alone: for each
    // fact, the reports (not patients, of the group or of the product, every window at once) with
    // any of its fields. When no facts within it give a grade or a warning, the group is quiet
    // without counting a window (most groups are one or two reports).
    const std::size_t nf = d.facts.size();
    const bool bounded = nf <= 32;
    auto matching = [&](std::uint32_t fl) {  // the detection facts whose "any" the flags meet
        std::uint32_t m = 0;
        for (std::size_t k = 0; k < nf; ++k)
            if (d.facts[k].any == 0 || (fl & d.facts[k].any)) m |= 1u << k;
        return m;
    };
    std::array<std::uint32_t, 1u << report_flag_count> matches{};
    if (bounded)
        for (std::uint32_t fl = 0; fl < matches.size(); ++fl) matches[fl] = matching(fl);
    std::vector<std::uint32_t> bound(nf), own_n(nf), product_n(nf);
    // up to 4 facts: one 16-bit lane a fact in one word, summed a report at a time
    std::array<std::uint64_t, 1u << report_flag_count> lanes{};
    const bool laned = nf <= 4;
    if (laned && bounded)
        for (std::uint32_t fl = 0; fl < lanes.size(); ++fl)
            for (std::size_t k = 0; k < nf; ++k) lanes[fl] |= std::uint64_t{matches[fl] >> k & 1u} << (16 * k);
    auto tally = [&](std::size_t b, std::size_t e, std::vector<std::uint32_t>& n, bool& one_kind) {
        const vigil::product kind = entries[b].kind;
        if (laned && e - b < 0xFFFF) {
            std::uint64_t sum = 0;
            for (std::size_t k = b; k < e; ++k) {
                const entry& x = entries[k];
                one_kind = one_kind && x.kind == kind;
                sum += x.flags < lanes.size() ? lanes[x.flags] : [&] {
                    std::uint64_t l = 0;
                    for (std::size_t f = 0; f < nf; ++f) l |= std::uint64_t{matching(x.flags) >> f & 1u} << (16 * f);
                    return l;
                }();
            }
            for (std::size_t f = 0; f < nf; ++f) n[f] = static_cast<std::uint32_t>(sum >> (16 * f) & 0xFFFF);
            return;
        }
        std::fill(n.begin(), n.end(), 0);
        for (std::size_t k = b; k < e; ++k) {
            const entry& x = entries[k];
            one_kind = one_kind && x.kind == kind;
            const std::uint32_t m = x.flags < matches.size() ? matches[x.flags] : matching(x.flags);
            for (std::size_t f = 0; f < nf; ++f) n[f] += m >> f & 1u;
        }
    };
    std::vector<std::pair<std::uint64_t, bool>> reach_memo(1024, {0, false});  // packed bound + 1 -> quiet
    auto quiet_by_bound = [&](std::size_t g, std::size_t ge, std::size_t b, std::size_t be, bool& product_tallied) {
        bool one_kind = true;
        if (det.product_scope() && !product_tallied) {
            bool pk = true;
            tally(g, ge, product_n, pk);
            product_tallied = true;
        }
        tally(b, be, own_n, one_kind);
        if (!one_kind) return false;
        for (std::size_t k = 0; k < nf; ++k) {
            const auto& f = d.facts[k];
            const std::uint32_t n = f.scope == detection_fact::scope_t::product ? product_n[k] : own_n[k];
            bound[k] = p.facts[f.fact].kind == fact_kind::boolean ? (n >= f.at_least ? 1u : 0u) : n;
        }
        // a direct-mapped memo of the answers (groups repeat the same few small bounds)
        if (nf <= 4) {
            std::uint64_t packed = static_cast<std::uint64_t>(entries[b].kind);
            bool fits = true;
            for (std::size_t k = 0; k < nf; ++k) {
                fits = fits && bound[k] < (1u << 14);
                packed |= std::uint64_t{bound[k]} << (8 + 14 * k);
            }
            if (fits) {
                auto& slot = reach_memo[(packed * 0x9E3779B97F4A7C15ull) >> 54];
                if (slot.first != packed + 1) slot = {packed + 1, !det.may_reach(bound, entries[b].kind)};
                return slot.second;
            }
        }
        return !det.may_reach(bound, entries[b].kind);
    };
    for (std::size_t g = 0; g < entries.size();) {
        std::size_t ge = g;
        while (ge < entries.size() && entries[ge].key == entries[g].key && entries[ge].area == entries[g].area) ++ge;
        bool product_tallied = false;
        for (std::size_t b = g; b < ge;) {
            std::size_t be = b;
            while (be < ge && entries[be].batch == entries[b].batch) ++be;
            if (!o.all && bounded && quiet_by_bound(g, ge, b, be, product_tallied)) {
                quiets.push_back({g, ge, b, be});
            } else if (make(g, ge, b, be, o.all, scratch)) {
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
        // A quiet cluster is graded by spread only when rollup() counts an area for a spread fact
        // that applies at its level (below): a graded cluster of its key text and product, grave
        // enough, fine enough, inside the area the fact counts within, whose window overlaps the
        // quiet one's (which starts at one of its reports' onsets). The others are not made.
        // Reports of one key id have the same fields (unless `joined`): their key text is looked up once.
        struct graded_one {
            instant from, to;
            std::int64_t from_t, to_t;  // the same in onset_t's scale (when it is kept)
            grade g;
            vigil::product kind;
            area_code area;
        };
        std::unordered_map<std::string, std::vector<graded_one>> graded_by_key;
        for (const auto& c : found)
            if (c.graded.grade != grade::none)
                graded_by_key[c.product_key].push_back({c.window_from, c.window_to,
                                                        onset_t.empty() ? 0 : (c.window_from - epoch).ticks() - t_lo,
                                                        onset_t.empty() ? 0 : (c.window_to - epoch).ticks() - t_lo,
                                                        c.graded.grade, c.product_kind, c.area});
        std::array<bool, 4> spread_level{};
        for (const auto& f : p.facts)
            if (f.spread) spread_level[static_cast<int>(f.spread->within ? *f.spread->within : f.spread->counted)] = true;
        const std::int64_t window_t = d.window.ticks();
        auto may_count = [&](const std::vector<graded_one>& graded, const quiet& q) {
            const vigil::product kind = entries[q.begin].kind;  // the first report's
            auto overlaps = [&](const graded_one& e) {
                if (!onset_t.empty()) {
                    const auto first = static_cast<std::int64_t>(onset_t[entries[q.begin].idx]);
                    const auto last_to = static_cast<std::int64_t>(onset_t[entries[q.end - 1].idx]) + window_t;
                    return e.from_t < last_to && first < e.to_t;
                }
                const instant first = all[entries[q.begin].idx].r->onset, last_to = all[entries[q.end - 1].idx].r->onset + d.window;
                return e.from < last_to && first < e.to;
            };
            std::optional<area_code> area_seen;
            for (const auto& e : graded) {
                if (e.kind != kind || !overlaps(e)) continue;
                if (!area_seen) area_seen = area_of(entries[q.begin]);
                const area_code& area = *area_seen;
                for (const auto& f : p.facts) {
                    if (!f.spread) continue;
                    const auto& rule = *f.spread;
                    if (rule.within ? area.level != *rule.within : area.level != rule.counted) continue;  // applies()
                    if (e.g < rule.at_least || e.area.level < rule.counted) continue;
                    if (rule.within && e.area.at(*rule.within) != area.at(*rule.within)) continue;
                    return true;
                }
            }
            return false;
        };
        std::vector<const std::vector<graded_one>*> key_graded(joined ? 0 : nkeys, nullptr);
        std::vector<bool> looked_up(joined ? 0 : nkeys, false);
        for (const auto& q : quiets) {
            if (!spread_level[distinct[entries[q.begin].area] & 3u]) continue;
            if (joined) {
                if (!keys_text.count(key_text(*all[entries[q.begin].idx].r, p, d.product_key, '|'))) continue;
            } else {
                const std::uint32_t k = entries[q.begin].key;
                if (!looked_up[k]) {
                    const case_report& r0 = *all[entries[q.begin].idx].r;
                    looked_up[k] = true;
                    auto it = graded_by_key.find(key_text(r0, p, d.product_key, '|'));
                    if (it != graded_by_key.end()) key_graded[k] = &it->second;
                }
                if (!key_graded[k] || !may_count(*key_graded[k], q)) continue;
            }
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
