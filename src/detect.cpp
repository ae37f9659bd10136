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
//
// The input is columns (report_columns): every text a pool id made once by the reader, times in
// seconds, flags as bits; nothing here hashes or compares a text but to write the answer. A
// product key is a tuple of its fields' ids (never a joined text). Most reports are in no cluster
// that can reach a grade or a warning: one pass tallies, for each product key, province and batch,
// the reports with each fact's fields, and only the reports of a key in a province where some
// batch's tally may reach one are grouped, sorted and counted (detect() below says why that
// changes no answer; tests/test_detect.cpp checks it against every cluster counted).
#include <vigil/detect.hpp>
#include <vigil/detail/answer_json.hpp>


#include <algorithm>
#include <cstring>
#include <limits>
#include <deque>
#include <tuple>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <unordered_map>
#include <unordered_set>

namespace vigil {
inline namespace v0 {

namespace {

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

// Seconds since the Unix epoch as an instant.
instant at_seconds(std::int64_t s) {
    static const instant epoch = instant(date(1970, 1, 1));
    return epoch + boost::posix_time::seconds(s);
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
    std::uint32_t row = 0;  // in the columns
    std::int64_t onset = 0, received = 0;
    std::uint32_t key = 0, batch = 0, patient = 0;
    std::uint32_t area = 0;  // the id of its area code (report_columns::areas)
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
    std::int64_t from = 0;
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
    group_detector(const plan& p, const detection_rules& d) : p_(p), d_(d), window_(d.window.total_seconds()) {
        for (const auto& f : d.facts)
            if (f.scope == detection_fact::scope_t::product) product_scope_ = true;
    }

    // `own`: the group's reports; `product`: every report of the same product key and area.
    // Both sorted by onset. Fills the cluster's answer and crossings.
    bool product_scope() const noexcept { return product_scope_; }

    // Could facts at or below `bound` (one value a detection fact, in the plan's order) give a
    // cluster of `prod` grade `g` or a graver one? Tried one by one while there are few of them;
    // otherwise assumed so.
    bool may_grade(const std::vector<std::uint32_t>& bound, product prod, grade g) {
        return any_within(bound, prod, [&](grade got, warning_colour) { return got >= g; });
    }

    // Does `pred(grade, warning)` hold for the answer of some facts at or below `bound` (one value a
    // detection fact, in the plan's order) for a cluster of `prod`? The facts are tried one by one
    // while there are at most 4096 of them; past that, assumed so (true).
    template <class Pred>
    bool any_within(const std::vector<std::uint32_t>& bound, product prod, Pred pred) {
        fact_values v(p_);
        v.product = prod;
        return some_within(bound, [&](const std::vector<std::uint32_t>& at) {
            for (std::size_t k = 0; k < at.size(); ++k) v.values[d_.facts[k].fact] = at[k];
            auto [g, w] = answer(v);
            return pred(g, w);
        });
    }

    // Does `holds(at)` hold for some `at` at or below `bound`, value by value? Tried one by one
    // while there are at most 4096 of them; past that, assumed so (true).
    template <class Holds>
    static bool some_within(const std::vector<std::uint32_t>& bound, Holds holds) {
        std::uint64_t n = 1;
        for (auto b : bound) {
            n *= std::uint64_t{b} + 1;
            if (n > 4096) return true;
        }
        std::vector<std::uint32_t> at(bound.size(), 0);
        for (;;) {
            if (holds(at)) return true;
            std::size_t k = 0;
            while (k < at.size() && at[k] == bound[k]) at[k++] = 0;
            if (k == at.size()) return false;
            ++at[k];
        }
    }

    // Could facts at or below `bound` (one value a detection fact, in the plan's order) give a
    // grade or a warning to a cluster of `prod`?
    bool may_reach(const std::vector<std::uint32_t>& bound, product prod) { return reachable(bound, prod); }

    // Could facts at or below `bound` (one value a detection fact, in the plan's order), with the
    // spread facts at or below `spread` (a plan fact's index and its bound), give a grade or a
    // warning to a cluster of `prod`? Tried one by one while there are at most 4096 of them; past
    // that, assumed so.
    bool may_reach_spread(const std::vector<std::uint32_t>& bound, const std::vector<std::pair<std::uint32_t, std::uint32_t>>& spread,
                          product prod) {
        key_.assign(1, static_cast<std::uint32_t>(prod));
        key_.insert(key_.end(), bound.begin(), bound.end());
        for (const auto& [f, b] : spread) {
            key_.push_back(f);
            key_.push_back(b);
        }
        if (auto it = spread_reach_.find(key_); it != spread_reach_.end()) return it->second;
        std::vector<std::uint32_t> fact, hi;
        for (std::size_t k = 0; k < d_.facts.size(); ++k) {
            fact.push_back(d_.facts[k].fact);
            hi.push_back(bound[k]);
        }
        for (const auto& [f, b] : spread) {
            fact.push_back(f);
            hi.push_back(b);
        }
        fact_values v(p_);
        v.product = prod;
        const bool r = some_within(hi, [&](const std::vector<std::uint32_t>& at) {
            for (std::size_t k = 0; k < at.size(); ++k) v.values[fact[k]] = at[k];
            const auto [g, w] = grade_and_warning(v);
            return g != grade::none || w != warning_colour::none;
        });
        if (spread_reach_.size() < (1u << 16)) spread_reach_.emplace(key_, r);
        return r;
    }

    // Returns whether the cluster could have had a grade or a warning (false: no replay was needed).
    // The rows of the window answered go to `rows` (its report ids are written only for a cluster
    // answered).
    bool run(const std::vector<prepared>& own, const std::vector<prepared>& product, detected_cluster& c, std::vector<std::uint32_t>& rows,
             bool fill_quiet) {
        // Every report in: the answer, and a bound on every fact any window could have had on the
        // way (a count of patients "with none of" some fields can be higher before a later report
        // adds such a field, so the bound leaves "none" out).
        window_answer& best = best_;
        bool have_best = false;
        std::vector<std::uint32_t>& bound = bound_;
        bound.assign(d_.facts.size(), 0);
        const std::int64_t all_in = std::numeric_limits<std::int64_t>::max();
        for (std::size_t i = 0; i < own.size(); ++i) {
            if (i > 0 && own[i - 1].onset == own[i].onset) continue;  // the same window
            const window_answer& a = evaluate(own, product, i, all_in, true, &bound);
            if (!have_best || graver(a, best)) {
                best = a;  // copies into the capacity best already has
                have_best = true;
            }
        }
        if (!have_best) return false;
        const bool may_cross = reachable(bound, best.facts.product);
        if (!may_cross && !fill_quiet) return false;
        c.window_from = at_seconds(best.from);
        c.window_to = at_seconds(best.from + window_);
        c.facts = best.facts;
        c.patients = best.patients;
        std::int64_t settled = own[best.members.front()].received;
        rows.clear();
        for (auto m : best.members) {
            rows.push_back(own[m].row);
            settled = std::max(settled, own[m].received);
        }
        c.settled = at_seconds(settled);
        if (!may_cross) return false;  // no grade or warning on the way: nothing to replay
        // Replay by receipt, a window at a time: what a window counts changes only at the receipt
        // of one of its reports (or, with facts of product scope, of one of its product's in its
        // time), so it is counted at those instants alone, from the receipt of the report it
        // starts at; each grade and warning was first reached at the least instant any window
        // reached it. (Windows that start at one onset are one: the later is counted only while
        // the report before it is not in.)
        constexpr std::int64_t never = std::numeric_limits<std::int64_t>::max();
        std::array<std::int64_t, std::tuple_size_v<decltype(c.grade_first)>> grade_at;
        std::array<std::int64_t, std::tuple_size_v<decltype(c.warning_first)>> warning_at;
        grade_at.fill(never);
        warning_at.fill(never);
        std::vector<std::int64_t>& when = when_;
        for (std::size_t i = 0; i < own.size(); ++i) {
            const std::int64_t from = own[i].onset, to = from + window_, first = own[i].received;
            const std::int64_t until = i > 0 && own[i - 1].onset == from ? own[i - 1].received : never;
            if (first >= until) continue;
            when.clear();
            for (std::size_t j = i; j < own.size() && own[j].onset < to; ++j)
                if (own[j].received >= first && own[j].received < until) when.push_back(own[j].received);
            if (product_scope_) {
                auto lo = std::lower_bound(product.begin(), product.end(), from, [](const prepared& x, std::int64_t t) { return x.onset < t; });
                for (auto it = lo; it != product.end() && it->onset < to; ++it)
                    if (it->received >= first && it->received < until) when.push_back(it->received);
            }
            std::sort(when.begin(), when.end());
            when.erase(std::unique(when.begin(), when.end()), when.end());
            for (const std::int64_t tau : when) {
                const window_answer& a = evaluate(own, product, i, tau, false, nullptr);
                for (int g = 1; g <= static_cast<int>(a.g); ++g) grade_at[g] = std::min(grade_at[g], tau);
                for (int w = 1; w <= static_cast<int>(a.w); ++w) warning_at[w] = std::min(warning_at[w], tau);
            }
        }
        for (std::size_t g = 0; g < grade_at.size(); ++g)
            if (grade_at[g] != never) c.grade_first[g] = at_seconds(grade_at[g]);
        for (std::size_t w = 0; w < warning_at.size(); ++w)
            if (warning_at[w] != never && has_colour(static_cast<int>(w))) c.warning_first[w] = at_seconds(warning_at[w]);
        return true;
    }

private:
    // the plan issues warnings of this colour (a graver one crosses the lighter ones' thresholds too)
    bool has_colour(int w) const { return p_.warnings && p_.warnings->find(static_cast<warning_colour>(w)); }

    // The grade and warning of a set of counted facts (the other facts 0), remembered: clusters
    // repeat the same few small counts.
    std::pair<grade, warning_colour> answer(const fact_values& v) {
        // up to four facts of small values: a direct-mapped memo of their packed values
        if (d_.facts.size() <= 4) {
            std::uint64_t packed = static_cast<std::uint64_t>(v.product);
            bool fits = true;
            for (std::size_t k = 0; k < d_.facts.size(); ++k) {
                const std::uint32_t x = v.values[d_.facts[k].fact];
                fits = fits && x < (1u << 14);
                packed |= std::uint64_t{x} << (8 + 14 * k);
            }
            if (fits) {
                if (memo_.empty()) memo_.assign(4096, {0, {}});
                auto& slot = memo_[(packed * 0x9E3779B97F4A7C15ull) >> 52];
                if (slot.first != packed + 1) slot = {packed + 1, answer_uncached(v)};
                return slot.second;
            }
        }
        return answer_uncached(v);
    }

    std::pair<grade, warning_colour> answer_uncached(const fact_values& v) {
        key_.assign(1, static_cast<std::uint32_t>(v.product));
        for (const auto& f : d_.facts) key_.push_back(v.values[f.fact]);
        auto it = cache_.find(key_);
        if (it != cache_.end()) return it->second;
        const auto r = grade_and_warning(v);
        if (cache_.size() < (1u << 16)) cache_.emplace(key_, r);
        return r;
    }

    // The plan's grade and warning for v, computed (answer() is the cached form, for the detection facts).
    std::pair<grade, warning_colour> grade_and_warning(const fact_values& v) const {
        const assessment as = classify(p_, v);
        return {as.grade, decide_levels(p_, v, as.grade, as.in_scope).warning};
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
        return any_within(bound, prod, [](grade g, warning_colour w) { return g != grade::none || w != warning_colour::none; });
    }

    // The answer of the window that starts at own[i]'s onset, with the reports received by `tau`
    // (valid until the next call).
    const window_answer& evaluate(const std::vector<prepared>& own, const std::vector<prepared>& product, std::size_t i,
                                  std::int64_t tau, bool keep_members, std::vector<std::uint32_t>* bound) {
        window_answer& a = cur_;
        a.members.clear();
        a.from = own[i].onset;
        const std::int64_t to = a.from + window_;
        own_.clear();
        for (std::size_t j = i; j < own.size() && own[j].onset < to; ++j) {
            if (own[j].received > tau) continue;
            own_.emplace_back(own[j].patient, own[j].flags);
            if (keep_members) a.members.push_back(static_cast<std::uint32_t>(j));
        }
        merge_patients(own_);
        if (product_scope_) {
            prod_.clear();
            auto lo = std::lower_bound(product.begin(), product.end(), a.from,
                                       [](const prepared& x, std::int64_t t) { return x.onset < t; });
            for (auto it = lo; it != product.end() && it->onset < to; ++it)
                if (it->received <= tau) prod_.emplace_back(it->patient, it->flags);
            merge_patients(prod_);
        }
        a.patients = static_cast<std::uint32_t>(own_.size());
        a.facts.values.assign(p_.facts.size(), 0);
        a.facts.product = own[i].kind;
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
    std::int64_t window_;  // seconds
    std::vector<std::int64_t> when_;
    std::vector<std::uint32_t> bound_;
    bool product_scope_ = false;
    patient_flags own_, prod_;
    window_answer cur_, best_;
    std::vector<std::uint32_t> key_;
    std::vector<std::pair<std::uint64_t, std::pair<grade, warning_colour>>> memo_;  // packed facts + 1 -> answer
    std::unordered_map<std::vector<std::uint32_t>, std::pair<grade, warning_colour>, key_hash> cache_;
    std::unordered_map<std::vector<std::uint32_t>, bool, key_hash> reach_, spread_reach_;
};

void key_text(std::string& s, const report_columns& c, std::uint32_t row, const plan& p, const std::vector<key_field>& key, char sep) {
    for (std::size_t i = 0; i < key.size(); ++i) {
        if (i) s += sep;
        switch (key[i]) {
        case key_field::product_kind: s += p.product_id(c.product_kind[row]); break;
        case key_field::product_id: s += c.product_ids[c.product_id[row]]; break;
        case key_field::product_name: s += c.product_names[c.product_name[row]]; break;
        case key_field::maker: s += c.makers[c.maker[row]]; break;
        case key_field::dosage_form: s += c.dosage_forms[c.dosage_form[row]]; break;
        case key_field::strength: s += c.strengths[c.strength[row]]; break;
        }
    }
}

std::string key_text(const report_columns& c, std::uint32_t row, const plan& p, const std::vector<key_field>& key, char sep) {
    std::string s;
    key_text(s, c, row, p, key, sep);
    return s;
}

// The column of a key field's ids and its pool (none for product_kind).
const std::vector<std::uint32_t>* key_column(const report_columns& c, key_field f) {
    switch (f) {
    case key_field::product_kind: return nullptr;
    case key_field::product_id: return &c.product_id;
    case key_field::product_name: return &c.product_name;
    case key_field::maker: return &c.maker;
    case key_field::dosage_form: return &c.dosage_form;
    case key_field::strength: return &c.strength;
    }
    return nullptr;
}
const string_pool* key_pool(const report_columns& c, key_field f) {
    switch (f) {
    case key_field::product_kind: return nullptr;
    case key_field::product_id: return &c.product_ids;
    case key_field::product_name: return &c.product_names;
    case key_field::maker: return &c.makers;
    case key_field::dosage_form: return &c.dosage_forms;
    case key_field::strength: return &c.strengths;
    }
    return nullptr;
}

// The ids made once over every report taken (the input's order): each row's product key (a tuple
// of its fields' ids made one id: no text is joined, so no field's characters can make two
// products one; `not_taken` for a report id given again) and each batch's (or batch prefix's) id,
// in the order first seen; and each area code's rank, at each level, among every packed area.
constexpr std::uint32_t not_taken = 0xFFFFFFFFu;
struct taken_ids {
    const plan& p;
    const detection_rules& d;
    const report_columns& cols;
    const detect_options& o;
    std::unique_ptr<std::uint32_t[]> key;  // by row
    std::vector<std::uint32_t> batch_of;  // by batch (pool id)
    std::size_t nkeys = 0, nbatches = 0;
    std::vector<std::array<std::uint32_t, 4>> area_ranks;  // by area id
    std::vector<std::uint64_t> distinct;                   // every packed area, sorted
};

// detect() over the reports `sel` (rows taken, in the input's order), its clusters into
// `clusters`, the gravest first. `whole_keys`: the keys of the clusters graded by their own facts
// grave enough for a spread fact counted nationwide (it may count for a quiet cluster of that key
// in any province).
void detect_rows(const taken_ids& t, const std::vector<std::uint32_t>& sel, std::vector<detected_cluster>& clusters,
                 std::vector<std::uint32_t>* whole_keys) {
    const plan& p = t.p;
    const detection_rules& d = t.d;
    const report_columns& cols = t.cols;
    const detect_options& o = t.o;
    const std::vector<std::uint64_t>& distinct = t.distinct;
    const std::int64_t window_s = d.window.total_seconds();
    std::vector<prepared> all;
    all.reserve(sel.size());
    for (const std::uint32_t r : sel) {
        prepared x;
        x.row = r;
        x.onset = cols.onset[r];
        x.received = cols.received[r];
        x.key = t.key[r];
        x.batch = t.batch_of[cols.batch[r]];
        x.patient = cols.patient_id[r];
        x.area = cols.area[r];
        x.flags = cols.flags[r];
        x.kind = cols.product_kind[r];
        x.level = cols.areas[x.area].level;
        all.push_back(x);
    }

    // By onset, stably: a radix sort of the onsets' seconds after the earliest.
    if (all.size() >= 2) {
        struct timed {
            std::uint64_t t;
            std::uint32_t i;
        };
        std::int64_t lo = all.front().onset, hi = lo;
        for (const auto& x : all) {
            lo = std::min(lo, x.onset);
            hi = std::max(hi, x.onset);
        }
        std::vector<timed> ts(all.size()), tmp;
        for (std::size_t i = 0; i < all.size(); ++i)
            ts[i] = {static_cast<std::uint64_t>(all[i].onset) - static_cast<std::uint64_t>(lo), static_cast<std::uint32_t>(i)};
        radix_sort(ts, tmp, bit_width(static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo) + 1), [](const timed& x) { return x.t; });
        std::vector<prepared> sorted(all.size());
        for (std::size_t i = 0; i < ts.size(); ++i) sorted[i] = all[ts[i].i];
        all.swap(sorted);
    }

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
    const int kb = bit_width(t.nkeys), ab = bit_width(distinct.size()), bb = bit_width(t.nbatches), ib = bit_width(all.size());
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
            const auto& ranks = t.area_ranks[x.area];
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
            const auto& ranks = t.area_ranks[x.area];
            for (int l = 0; l <= static_cast<int>(x.level); ++l) entries.push_back({x.key, ranks[l], x.batch, i, x.flags, x.kind});
        }
        std::sort(entries.begin(), entries.end(), [](const entry& a, const entry& b) {
            return std::tie(a.key, a.area, a.batch, a.idx) < std::tie(b.key, b.area, b.batch, b.idx);
        });
    }

    group_detector det(p, d);
    std::vector<detected_cluster> found;
    std::vector<std::uint32_t> found_key;  // each found cluster's key id
    std::vector<std::vector<std::uint32_t>> found_rows;  // each found cluster's rows (its report ids)
    struct quiet {  // a cluster with no grade or warning of its own: a target of the spread facts only
        std::size_t pg_begin, pg_end, begin, end;
    };
    std::vector<quiet> quiets;
    std::vector<prepared> own, product;
    std::vector<std::uint32_t> product_idx;
    std::size_t product_of = ~std::size_t{0};  // the (key, area) group `product` holds
    detected_cluster scratch;
    std::vector<std::uint32_t> scratch_rows;
    auto area_of = [&](const entry& e) { return cols.areas[all[e.idx].area].at(static_cast<area_level>(distinct[e.area] & 3u)); };
    auto make = [&](std::size_t pg_begin, std::size_t pg_end, std::size_t b, std::size_t e, bool keep_quiet, detected_cluster& c,
                    std::vector<std::uint32_t>& rows) {
        own.clear();
        for (std::size_t k = b; k < e; ++k) own.push_back(all[entries[k].idx]);
        if (det.product_scope() && pg_begin != product_of) {  // made once for the batches of one (key, area)
            product_of = pg_begin;
            product_idx.clear();
            for (std::size_t k = pg_begin; k < pg_end; ++k) product_idx.push_back(entries[k].idx);
            if (e - b != pg_end - pg_begin) std::sort(product_idx.begin(), product_idx.end());  // `all` is by onset
            product.clear();
            for (const auto i : product_idx) product.push_back(all[i]);
        }
        c.area = area_of(entries[b]);
        if (!det.run(own, product, c, rows, keep_quiet) && !keep_quiet) return false;
        const prepared& r0 = own.front();
        c.product_kind = r0.kind;
        c.product_id = cols.product_ids[cols.product_id[r0.row]];
        c.product_name = cols.product_names[cols.product_name[r0.row]];
        const std::string_view batch = cols.batches[cols.batch[r0.row]];
        c.batch = d.batch_prefix ? batch.substr(0, d.batch_prefix) : batch;
        c.product_key = key_text(cols, r0.row, p, d.product_key, '|');
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
    // The bound of the batch [b, be) of the (key, area) group [g, ge) into `bound`; false when its
    // reports are of more than one product (then nothing is bounded).
    auto fill_bound = [&](std::size_t g, std::size_t ge, std::size_t b, std::size_t be, bool& product_tallied) {
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
        return true;
    };
    auto quiet_by_bound = [&](std::size_t g, std::size_t ge, std::size_t b, std::size_t be, bool& product_tallied) {
        if (!fill_bound(g, ge, b, be, product_tallied)) return false;
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
            } else if (make(g, ge, b, be, o.all, scratch, scratch_rows)) {
                found.push_back(std::move(scratch));
                found_key.push_back(entries[b].key);
                found_rows.push_back(std::move(scratch_rows));
                scratch = detected_cluster{};
                scratch_rows = {};
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
    if (whole_keys)
        for (std::size_t i = 0; i < found.size(); ++i)
            for (const auto& f : p.facts)
                if (f.spread && !f.spread->within && found[i].graded.grade != grade::none && found[i].graded.grade >= f.spread->at_least &&
                    found[i].area.level >= f.spread->counted)
                    whole_keys->push_back(found_key[i]);
    if (any_spread && !quiets.empty()) {
        // The quiet clusters of a product with a graded cluster elsewhere may be graded by spread:
        // only when rollup() may count areas for a spread fact that applies at its level, and the
        // spread facts within those counts, with its own facts within their bound, may give it a
        // grade or a warning (may_count below). The others are not made: they would answer nothing.
        struct graded_one {
            std::int64_t from_t, to_t;  // seconds
            grade g;
            vigil::product kind;
            area_code area;
        };
        // by key id (a counting sort): graded[graded_from[k], graded_from[k + 1])
        std::vector<std::uint32_t> graded_from(t.nkeys + 1, 0);
        for (std::size_t i = 0; i < found.size(); ++i)
            if (found[i].graded.grade != grade::none) ++graded_from[found_key[i] + 1];
        for (std::size_t k = 0; k < t.nkeys; ++k) graded_from[k + 1] += graded_from[k];
        std::vector<graded_one> graded(graded_from.back());
        {
            std::vector<std::uint32_t> next(graded_from.begin(), graded_from.end() - 1);
            for (std::size_t i = 0; i < found.size(); ++i) {
                const auto& c = found[i];
                if (c.graded.grade != grade::none)
                    graded[next[found_key[i]]++] = {unix_seconds(c.window_from), unix_seconds(c.window_to), c.graded.grade, c.product_kind, c.area};
            }
        }
        std::array<bool, 4> spread_level{};
        for (const auto& f : p.facts)
            if (f.spread) spread_level[static_cast<int>(f.spread->within ? *f.spread->within : f.spread->counted)] = true;
        // A bound on each spread fact rollup() may count for the quiet cluster q (a plan fact's
        // index and the distinct areas that may count): the graded clusters of its key text and
        // product, grave enough, fine enough, inside the area the fact counts within, whose window
        // overlaps any the quiet one may have (it starts at one of its reports' onsets). Empty when
        // none may count.
        std::vector<std::pair<std::uint32_t, std::uint32_t>> spread_bound;
        std::vector<std::uint64_t> counted_areas;
        std::vector<const graded_one*> near;  // of the key, the product and a time the quiet one may have
        auto may_count = [&](std::span<const graded_one> of_key, const quiet& q) {
            spread_bound.clear();
            const vigil::product kind = entries[q.begin].kind;  // the first report's
            const std::int64_t first = all[entries[q.begin].idx].onset, last_to = all[entries[q.end - 1].idx].onset + window_s;
            near.clear();
            for (const auto& e : of_key)
                if (e.kind == kind && e.from_t < last_to && first < e.to_t) near.push_back(&e);
            if (near.empty()) return false;
            const area_code area = area_of(entries[q.begin]);
            for (const auto& f : p.facts) {
                if (!f.spread) continue;
                const auto& rule = *f.spread;
                if (rule.within ? area.level != *rule.within : area.level != rule.counted) continue;  // applies()
                counted_areas.clear();
                for (const graded_one* e : near) {
                    if (e->g < rule.at_least || e->area.level < rule.counted) continue;
                    if (rule.within && e->area.at(*rule.within) != area.at(*rule.within)) continue;
                    counted_areas.push_back(pack(e->area.at(rule.counted)));
                }
                if (counted_areas.empty()) continue;
                std::sort(counted_areas.begin(), counted_areas.end());
                const auto distinct_areas = std::unique(counted_areas.begin(), counted_areas.end()) - counted_areas.begin();
                spread_bound.emplace_back(f.index, static_cast<std::uint32_t>(distinct_areas));
            }
            if (spread_bound.empty()) return false;
            // and only when the spread facts within that bound, with the quiet cluster's own facts
            // within theirs, may give it a grade or a warning
            bool product_tallied = false;
            if (!bounded || !fill_bound(q.pg_begin, q.pg_end, q.begin, q.end, product_tallied)) return true;
            return det.may_reach_spread(bound, spread_bound, kind);
        };
        for (const auto& q : quiets) {
            if (!spread_level[distinct[entries[q.begin].area] & 3u]) continue;
            const std::uint32_t k = entries[q.begin].key;
            if (graded_from[k] == graded_from[k + 1] ||
                !may_count(std::span<const graded_one>(graded.data() + graded_from[k], graded_from[k + 1] - graded_from[k]), q))
                continue;
            detected_cluster c;
            std::vector<std::uint32_t> rows;
            make(q.pg_begin, q.pg_end, q.begin, q.end, true, c, rows);
            c.graded = classify(p, c.facts);
            found.push_back(std::move(c));
            found_key.push_back(k);
            found_rows.push_back(std::move(rows));
        }
    }
    if (any_spread) {
        std::unordered_map<std::uint32_t, std::vector<std::size_t>> by_key;  // by key id: products are never joined by their texts
        for (std::size_t i = 0; i < found.size(); ++i)
            if (found[i].graded.grade != grade::none) by_key[found_key[i]].push_back(i);
        std::vector<assessment> regraded(found.size());
        std::vector<bool> changed(found.size(), false);
        for (std::size_t i = 0; i < found.size(); ++i) {
            auto& c = found[i];
            auto it = by_key.find(found_key[i]);
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
    for (std::size_t i = 0; i < found.size(); ++i) {
        auto& c = found[i];
        c.levels = decide_levels(p, c.facts, c.graded.grade, c.graded.in_scope);
        bool crossed = false;
        for (const auto& t : c.grade_first) crossed = crossed || t.has_value();
        for (const auto& t : c.warning_first) crossed = crossed || t.has_value();
        if (o.all || crossed || c.graded.grade != grade::none || c.levels.warning != warning_colour::none) {
            c.report_ids.reserve(found_rows[i].size());
            for (const std::uint32_t r : found_rows[i]) c.report_ids.emplace_back(cols.report_ids[cols.report_id[r]]);
            clusters.push_back(std::move(c));
        }
    }
    std::stable_sort(clusters.begin(), clusters.end(), [](const detected_cluster& a, const detected_cluster& b) {
        if (a.graded.grade != b.graded.grade) return a.graded.grade > b.graded.grade;
        if (a.levels.warning != b.levels.warning) return a.levels.warning > b.levels.warning;
        if (a.product_key != b.product_key) return a.product_key < b.product_key;
        if (a.batch != b.batch) return a.batch < b.batch;
        if (a.area.level != b.area.level) return a.area.level > b.area.level;
        if (a.area != b.area) return a.area < b.area;
        return a.window_from < b.window_from;
    });
}

}  // namespace

std::uint64_t string_pool::hash(std::string_view s) noexcept { return hash_text(s); }

namespace {
// a == b, without a call for the short texts of report fields
inline bool same_text(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    std::size_t n = a.size(), i = 0;
    for (; i + 8 <= n; i += 8) {
        std::uint64_t x, y;
        std::memcpy(&x, a.data() + i, 8);
        std::memcpy(&y, b.data() + i, 8);
        if (x != y) return false;
    }
    for (; i < n; ++i)
        if (a[i] != b[i]) return false;
    return true;
}
}  // namespace

// A slot holds the hash's high half and the id + 1, and is found by that half: the table grows
// without reading a text again.
void string_pool::prefetch(std::uint64_t h) const noexcept {
#if defined(__GNUC__) || defined(__clang__)
    if (!slots_.empty()) __builtin_prefetch(&slots_[(h >> 32) & (slots_.size() - 1)]);
#else
    (void)h;
#endif
}

std::uint32_t string_pool::intern(std::string_view s) { return intern(s, hash_text(s)); }

std::uint32_t string_pool::intern(std::string_view s, std::uint64_t h) {
    if (s.empty() && empty_ != 0) return empty_ - 1;  // an absent optional field, every row
    if (slots_.empty()) rehash(std::max<std::size_t>(16, size() * 2));
    const std::uint64_t tag = h & 0xFFFFFFFF00000000ull;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = (h >> 32) & mask;; i = (i + 1) & mask) {
        const std::uint64_t v = slots_[i];
        if (v == 0) {
            const auto id = static_cast<std::uint32_t>(size());
            text_.append(s);
            start_.push_back(text_.size());
            slots_[i] = tag | (std::uint64_t{id} + 1);
            if (s.empty()) empty_ = id + 1;
            if (size() * 2 > slots_.size()) rehash(slots_.size() * 2);  // at most half full: short probes
            return id;
        }
        if ((v & 0xFFFFFFFF00000000ull) == tag && same_text((*this)[static_cast<std::uint32_t>(v) - 1], s)) return static_cast<std::uint32_t>(v) - 1;
    }
}

void string_pool::reserve(std::size_t texts) {
    if (texts * 2 > slots_.size()) rehash(texts * 2);
    start_.reserve(texts + 1);
}

void string_pool::rehash(std::size_t capacity) {
    std::size_t cap = 16;
    while (cap < capacity) cap <<= 1;
    std::vector<std::uint64_t> slots(cap, 0);
    const std::size_t mask = cap - 1;
    auto place = [&](std::uint64_t v) {
        std::size_t i = (v >> 32) & mask;
        while (slots[i]) i = (i + 1) & mask;
        slots[i] = v;
    };
    if (slots_.empty()) {  // after drop_index(): from the texts
        for (std::uint32_t id = 0; id < size(); ++id) place((hash_text((*this)[id]) & 0xFFFFFFFF00000000ull) | (std::uint64_t{id} + 1));
    } else {
        for (const std::uint64_t v : slots_)
            if (v) place(v);
    }
    slots_.swap(slots);
}

void string_pool::drop_index() noexcept { slots_ = {}; }

void report_columns::reserve(std::size_t n) {
    for (auto* v : {&report_id, &patient_id, &product_id, &product_name, &batch, &maker, &dosage_form, &strength, &area}) v->reserve(n);
    report_ids.reserve(n);
    patient_ids.reserve(n);
    product_kind.reserve(n);
    onset.reserve(n);
    received.reserve(n);
    flags.reserve(n);
}

std::uint32_t report_columns::area_id(const area_code& a) {
    if (area_slots_.empty() || areas.size() * 2 >= area_slots_.size()) {
        std::size_t cap = 64;
        while (cap < areas.size() * 4) cap <<= 1;
        area_slots_.assign(cap, 0);
        for (std::size_t id = 0; id < areas.size(); ++id) {
            std::size_t i = (pack(areas[id]) * 0x9E3779B97F4A7C15ull) >> 20 & (cap - 1);
            while (area_slots_[i]) i = (i + 1) & (cap - 1);
            area_slots_[i] = id + 1;
        }
    }
    const std::size_t mask = area_slots_.size() - 1;
    for (std::size_t i = (pack(a) * 0x9E3779B97F4A7C15ull) >> 20 & mask;; i = (i + 1) & mask) {
        const std::uint64_t v = area_slots_[i];
        if (v == 0) {
            areas.push_back(a);
            area_slots_[i] = areas.size();
            return static_cast<std::uint32_t>(areas.size() - 1);
        }
        if (areas[v - 1] == a) return static_cast<std::uint32_t>(v - 1);
    }
}

void report_columns::push_back(const fields& f) {
    // the two fields of (nearly) a text a report: their slots are brought into the cache while the
    // other fields are looked up
    const std::uint64_t hr = string_pool::hash(f.report_id), hp = string_pool::hash(f.patient_id);
    report_ids.prefetch(hr);
    patient_ids.prefetch(hp);
    product_id.push_back(product_ids.intern(f.product_id));
    product_name.push_back(product_names.intern(f.product_name));
    batch.push_back(batches.intern(f.batch));
    maker.push_back(makers.intern(f.maker));
    dosage_form.push_back(dosage_forms.intern(f.dosage_form));
    strength.push_back(strengths.intern(f.strength));
    area.push_back(area_id(f.area));
    product_kind.push_back(f.product_kind);
    onset.push_back(f.onset);
    received.push_back(f.received);
    flags.push_back(f.flags);
    report_id.push_back(report_ids.intern(f.report_id, hr));
    patient_id.push_back(patient_ids.intern(f.patient_id, hp));
}

void report_columns::push_back(const case_report& r) {
    fields f;
    f.report_id = r.report_id;
    f.patient_id = r.patient_id;
    f.product_id = r.product_id;
    f.product_name = r.product_name;
    f.batch = r.batch;
    f.maker = r.maker;
    f.dosage_form = r.dosage_form;
    f.strength = r.strength;
    f.product_kind = r.product_kind;
    f.onset = unix_seconds(r.onset);
    f.received = unix_seconds(r.received);
    f.area = r.area;
    f.flags = r.flags;
    push_back(f);
}

void report_columns::drop_indexes() noexcept {
    for (auto* s : {&report_ids, &patient_ids, &product_ids, &product_names, &batches, &makers, &dosage_forms, &strengths}) s->drop_index();
}

result<detect_result> detect(const plan& p, const std::vector<case_report>& reports, const detect_options& o) {
    if (!p.detection)
        return error{errc::invalid_plan, "detect.no_detection", {{"plan", p.info.id}}};
    report_columns cols;
    cols.reserve(reports.size());
    for (std::size_t i = 0; i < reports.size(); ++i) {
        const case_report& r = reports[i];
        for (const auto& [name, t] : {std::pair<const char*, const instant*>{"onset", &r.onset}, {"received", &r.received}})
            if (t->is_special())
                return error{errc::invalid_input, "detect.not_a_time", {{"field", std::string("reports[") + std::to_string(i) + "]." + name}}};
        cols.push_back(r);
    }
    return detect_columns(p, cols, o);
}

result<detect_result> detect_columns(const plan& p, const report_columns& cols, const detect_options& o) {
    if (!p.detection)
        return error{errc::invalid_plan, "detect.no_detection", {{"plan", p.info.id}}};
    const detection_rules& d = *p.detection;
    detect_result out;
    const std::size_t n = cols.size();
    auto uneven = [&](const char* column) {
        return error{errc::invalid_input, "detect.columns_uneven", {{"column", column}, {"rows", std::to_string(n)}}};
    };
    auto outside = [&](const char* column) { return error{errc::invalid_input, "detect.column_id", {{"column", column}}}; };
    if (n > 0xFFFFFFF0u) return uneven("report_id");
    for (const auto& [name, size] : {std::pair<const char*, std::size_t>{"patient_id", cols.patient_id.size()},
                                     {"product_id", cols.product_id.size()},
                                     {"product_name", cols.product_name.size()},
                                     {"batch", cols.batch.size()},
                                     {"area", cols.area.size()},
                                     {"product_kind", cols.product_kind.size()},
                                     {"onset", cols.onset.size()},
                                     {"received", cols.received.size()},
                                     {"flags", cols.flags.size()}})
        if (size != n) return uneven(name);
    for (const auto f : d.product_key)
        if (const auto* c = key_column(cols, f); c && c->size() != n) return uneven(std::string(to_string(f)).c_str());

    // The areas ranked in the order of pack(), and each one's province (a dense id).
    taken_ids t{p, d, cols, o, {}, {}, 0, 0, {}, {}};
    constexpr std::uint32_t none = 0xFFFFFFFFu;
    const std::size_t nareas = cols.areas.size();
    std::vector<std::array<std::uint64_t, 4>> packs(nareas);
    for (std::size_t a = 0; a < nareas; ++a)
        for (int l = 0; l <= static_cast<int>(cols.areas[a].level); ++l) {
            packs[a][l] = pack(cols.areas[a].at(static_cast<area_level>(l)));
            t.distinct.push_back(packs[a][l]);
        }
    std::sort(t.distinct.begin(), t.distinct.end());
    t.distinct.erase(std::unique(t.distinct.begin(), t.distinct.end()), t.distinct.end());
    t.area_ranks.resize(nareas);
    for (std::size_t a = 0; a < nareas; ++a)
        for (int l = 0; l <= static_cast<int>(cols.areas[a].level); ++l)
            t.area_ranks[a][l] = static_cast<std::uint32_t>(std::lower_bound(t.distinct.begin(), t.distinct.end(), packs[a][l]) - t.distinct.begin());
    std::vector<std::uint32_t> prov_of_area(nareas);
    std::size_t nprov = 0;
    {
        std::vector<std::uint32_t> index(t.distinct.size(), none);
        for (std::size_t a = 0; a < nareas; ++a) {
            auto& x = index[t.area_ranks[a][0]];
            if (x == none) x = static_cast<std::uint32_t>(nprov++);
            prov_of_area[a] = x;
        }
    }

    // Most reports are in no cluster that can be graded or warned. A cluster's reports are among
    // those of its province's cluster (the same key and batch), and whatever any window of a
    // cluster counts is at most the reports (not patients) of the province's with any of a fact's
    // fields (of its batch, or of the product for a fact of product scope): when nothing within
    // that bound gives a grade or a warning, no cluster of that batch in the province can, at any
    // level. So the provinces' bounds are tallied first (no sort), and only the reports of a product
    // key in a province where some batch may reach something are detected in full (with the other
    // batches there, which product-scope facts and the spread facts within the province read). A
    // spread fact counted nationwide ("2个以上省份") may count a cluster graded in one province for
    // a quiet one of its key anywhere: the keys of such clusters are then detected whole, again.
    // `--all` counts every cluster.
    //
    // The tally of each (key, province) is made in the pass that takes the reports (the cells of
    // every product key and province stay small enough for the cache); a batch's own tally only
    // from the few reports with a field a fact of cluster scope counts (a batch without one is
    // bounded as its product is).
    const std::size_t nf = d.facts.size();
    const bool kind_in_key = std::find(d.product_key.begin(), d.product_key.end(), key_field::product_kind) != d.product_key.end();
    const bool may_filter = !o.all && kind_in_key && nf >= 1 && nf <= 4;
    std::array<std::uint64_t, 1u << report_flag_count> lanes{};  // a report's flags -> one 16-bit lane a fact
    auto lane = [&](std::uint32_t fl) {
        std::uint64_t l = 0;
        for (std::size_t k = 0; k < nf && k < 4; ++k)
            if (d.facts[k].any == 0 || (fl & d.facts[k].any)) l |= std::uint64_t{1} << (16 * k);
        return l;
    };
    std::uint64_t own_lanes = 0;  // the lanes of the facts of cluster scope
    if (may_filter) {
        for (std::uint32_t fl = 0; fl < lanes.size(); ++fl) lanes[fl] = lane(fl);
        for (std::size_t k = 0; k < nf; ++k)
            if (d.facts[k].scope == detection_fact::scope_t::cluster) own_lanes |= std::uint64_t{0xFFFF} << (16 * k);
    }
    // given up (and freed) should the cells of every key and province outgrow what the filter takes
    bool tallying = may_filter;
    const std::size_t tally_cap = std::max<std::size_t>(std::size_t{1} << 22, n);
    std::vector<std::uint64_t> prod_l;  // by (key, province): the lanes of its reports
    std::vector<std::uint32_t> key_n;   // by key: its reports
    struct flagged_report {  // a taken report with a lane of cluster scope
        std::uint64_t lanes;
        std::uint32_t cell, batch;  // (key, province); batch id
    };
    std::vector<flagged_report> flagged;

    // Take each report once (its report id's first row), and give it its ids.
    std::vector<std::uint8_t> seen(cols.report_ids.size(), 0);
    t.key.reset(new std::uint32_t[n]);  // (not filled with zeros first)
    std::size_t nt = 0;
    const std::size_t kw = d.product_key.size();
    const std::size_t nkinds = p.products.size();
    // a key of the product and one field: a direct table (field id, product) -> key id
    const bool direct = kw == 2 && d.product_key[0] == key_field::product_kind && d.product_key[1] != key_field::product_kind;
    const std::vector<std::uint32_t>* direct_col = direct ? key_column(cols, d.product_key[1]) : nullptr;
    const std::size_t direct_fields = direct ? key_pool(cols, d.product_key[1])->size() : 0;
    std::vector<std::uint32_t> direct_ids(direct_fields * nkinds, none);
    tuple_ids key_tuples(kw);
    std::vector<std::uint32_t> tuple(kw);
    std::vector<vigil::product> key_kind;  // each key's product (the key's first report's)
    std::vector<std::uint32_t> batch_ids(cols.batches.size(), none);  // pool id -> batch (or prefix) id
    string_ids prefixes;
    std::uint32_t max_area = 0, max_product = 0, max_name = 0;  // the ids the answer's texts are read by
    // Brought into the cache ahead when the tables may outgrow it, in two stages: the key of the
    // report 2 * ahead rows on, then the (key, province) cell of the one `ahead` rows on, whose
    // key is in the cache by then.
    constexpr std::uint32_t ahead = 16;
    const bool fetch_ahead = direct && direct_fields * nkinds * (nprov * sizeof(std::uint64_t) + sizeof(std::uint32_t)) > (std::size_t{1} << 20);
    for (std::uint32_t r = 0; r < n; ++r) {
#if defined(__GNUC__) || defined(__clang__)
        if (fetch_ahead && tallying && r + 2 * ahead < n) {
            const std::uint32_t f = (*direct_col)[r + 2 * ahead];
            const auto kind = static_cast<std::size_t>(cols.product_kind[r + 2 * ahead]);
            if (f < direct_fields && kind < nkinds) __builtin_prefetch(&direct_ids[std::size_t{f} * nkinds + kind]);
        }
        if (fetch_ahead && tallying && r + ahead < n) {
            const std::uint32_t f = (*direct_col)[r + ahead], a = cols.area[r + ahead];
            const auto kind = static_cast<std::size_t>(cols.product_kind[r + ahead]);
            if (f < direct_fields && kind < nkinds && a < nareas) {
                const std::uint32_t k = direct_ids[std::size_t{f} * nkinds + kind];
                if (k < key_n.size()) {
                    __builtin_prefetch(&prod_l[std::size_t{k} * nprov + prov_of_area[a]], 1);
                    __builtin_prefetch(&key_n[k], 1);
                }
            }
        }
#endif
        const std::uint32_t id = cols.report_id[r];
        if (id >= seen.size()) return outside("report_id");
        if (seen[id]) {
            out.duplicates.emplace_back(cols.report_ids[id]);
            t.key[r] = not_taken;
            continue;
        }
        seen[id] = 1;
        const vigil::product kind = cols.product_kind[r];
        if (static_cast<std::size_t>(kind) >= nkinds) return outside("product_kind");
        std::uint32_t key;
        if (direct) {
            const std::uint32_t f = (*direct_col)[r];
            if (f >= direct_fields) return outside(std::string(to_string(d.product_key[1])).c_str());
            std::uint32_t& k = direct_ids[std::size_t{f} * nkinds + static_cast<std::size_t>(kind)];
            if (k == none) {
                k = static_cast<std::uint32_t>(key_kind.size());
                key_kind.push_back(kind);
            }
            key = k;
        } else {
            for (std::size_t k = 0; k < kw; ++k) {
                const auto* c = key_column(cols, d.product_key[k]);
                if (!c) {
                    tuple[k] = static_cast<std::uint32_t>(kind);
                    continue;
                }
                tuple[k] = (*c)[r];
                if (tuple[k] >= key_pool(cols, d.product_key[k])->size()) return outside(std::string(to_string(d.product_key[k])).c_str());
            }
            key = key_tuples.get(tuple.data());
            if (key == key_kind.size()) key_kind.push_back(kind);
        }
        const std::uint32_t b = cols.batch[r];
        if (b >= batch_ids.size()) return outside("batch");
        std::uint32_t& bid = batch_ids[b];
        if (bid == none) {
            if (d.batch_prefix) bid = prefixes.get(cols.batches[b].substr(0, d.batch_prefix)).first;
            else bid = static_cast<std::uint32_t>(t.nbatches);
            t.nbatches = std::max<std::size_t>(t.nbatches, std::size_t{bid} + 1);
        }
        const std::uint32_t a = cols.area[r];
        max_area = std::max(max_area, a);
        max_product = std::max(max_product, cols.product_id[r]);
        max_name = std::max(max_name, cols.product_name[r]);
        if (tallying) {
            if (key == key_n.size()) {  // a new key
                if ((std::size_t{key} + 1) * nprov > tally_cap) {
                    tallying = false;
                    prod_l = {};
                    key_n = {};
                    flagged = {};
                } else {
                    prod_l.resize(prod_l.size() + nprov, 0);
                    key_n.push_back(0);
                }
            }
            if (tallying && a < nareas) {  // (an area outside its column is refused below)
                const std::uint16_t fl = cols.flags[r];
                const std::uint64_t l = fl < lanes.size() ? lanes[fl] : lane(fl);
                const std::size_t cell = std::size_t{key} * nprov + prov_of_area[a];
                prod_l[cell] += l;
                ++key_n[key];
                if (l & own_lanes) flagged.push_back({l, static_cast<std::uint32_t>(cell), bid});
            }
        }
        t.key[r] = key;
        ++nt;
    }
    t.batch_of = std::move(batch_ids);
    if (n && max_area >= nareas) return outside("area");
    if (n && max_product >= cols.product_ids.size()) return outside("product_id");
    if (n && max_name >= cols.product_names.size()) return outside("product_name");
    t.nkeys = key_kind.size();
    out.reports = nt;

    // (the (key, province) cells are bounded by tally_cap; a cell's batches are tallied one cell at
    // a time, so any number of batches is filtered)
    const bool filter = may_filter && tallying && nt > 0;
    std::vector<std::uint32_t> sel;
    std::vector<std::uint8_t> marked, whole_key;  // by (key, province); by key: detected whole
    grade nationwide = grade::none;  // the least grade a spread fact counted nationwide counts
    for (const auto& f : p.facts)
        if (f.spread && !f.spread->within && (nationwide == grade::none || f.spread->at_least < nationwide)) nationwide = f.spread->at_least;
    if (filter) {
        const std::size_t nb = t.nbatches, nkp = t.nkeys * nprov;
        // the flagged reports by (key, province) (a counting sort: most cells have none), each
        // cell's tallied by batch when it is bounded below
        std::vector<std::uint32_t> first_flagged(nkp + 1, 0);
        std::vector<flagged_report> by_cell(flagged.size());
        for (const auto& x : flagged) ++first_flagged[x.cell + 1];
        for (std::size_t kp = 0; kp < nkp; ++kp) first_flagged[kp + 1] += first_flagged[kp];
        {
            std::vector<std::uint32_t> next(first_flagged.begin(), first_flagged.end() - 1);
            for (const auto& x : flagged) by_cell[next[x.cell]++] = x;
        }
        flagged = {};
        std::vector<std::uint64_t> own_l(nb, 0);  // of one cell, by batch
        std::vector<std::uint32_t> own_batches;   // the batches of own_l not 0
        group_detector probe(p, d);
        std::vector<std::uint32_t> bound(nf);
        std::vector<std::pair<std::uint64_t, bool>> memo(4096, {0, false});  // packed bound + 1 -> may reach
        auto may_reach = [&](std::uint64_t own, std::uint64_t prod, vigil::product kind) {
            std::uint64_t packed = static_cast<std::uint64_t>(kind);
            bool fits = true;
            for (std::size_t k = 0; k < nf; ++k) {
                const auto& f = d.facts[k];
                const auto c = static_cast<std::uint32_t>((f.scope == detection_fact::scope_t::product ? prod : own) >> (16 * k) & 0xFFFF);
                bound[k] = p.facts[f.fact].kind == fact_kind::boolean ? (c >= f.at_least ? 1u : 0u) : c;
                fits = fits && bound[k] < (1u << 14);
                packed |= std::uint64_t{bound[k]} << (8 + 14 * k);
            }
            if (!fits) return probe.may_reach(bound, kind);
            auto& slot = memo[(packed * 0x9E3779B97F4A7C15ull) >> 52];
            if (slot.first != packed + 1) slot = {packed + 1, probe.may_reach(bound, kind)};
            return slot.second;
        };
        // whether a bound may grade a cluster grave enough for a spread fact counted nationwide
        std::vector<std::pair<std::uint64_t, bool>> grave_memo(4096, {0, false});
        auto may_be_grave = [&](std::uint64_t own, std::uint64_t prod, vigil::product kind) {
            if (nationwide == grade::none) return false;
            may_reach(own, prod, kind);  // fills `bound`
            std::uint64_t packed = static_cast<std::uint64_t>(kind);
            bool fits = true;
            for (std::size_t k = 0; k < nf; ++k) {
                fits = fits && bound[k] < (1u << 14);
                packed |= std::uint64_t{bound[k]} << (8 + 14 * k);
            }
            if (!fits) return probe.may_grade(bound, kind, nationwide);
            auto& slot = grave_memo[(packed * 0x9E3779B97F4A7C15ull) >> 52];
            if (slot.first != packed + 1) slot = {packed + 1, probe.may_grade(bound, kind, nationwide)};
            return slot.second;
        };
        marked.assign(nkp, 0);
        whole_key.assign(t.nkeys, 0);
        // (a (key, province) without reports is bounded as one whose reports count nothing: were
        // that to mark it, no report is selected by it, and a key taken whole is detected whole)
        for (std::size_t kp = 0; kp < nkp; ++kp) {
            const std::size_t k = kp / nprov;
            // 16-bit lanes: a product's reports past that are detected in full
            if (key_n[k] >= 0xFFFF) {
                marked[kp] = whole_key[k] = 1;
                continue;
            }
            if (may_reach(0, prod_l[kp], key_kind[k])) {
                marked[kp] = 1;
                if (may_be_grave(0, prod_l[kp], key_kind[k])) whole_key[k] = 1;
            }
            if (!prod_l[kp]) continue;  // no report counts for any fact: no batch's tally is other than 0
            own_batches.clear();
            for (std::uint32_t j = first_flagged[kp]; j < first_flagged[kp + 1]; ++j) {
                const flagged_report& x = by_cell[j];
                std::uint64_t& own = own_l[x.batch];
                if (!own) own_batches.push_back(x.batch);
                own += x.lanes;
            }
            for (const std::uint32_t b : own_batches) {
                const std::uint64_t own = own_l[b];
                own_l[b] = 0;
                if (marked[kp] && (whole_key[k] || nationwide == grade::none)) continue;
                if (may_reach(own, prod_l[kp], key_kind[k])) {
                    marked[kp] = 1;
                    if (may_be_grave(own, prod_l[kp], key_kind[k])) whole_key[k] = 1;
                }
            }
        }
        for (std::uint32_t r = 0; r < n; ++r) {
            const std::uint32_t k = t.key[r];
            if (k != not_taken && (whole_key[k] || marked[std::size_t{k} * nprov + prov_of_area[cols.area[r]]])) sel.push_back(r);
        }
    } else {
        sel.reserve(nt);
        for (std::uint32_t r = 0; r < n; ++r)
            if (t.key[r] != not_taken) sel.push_back(r);
    }
    std::vector<std::uint32_t> whole;
    detect_rows(t, sel, out.clusters, filter ? &whole : nullptr);

    // The bounds foresee every key a nationwide spread fact may need whole; should one be missed
    // (a grade that needs more than a bound's facts), the keys are taken whole and detected again.
    bool missed = false;
    for (auto k : whole)
        if (!whole_key[k]) {
            whole_key[k] = 1;
            missed = true;
        }
    if (missed) {
        std::vector<std::uint32_t> more;
        for (std::uint32_t r = 0; r < n; ++r) {
            const std::uint32_t k = t.key[r];
            if (k != not_taken && (whole_key[k] || marked[std::size_t{k} * nprov + prov_of_area[cols.area[r]]])) more.push_back(r);
        }
        out.clusters.clear();
        detect_rows(t, more, out.clusters, nullptr);
    }
    return out;
}

std::string to_json(const plan& p, const detected_cluster& c) {
    std::string out;
    detail::answer_json::detected_cluster(out, p, c);
    return out;
}

}  // namespace v0
}  // namespace vigil
