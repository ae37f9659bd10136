// vigil/detect.hpp — from individual case reports to graded clusters.
//
// A plan's "detection" section (docs/detect.md) says how the facts its grading reads are counted
// over case reports: the product key and batch rule that make "the same product, batch numbers
// relatively concentrated", the time window of "短期内" / "相对集中的时间", and for each fact the
// patients it counts. detect() groups reports by product key, batch and area at every level of
// the administrative tree (GB/T 2260 codes, as vigil::rollup), finds in each group the window of
// onset times in which the plan grades the cluster highest, and answers with its facts, grade,
// warning and response (through classify and decide: no threshold here), its reports, and the
// first instant (by the reports' receipt) each grade and warning was reached. Pure: no I/O.
#pragma once

#include <vigil/classify.hpp>
#include <vigil/response.hpp>
#include <vigil/rollup.hpp>
#include <vigil/time.hpp>

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {
inline namespace v0 {

/// The yes/no fields of a case report (ICH E2B(R3) seriousness criteria, and 罕见或非预期).
enum class report_flag : std::uint8_t {
    death = 0,
    life_threatening,
    disability,
    organ_damage,
    hospitalisation,
    congenital_anomaly,
    other_serious,
    rare,
};
inline constexpr int report_flag_count = 8;
std::string_view to_string(report_flag f) noexcept;  ///< "death", "life_threatening", … "rare"
std::optional<report_flag> parse_report_flag(std::string_view s) noexcept;

/// One individual case report (an ICSR), as read from CSV, JSON Lines or E2B.
struct case_report {
    std::string report_id;
    std::string patient_id;    ///< people are counted, not reports
    vigil::product product_kind = product{0};  ///< one of the plan's products
    std::string product_id, product_name, batch;
    std::string maker, dosage_form, strength;  ///< optional ("同一药品": 卫生部令第81号 art. 63)
    instant onset, received;   ///< UTC
    area_code area;
    std::uint16_t flags = 0;   ///< bit report_flag
    bool has(report_flag f) const noexcept { return flags >> static_cast<int>(f) & 1u; }
};

/// The texts of one field of case reports, each held once (back to back in one buffer): a report
/// holds the id of its text. Ids are dense, in the order the texts were first given.
class string_pool {
public:
    /// The id of `s`; copied in the first time it is given.
    std::uint32_t intern(std::string_view s);
    std::string_view operator[](std::uint32_t id) const noexcept {
        return std::string_view(text_.data() + start_[id], static_cast<std::size_t>(start_[id + 1] - start_[id]));
    }
    std::size_t size() const noexcept { return start_.size() - 1; }
    /// Free the lookup table (kept texts stay; intern() makes the table again when next called).
    void drop_index() noexcept;
    /// Room for this many distinct texts without the table growing.
    void reserve(std::size_t texts);

private:
    friend struct report_columns;
    static std::uint64_t hash(std::string_view s) noexcept;
    std::uint32_t intern(std::string_view s, std::uint64_t hash);  // hash: hash(s)
    void prefetch(std::uint64_t hash) const noexcept;              // the slot where hash's text is looked for
    void rehash(std::size_t capacity);
    std::string text_;
    std::vector<std::uint64_t> start_{0};  // id -> offset in text_; one more at the end
    std::vector<std::uint64_t> slots_;     // open addressing by the hash's high half: that half | id + 1; 0 empty
    std::uint32_t empty_ = 0;              // the empty text's id + 1, once given
};

/// Case reports as columns, the one input of detect(): each text field interned in its pool (a
/// report's field is an id), the times in seconds, the flags as bits. The readers of `vigil detect`
/// fill it row by row; a vector of case_report is made into it by detect().
struct report_columns {
    string_pool report_ids, patient_ids, product_ids, product_names, batches, makers, dosage_forms, strengths;
    std::vector<area_code> areas;  ///< the distinct area codes (a report's `area` indexes it)
    std::vector<std::uint32_t> report_id, patient_id, product_id, product_name, batch, maker, dosage_form, strength, area;
    std::vector<vigil::product> product_kind;
    std::vector<std::int64_t> onset, received;  ///< seconds since 1970-01-01T00:00:00Z
    std::vector<std::uint16_t> flags;           ///< bit report_flag

    std::size_t size() const noexcept { return report_id.size(); }
    /// Room for n reports (and n distinct report and patient ids) without growing.
    void reserve(std::size_t n);
    /// One report's fields, as views (interned when pushed).
    struct fields {
        std::string_view report_id, patient_id, product_id, product_name, batch, maker, dosage_form, strength;
        vigil::product product_kind = product{0};
        std::int64_t onset = 0, received = 0;
        area_code area;
        std::uint16_t flags = 0;
    };
    void push_back(const fields& f);
    /// A report; its instants to the second (every reader reads times to the second).
    void push_back(const case_report& r);
    /// The id of an area code in `areas`.
    std::uint32_t area_id(const area_code& a);
    /// Free the pools' lookup tables once every report is in (16 to 32 bytes a distinct text).
    void drop_indexes() noexcept;

private:
    std::vector<std::uint64_t> area_slots_;  // open addressing over `areas`: id + 1; 0 empty
};

/// The fields a product key may be made of.
enum class key_field : std::uint8_t { product_kind, product_id, product_name, maker, dosage_form, strength };
std::string_view to_string(key_field f) noexcept;

/// How one fact is counted over the reports of a window: the distinct patients with any of
/// `any` (all patients when empty) and none of `none`; a boolean fact holds when that count is at
/// least `at_least`. `scope` cluster: the reports of the cluster's own batch; product: every
/// report of the same product key in the same area and window, whatever its batch.
struct detection_fact {
    std::uint32_t fact = 0;  ///< index into plan::facts
    std::string name;
    std::uint16_t any = 0, none = 0;  ///< masks of report_flag bits
    enum class scope_t : std::uint8_t { cluster, product } scope = scope_t::cluster;
    std::uint32_t at_least = 1;  ///< boolean facts
    std::string reading, reading_zh;  ///< English; Chinese (empty when the plan gives none)
};

/// The plan's "detection" section.
struct detection_rules {
    std::string clause, text, reading;
    std::string reading_zh;  ///< the reading in Chinese; empty when the plan gives none
    duration window = boost::posix_time::hours(24 * 30);  ///< the window of onset times
    std::string window_written;                           ///< "30 days", as the plan writes it
    std::vector<key_field> product_key{key_field::product_kind, key_field::product_id};
    std::uint32_t batch_prefix = 0;  ///< 0: exact batch; N: batches that share their first N characters
    std::vector<detection_fact> facts;
};

/// What detect() does beyond the plan's rules.
struct detect_options {
    bool all = false;  ///< also answer clusters with neither a grade nor a warning
};

/// One cluster: a product key, a batch, an area at one level, a window of onset times.
struct detected_cluster {
    vigil::product product_kind = product{0};
    std::string product_id, product_name, batch;  ///< batch: the batch, or its prefix under a prefix rule
    std::string product_key;                       ///< the key's fields joined by '|'
    area_code area;                                ///< at the cluster's level (area.level)
    instant window_from, window_to;                ///< onsets in [from, to)
    instant settled;                               ///< the last receipt among the window's reports
    fact_values facts;                             ///< counted, and the spread facts rolled up
    std::vector<spread_count> spread;              ///< how each spread fact was counted
    assessment graded;
    decision_levels levels;
    std::uint32_t patients = 0;                    ///< distinct patients in the window
    std::vector<std::string> report_ids;           ///< the window's reports, by onset
    /// The first instant (a report's receipt) at which the cluster reached each grade
    /// (index: grade, none unused) and each warning colour (index: warning_colour, none unused).
    std::array<std::optional<instant>, grade_count> grade_first{};
    std::array<std::optional<instant>, 5> warning_first{};
};

struct detect_result {
    std::vector<detected_cluster> clusters;  ///< graded or warned clusters; the gravest first
    std::size_t reports = 0;                 ///< reports taken
    std::vector<std::string> duplicates;     ///< report ids given again (the first one counts)
};

/// One alert of the streaming detector: a cluster that reached a graver grade or warning than it
/// had, the report whose arrival made it, and whether that report was late (received more than the
/// plan's window after its onset; it is placed by its onset all the same).
struct detect_alert {
    std::string alert;    ///< "grade III", "warning red"
    std::string trigger;  ///< the report id
    bool late = false;
    detected_cluster cluster;
};

/// What a streaming detector does beyond the plan's rules.
struct detector_options {
    /// How long after a window a report may still arrive: a report is kept while its onset is within
    /// the window plus this of the latest receipt; an older one is not placed (too late).
    duration max_delay = boost::posix_time::hours(24 * 90);
    /// Keep every report (an archive read in arrival order): nothing is forgotten or too late, and
    /// clusters() answers what detect() answers over the whole archive. Memory grows with the reports.
    bool keep_all = false;
    /// Alert only for clusters of these levels; empty: every level.
    std::vector<area_level> levels;
};

/// Reports in arrival order, an alert the moment a cluster reaches a graver grade or warning than
/// it had (vigil watch; the C ABI's vigil_detector). Each report re-examines the clusters of its
/// product key (all areas and batches kept), so an alert is what detect() answers over the reports
/// kept at that moment. Memory is bounded by the window and max_delay (unless keep_all).
/// Thread rule: a detector is one stream's state; use it from one thread at a time.
class detector {
public:
    /// errc::invalid_plan when the plan has no detection section.
    static result<detector> create(plan_ptr p, detector_options o = {});

    enum class placed : std::uint8_t { taken, duplicate, too_late };
    /// Place one report; the alerts it causes are appended to `alerts`, gravest first.
    placed feed(case_report r, std::vector<detect_alert>& alerts);
    /// detect() over the reports kept now.
    result<detect_result> clusters(const detect_options& o = {}) const;

    std::size_t taken() const noexcept { return taken_; }
    std::size_t duplicates() const noexcept { return duplicates_; }
    std::size_t too_late() const noexcept { return too_late_; }
    std::size_t alerts() const noexcept { return alerts_; }
    std::size_t kept() const noexcept;  ///< reports held now
    const plan& rules() const noexcept { return *plan_; }

private:
    detector(plan_ptr p, detector_options o) : plan_(std::move(p)), opt_(std::move(o)) {}
    plan_ptr plan_;
    detector_options opt_;
    struct kept_report {
        std::uint64_t seq;  // arrival
        case_report r;
    };
    std::map<std::string, std::deque<kept_report>> by_key_;            // product key -> reports kept, in arrival order
    std::map<std::string, std::pair<grade, warning_colour>> alerted_;  // cluster -> what was last said
    std::set<std::string> ids_;                                        // report ids kept
    std::uint64_t seq_ = 0;
    instant latest_ = boost::posix_time::min_date_time, swept_ = boost::posix_time::min_date_time;
    std::size_t taken_ = 0, duplicates_ = 0, too_late_ = 0, alerts_ = 0;
};

/// An alert as one JSON object: "alert", "trigger", "late", then the cluster's fields (docs/detect.md).
std::string to_json(const plan& p, const detect_alert& a);

/// Detect clusters in `reports` under the plan's detection rules. errc::invalid_plan when the
/// plan has no detection section.
result<detect_result> detect(const plan& p, const std::vector<case_report>& reports, const detect_options& o = {});

/// detect() over columns: the one detection (detect() over case reports makes them columns and calls
/// this). No text is hashed or compared here but the answer's. errc::invalid_input when the columns
/// are not all of one length or an id is outside its pool.
result<detect_result> detect_columns(const plan& p, const report_columns& reports, const detect_options& o = {});

/// A detected cluster as one JSON object (docs/detect.md), every fact the plan's detection fills
/// or rolls up by name.
std::string to_json(const plan& p, const detected_cluster& c);

}  // namespace v0
}  // namespace vigil
