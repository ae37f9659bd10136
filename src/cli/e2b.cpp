// ICH E2B(R3) individual case safety reports (HL7 v3 XML: an MCCI_IN200100UV01 batch or one
// PORR_IN049016UV message) as case report rows, read with expat as a stream: one report's
// elements are held at a time, never the document. The mapping and its reasons: docs/detect.md.
#include "io.hpp"

#include <vigil/detect.hpp>
#include <vigil/time.hpp>

#include <expat.h>

#include <algorithm>
#include <array>
#include <deque>
#include <initializer_list>
#include <optional>
#include <string_view>

namespace vigil::cli {

namespace {

constexpr std::string_view hl7_ns = "urn:hl7-org:v3";
constexpr std::string_view oid_report_id = "2.16.840.1.113883.3.989.2.1.3.1";   // C.1.1
constexpr std::string_view oid_case_id = "2.16.840.1.113883.3.989.2.1.3.2";     // C.1.8.1
constexpr std::string_view oid_authorisation = "2.16.840.1.113883.3.989.2.1.3.4";  // G.k.3.1
constexpr std::string_view oid_fields = "2.16.840.1.113883.3.989.2.1.1.19";     // observation codes
constexpr std::string_view oid_organizer = "2.16.840.1.113883.3.989.2.1.1.20";  // organizer codes (4: drugs)
constexpr std::string_view rare_system = "urn:vigil:e2b";  // vigil's one extension: 罕见或非预期
constexpr std::size_t max_depth = 96;        // E2B(R3) nests about 25 deep
constexpr std::size_t max_text = 4096;       // the text of one element read
constexpr std::size_t max_token = 1u << 20;  // bytes without a parser event (one tag, comment …)
constexpr std::size_t max_drugs = 1000;      // G.k and G.k.1 entries in one report
constexpr std::size_t piece = 64u << 10;

struct place {
    std::size_t line = 0, column = 0;
    std::string where;  // the E2B element and its path from investigationEvent
};

struct value_at {
    std::string text;
    place at;
    bool set = false;
};

struct drug {
    std::string id;
    value_at name, authorisation, mpid, maker, batch, form, strength;
};

struct reaction {
    bool is_reaction = false;
    value_at onset;
    std::uint16_t flags = 0;
    std::string criterion, criterion_system;
    std::optional<row> problem;  // a bad value, said only when this is a reaction
};

struct report {
    place at;
    value_at report_id, case_id, received, patient, area_primary, area_first;
    std::optional<value_at> onset;
    instant onset_key;  // the earliest onset
    std::uint16_t flags = 0;
    std::vector<drug> drugs;
    std::vector<std::pair<std::string, std::string>> roles;  // drug id, G.k.1 code
    std::optional<reaction> reac;
    // causalityAssessment and outboundRelationship being read
    bool role_is_characterisation = false;
    std::string role_code, role_ref;
    bool source_primary = false;
    value_at source_county;
    bool organizer_is_drugs = false;
    bool in_drug = false;
    std::optional<std::string> problem;  // the first problem, with its place
    place problem_at;
};

// HL7 TS (YYYYMMDD[HH[MM[SS[.S…]]]][+|-ZZ[ZZ]]) as ISO 8601 with an offset; a time without a zone
// is China standard time (+08:00); a day without an hour is its first instant.
std::optional<std::string> iso_of_ts(std::string_view ts, std::string& why) {
    std::size_t i = 0;
    while (i < ts.size() && ts[i] >= '0' && ts[i] <= '9') ++i;
    std::string_view digits = ts.substr(0, i), rest = ts.substr(i);
    if (!rest.empty() && rest[0] == '.') {  // fraction of a second: below what the plans count
        std::size_t j = 1;
        while (j < rest.size() && rest[j] >= '0' && rest[j] <= '9') ++j;
        if (digits.size() != 14 || j == 1) {
            why = "a fraction of a second only after the seconds";
            return std::nullopt;
        }
        rest.remove_prefix(j);
    }
    if (digits.size() < 8) {
        why = "at least a day (YYYYMMDD); the date is not precise enough to place the report";
        return std::nullopt;
    }
    if (digits.size() != 8 && digits.size() != 10 && digits.size() != 12 && digits.size() != 14) {
        why = "YYYYMMDD[HH[MM[SS]]] digits";
        return std::nullopt;
    }
    std::string hh = "00", mm = "00", ss = "00";
    if (digits.size() >= 10) hh = digits.substr(8, 2);
    if (digits.size() >= 12) mm = digits.substr(10, 2);
    if (digits.size() >= 14) ss = digits.substr(12, 2);
    std::string zone = "+08:00";
    if (!rest.empty()) {
        auto all_digits = [](std::string_view s) { return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }); };
        if ((rest[0] != '+' && rest[0] != '-') || (rest.size() != 3 && rest.size() != 5) || !all_digits(rest.substr(1))) {
            why = "a zone as +HH or +HHMM after the time";
            return std::nullopt;
        }
        zone = std::string(rest.substr(0, 3)) + ":" + (rest.size() == 5 ? std::string(rest.substr(3, 2)) : "00");
    }
    return std::string(digits.substr(0, 4)) + "-" + std::string(digits.substr(4, 2)) + "-" + std::string(digits.substr(6, 2)) + "T" + hh +
           ":" + mm + ":" + ss + zone;
}

std::string_view attr(const XML_Char** atts, std::string_view name) {
    for (int i = 0; atts[i]; i += 2)
        if (name == atts[i]) return atts[i + 1];
    return {};
}

class e2b_reader final : public row_reader {
public:
    e2b_reader(std::istream& in, std::string source, std::string product_kind)
        : in_(in), source_(std::move(source)), product_kind_(std::move(product_kind)) {
        parser_ = XML_ParserCreateNS(nullptr, '\x01');
        XML_SetUserData(parser_, this);
        XML_SetElementHandler(parser_, &e2b_reader::on_start, &e2b_reader::on_end);
        XML_SetCharacterDataHandler(parser_, &e2b_reader::on_text);
        XML_SetStartDoctypeDeclHandler(parser_, &e2b_reader::on_doctype);
    }
    ~e2b_reader() override { XML_ParserFree(parser_); }
    e2b_reader(const e2b_reader&) = delete;
    e2b_reader& operator=(const e2b_reader&) = delete;

    result<std::optional<row>> next() override {
        while (out_.empty() && !finished_) feed();
        if (out_.empty()) return std::optional<row>{};
        auto r = std::move(out_.front());
        out_.pop_front();
        return r;
    }

private:
    // One piece (up to a line break, or 64 KiB) to the parser: reports leave as soon as their
    // closing tag is read (vigil watch on a pipe).
    void feed() {
        buf_.clear();
        std::streambuf* sb = in_.rdbuf();
        bool end = sb == nullptr;
        while (!end && buf_.size() < piece) {
            int c;
            try {
                c = sb->sbumpc();
            } catch (...) {
                c = std::char_traits<char>::eof();
            }
            if (c == std::char_traits<char>::eof()) {
                end = true;
                break;
            }
            buf_.push_back(static_cast<char>(c));
            if (c == '\n') break;
        }
        fed_ += buf_.size();
        if (XML_Parse(parser_, buf_.data(), static_cast<int>(buf_.size()), end ? XML_TRUE : XML_FALSE) == XML_STATUS_ERROR) {
            if (!fatal_) fatal(XML_GetCurrentLineNumber(parser_), XML_GetCurrentColumnNumber(parser_) + 1,
                               std::string("malformed XML: ") + XML_ErrorString(XML_GetErrorCode(parser_)));
            finish();
            return;
        }
        if (fatal_) {  // a handler stopped the parser
            finish();
            return;
        }
        if (fed_ - seen_ > max_token) {
            fatal(XML_GetCurrentLineNumber(parser_), XML_GetCurrentColumnNumber(parser_) + 1,
                  "more than 1 MiB without a complete tag or text (a tag, attribute or comment that long): not read further");
            finish();
            return;
        }
        if (end) {
            if (reports_ == 0 && !fatal_)
                fatal(std::max<XML_Size>(XML_GetCurrentLineNumber(parser_), 1), 0,
                      "no case report: expected an ICH E2B(R3) MCCI_IN200100UV01 batch or PORR_IN049016UV message with "
                      "investigationEvent elements (urn:hl7-org:v3)");
            finish();
        }
    }

    void finish() {
        finished_ = true;
        if (fatal_) out_.emplace_back(std::move(*fatal_));
    }

    void fatal(std::size_t line, std::size_t column, std::string msg) {
        diagnostic d;
        d.source = source_;
        d.line = static_cast<int>(line);
        d.column = static_cast<int>(column);
        d.message = std::move(msg);
        if (stack_.size() > 1) d.pointer = path(0);  // the root alone says nothing more than the message
        fatal_ = error{errc::parse_error, {d}};
    }

    void stop(std::string msg) {
        if (fatal_) return;
        fatal(XML_GetCurrentLineNumber(parser_), XML_GetCurrentColumnNumber(parser_) + 1, std::move(msg));
        XML_StopParser(parser_, XML_FALSE);
    }

    place here(std::string_view e2b) const {
        place p;
        p.line = XML_GetCurrentLineNumber(parser_);
        p.column = XML_GetCurrentColumnNumber(parser_) + 1;
        p.where = std::string(e2b) + (e2b.empty() ? "" : " ") + path(ie_ == npos ? 0 : ie_);
        return p;
    }

    std::string path(std::size_t from) const {
        std::string s;
        for (std::size_t i = from; i < stack_.size(); ++i) s += (s.empty() ? "" : "/") + stack_[i];
        return s;
    }

    // The current element is investigationEvent/rel… exactly.
    bool at(std::initializer_list<std::string_view> rel) const { return at_range(rel); }
    template <class R>
    bool at_range(const R& rel) const {
        if (ie_ == npos || stack_.size() != ie_ + 1 + rel.size()) return false;
        std::size_t i = ie_ + 1;
        for (auto n : rel)
            if (stack_[i++] != n) return false;
        return true;
    }
    // The current element is under investigationEvent/rel… (or is it).
    template <class R>
    bool under(const R& rel) const {
        if (ie_ == npos || stack_.size() < ie_ + 1 + rel.size()) return false;
        std::size_t i = ie_ + 1;
        for (auto n : rel)
            if (stack_[i++] != n) return false;
        return true;
    }

    void collect(value_at& v, std::string_view e2b) {
        if (v.set) return;  // the first one counts
        v.set = true;
        v.text.clear();
        v.at = here(e2b);
        collecting_ = &v;
        collect_depth_ = stack_.size();
    }
    static void take(value_at& v, std::string_view text, const place& p) {
        if (v.set) return;
        v.set = true;
        v.text = std::string(text);
        v.at = p;
    }

    void problem(std::string msg, place p) {
        if (r_.problem) return;
        r_.problem = std::move(msg);
        r_.problem_at = std::move(p);
    }

    static void XMLCALL on_doctype(void* self, const XML_Char*, const XML_Char*, const XML_Char*, int) {
        static_cast<e2b_reader*>(self)->stop("a DOCTYPE declaration is not accepted (no DTD or entity is read): expected plain E2B(R3) XML");
    }

    static void XMLCALL on_text(void* self_, const XML_Char* s, int len) {
        auto* self = static_cast<e2b_reader*>(self_);
        self->seen_ = self->fed_;
        if (!self->collecting_ || self->stack_.size() != self->collect_depth_) return;
        auto& t = self->collecting_->text;
        if (t.size() + static_cast<std::size_t>(len) > max_text) {
            self->problem("text longer than 4 KiB", self->collecting_->at);
            self->collecting_ = nullptr;
            return;
        }
        t.append(s, static_cast<std::size_t>(len));
    }

    static void XMLCALL on_start(void* self_, const XML_Char* name, const XML_Char** atts) {
        auto* self = static_cast<e2b_reader*>(self_);
        self->seen_ = self->fed_;
        self->start(name, atts);
    }
    static void XMLCALL on_end(void* self_, const XML_Char*) {
        auto* self = static_cast<e2b_reader*>(self_);
        self->seen_ = self->fed_;
        self->end();
    }

    void start(std::string_view qname, const XML_Char** atts) {
        std::string local;
        if (auto sep = qname.find('\x01'); sep != std::string_view::npos) {
            local = qname.substr(0, sep) == hl7_ns ? std::string(qname.substr(sep + 1)) : "{" + std::string(qname.substr(0, sep)) + "}" + std::string(qname.substr(sep + 1));
        } else {
            local = std::string(qname);
        }
        // Pushed before any check: expat may still report this element's end after the parser is
        // stopped (an empty element is one token), and end() pops what start() pushed.
        const bool root = stack_.empty();
        stack_.push_back(std::move(local));
        if (stack_.size() > max_depth) return stop("elements nested more than " + std::to_string(max_depth) + " deep");
        if (root && stack_.back() != "MCCI_IN200100UV01" && stack_.back() != "PORR_IN049016UV")
            return stop("root element \"" + stack_.back() +
                        "\": expected MCCI_IN200100UV01 (a batch) or PORR_IN049016UV (one message) of ICH E2B(R3), namespace urn:hl7-org:v3");
        if (fatal_) return;
        const std::string& n = stack_.back();
        if (ie_ == npos) {
            if (n == "investigationEvent") {
                ie_ = stack_.size() - 1;
                r_ = report{};
                r_.at = here("");
                ++reports_;
            }
            return;
        }
        // C.1.1, C.1.8.1, C.1.4
        if (at({"id"})) {
            const auto root = attr(atts, "root");
            if (root == oid_report_id) take(r_.report_id, attr(atts, "extension"), here("C.1.1"));
            else if (root == oid_case_id) take(r_.case_id, attr(atts, "extension"), here("C.1.8.1"));
            return;
        }
        if (at({"effectiveTime", "low"})) return take(r_.received, attr(atts, "value"), here("C.1.4"));
        // D.1.1.1–4: the patient's record numbers
        if (at({"component", "adverseEventAssessment", "subject1", "primaryRole", "player1", "asIdentifiedEntity", "id"})) {
            static constexpr std::pair<std::string_view, std::string_view> kinds[] = {{"2.16.840.1.113883.3.989.2.1.3.7", "gp"},
                                                                                      {"2.16.840.1.113883.3.989.2.1.3.8", "specialist"},
                                                                                      {"2.16.840.1.113883.3.989.2.1.3.9", "hospital"},
                                                                                      {"2.16.840.1.113883.3.989.2.1.3.10", "investigation"}};
            const auto root = attr(atts, "root");
            const auto ext = attr(atts, "extension");
            for (auto [oid, kind] : kinds)
                if (root == oid && !ext.empty()) take(r_.patient, std::string(kind) + ":" + std::string(ext), here("D.1.1"));
            return;
        }
        // E.i: reactions
        static constexpr std::array<std::string_view, 6> reac = {"component", "adverseEventAssessment", "subject1", "primaryRole", "subjectOf2", "observation"};
        if (at_range(reac)) {
            r_.reac.emplace();
            return;
        }
        if (r_.reac && under(reac)) return reaction_element(atts);
        // G.k: drugs
        static constexpr std::array<std::string_view, 6> org = {"component", "adverseEventAssessment", "subject1", "primaryRole", "subjectOf2", "organizer"};
        if (at_range(org)) {
            r_.organizer_is_drugs = false;
            return;
        }
        if (at({"component", "adverseEventAssessment", "subject1", "primaryRole", "subjectOf2", "organizer", "code"})) {
            r_.organizer_is_drugs = attr(atts, "code") == "4" && attr(atts, "codeSystem") == oid_organizer;
            return;
        }
        if (at_range(drug_path)) {
            r_.in_drug = r_.organizer_is_drugs;
            if (r_.in_drug) {
                if (r_.drugs.size() >= max_drugs) {
                    problem("more than " + std::to_string(max_drugs) + " drugs (G.k) in one report", here("G.k"));
                    r_.in_drug = false;
                    return;
                }
                r_.drugs.emplace_back();
            }
            return;
        }
        if (r_.in_drug && under(drug_path)) return drug_element(atts);
        // G.k.1: the drug's role (causalityAssessment code 20)
        if (at({"component", "adverseEventAssessment", "component", "causalityAssessment"})) {
            r_.role_is_characterisation = false;
            r_.role_code.clear();
            r_.role_ref.clear();
            return;
        }
        if (at({"component", "adverseEventAssessment", "component", "causalityAssessment", "code"})) {
            r_.role_is_characterisation = attr(atts, "code") == "20" && attr(atts, "codeSystem") == oid_fields;
            return;
        }
        if (at({"component", "adverseEventAssessment", "component", "causalityAssessment", "value"})) {
            r_.role_code = attr(atts, "code");
            return;
        }
        if (at({"component", "adverseEventAssessment", "component", "causalityAssessment", "subject2", "productUseReference", "id"})) {
            r_.role_ref = std::string(attr(atts, "root")) + "|" + std::string(attr(atts, "extension"));
            return;
        }
        // C.2.r: the primary source's address
        if (at({"outboundRelationship"})) {
            r_.source_primary = false;
            r_.source_county = value_at{};
            return;
        }
        if (at({"outboundRelationship", "priorityNumber"})) {
            r_.source_primary = attr(atts, "value") == "1";
            return;
        }
        if (under(std::array<std::string_view, 1>{"outboundRelationship"}) && n == "county" && stack_[stack_.size() - 2] == "addr") return collect(r_.source_county, "C.2.r.2");
    }

    void reaction_element(const XML_Char** atts) {
        constexpr std::size_t base = 6;  // the reaction observation's depth under investigationEvent
        auto& x = *r_.reac;
        const std::size_t rel = stack_.size() - ie_ - 1;
        const std::string& n = stack_.back();
        if (rel == base + 1 && n == "code") {
            x.is_reaction = attr(atts, "code") == "29" && attr(atts, "codeSystem") == oid_fields;
            return;
        }
        // E.i.4: effectiveTime/low, or effectiveTime/comp/low (SXPR_TS)
        if (n == "low" && stack_[ie_ + base + 1] == "effectiveTime" &&
            (rel == base + 2 || (rel == base + 3 && stack_[stack_.size() - 2] == "comp"))) {
            if (!x.onset.set) take(x.onset, attr(atts, "value"), here("E.i.4"));
            return;
        }
        if (rel == base + 3 && stack_[ie_ + base + 1] == "outboundRelationship2" && stack_[ie_ + base + 2] == "observation") {
            if (n == "code") {
                x.criterion = attr(atts, "code");
                x.criterion_system = attr(atts, "codeSystem");
                return;
            }
            if (n != "value") return;
            static constexpr std::pair<std::string_view, report_flag> criteria[] = {
                {"34", report_flag::death},           {"21", report_flag::life_threatening},   {"33", report_flag::hospitalisation},
                {"35", report_flag::disability},      {"12", report_flag::congenital_anomaly}, {"26", report_flag::other_serious}};
            std::optional<report_flag> f;
            if (x.criterion_system == oid_fields) {
                for (auto [code, flag] : criteria)
                    if (x.criterion == code) f = flag;
            } else if (x.criterion_system == rare_system && x.criterion == "rare") {
                f = report_flag::rare;
            }
            if (!f) return;
            const auto v = attr(atts, "value");
            const auto null = attr(atts, "nullFlavor");
            if (v == "true") x.flags = static_cast<std::uint16_t>(x.flags | 1u << static_cast<int>(*f));
            else if (v == "false" || (v.empty() && !null.empty())) {
            } else if (!x.problem) {
                const auto p = here(std::string(to_string(*f)));
                row bad;
                bad.line = p.line;
                bad.cells.push_back(row::cell{"value", std::string(v.substr(0, 32)), row::cell::text_, p.column, p.line, p.where});
                x.problem = std::move(bad);
            }
        }
    }

    void drug_element(const XML_Char** atts) {
        auto& d = r_.drugs.back();
        const std::string& n = stack_.back();
        const auto& k = drug_path;
        auto at_k = [&](std::initializer_list<std::string_view> rel) {
            if (stack_.size() != ie_ + 1 + k.size() + rel.size()) return false;
            std::size_t i = ie_ + 1 + k.size();
            for (auto x : rel)
                if (stack_[i++] != x) return false;
            return true;
        };
        if (at_k({"id"})) {
            d.id = std::string(attr(atts, "root")) + "|" + std::string(attr(atts, "extension"));
        } else if (at_k({"consumable", "instanceOfKind", "kindOfProduct", "name"})) {
            collect(d.name, "G.k.2.2");
        } else if (at_k({"consumable", "instanceOfKind", "kindOfProduct", "code"})) {
            if (!attr(atts, "code").empty()) take(d.mpid, attr(atts, "code"), here("G.k.2.1.1b"));
        } else if (at_k({"consumable", "instanceOfKind", "kindOfProduct", "asManufacturedProduct", "subjectOf", "approval", "id"})) {
            if (attr(atts, "root") == oid_authorisation && !attr(atts, "extension").empty())
                take(d.authorisation, attr(atts, "extension"), here("G.k.3.1"));
        } else if (at_k({"consumable", "instanceOfKind", "kindOfProduct", "asManufacturedProduct", "subjectOf", "approval", "holder", "role",
                         "playingOrganization", "name"})) {
            collect(d.maker, "G.k.3.3");
        } else if (at_k({"consumable", "instanceOfKind", "kindOfProduct", "ingredient", "quantity", "numerator"})) {
            const auto v = attr(atts, "value");
            const auto u = attr(atts, "unit");
            if (!v.empty()) take(d.strength, std::string(v) + (u.empty() || u == "1" ? "" : std::string(u)), here("G.k.2.3.r.3"));
        } else if (n == "lotNumberText") {
            collect(d.batch, "G.k.4.r.7");
        } else if (n == "originalText" && stack_[stack_.size() - 2] == "formCode") {
            collect(d.form, "G.k.4.r.9.1");
        }
    }

    void end() {
        if (stack_.empty()) return;  // never: start() pushes every element it is told of
        if (collecting_ && stack_.size() == collect_depth_) collecting_ = nullptr;
        if (ie_ != npos) {
            const std::size_t rel = stack_.size() - ie_ - 1;
            if (rel == 0) {
                finish_report();
                ie_ = npos;
            } else if (rel == 6 && r_.reac && at({"component", "adverseEventAssessment", "subject1", "primaryRole", "subjectOf2", "observation"})) {
                end_reaction();
            } else if (at({"component", "adverseEventAssessment", "subject1", "primaryRole", "subjectOf2", "organizer", "component",
                           "substanceAdministration"})) {
                r_.in_drug = false;
            } else if (at({"component", "adverseEventAssessment", "component", "causalityAssessment"})) {
                if (r_.role_is_characterisation && !r_.role_ref.empty()) {
                    if (r_.roles.size() < max_drugs) r_.roles.emplace_back(r_.role_ref, r_.role_code);
                }
            } else if (at({"outboundRelationship"})) {
                if (r_.source_county.set) {
                    if (r_.source_primary && !r_.area_primary.set) r_.area_primary = r_.source_county;
                    if (!r_.area_first.set) r_.area_first = r_.source_county;
                }
            }
        }
        stack_.pop_back();
    }

    void end_reaction() {
        auto x = std::move(*r_.reac);
        r_.reac.reset();
        if (!x.is_reaction) return;
        if (x.problem) {
            const auto& c = x.problem->cells.front();
            problem("expected value=\"true\", value=\"false\" or a nullFlavor for a seriousness criterion, found \"" + c.text + "\"",
                    place{c.line, c.column, c.where});
            return;
        }
        r_.flags = static_cast<std::uint16_t>(r_.flags | x.flags);
        if (!x.onset.set || x.onset.text.empty()) return;  // a reaction without a start date: the others place the report
        std::string why;
        auto iso = iso_of_ts(x.onset.text, why);
        if (!iso) {
            problem("date of start of reaction \"" + x.onset.text.substr(0, 32) + "\": expected " + why, x.onset.at);
            return;
        }
        // the earliest reaction's start is the report's onset (compared in UTC by the reader of the row)
        value_at v = x.onset;
        v.text = *iso;
        auto key = parse_instant(*iso);
        if (!key) {
            problem("date of start of reaction \"" + x.onset.text.substr(0, 32) + "\": " + key.error().message(), x.onset.at);
            return;
        }
        if (!r_.onset || *key < r_.onset_key) {
            r_.onset = v;
            r_.onset_key = *key;
        }
    }

    static std::string trim(std::string s) {
        const auto b = s.find_first_not_of(" \t\r\n");
        if (b == std::string::npos) return {};
        return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
    }

    // A malformed report (or one suspect drug of it, `id` naming its row), said and skipped.
    void refuse(std::string msg, const place& p, const std::string* id = nullptr) {
        diagnostic d;
        d.source = source_;
        d.line = static_cast<int>(p.line);
        d.column = static_cast<int>(p.column);
        d.pointer = p.where;
        if (!id && r_.report_id.set) id = &r_.report_id.text;
        d.message = (id ? "report " + *id + ": " : std::string()) + std::move(msg);
        out_.emplace_back(error{errc::invalid_input, {d}});
    }

    // One row per drug characterised as suspect or interacting: what the report says of the case
    // (patient, onset, receipt, area, seriousness) is checked first and refuses the whole report;
    // then each such drug is a row of its own, the first with the report's id, each later one with
    // `<id>#<k>` (k: its position among the report's drugs, E2B's G.k), so that the detector, which
    // counts a report id once, counts the case once for each product. A drug without what
    // identifies it (product id, name, batch) is refused alone: the report's other drugs stay.
    void finish_report() {
        if (r_.problem) return refuse(*r_.problem, r_.problem_at);
        const place& rp = r_.at;
        if (!r_.report_id.set || r_.report_id.text.empty())
            return refuse("no C.1.1 sender's safety report unique identifier: expected investigationEvent/id with root " + std::string(oid_report_id) +
                              " and an extension",
                          rp);
        const auto drugs = suspects();
        if (drugs.empty())
            return refuse("no drug characterised as suspect or interacting (G.k.1 = 1 or 3, causalityAssessment code 20 naming a G.k "
                          "substanceAdministration id)",
                          rp);
        row r;
        r.line = rp.line;
        auto cell = [&](std::string name, std::string text, const place& p) {
            r.cells.push_back(row::cell{std::move(name), std::move(text), row::cell::text_, p.column, p.line, p.where});
        };
        if (r_.patient.set) cell("patient_id", r_.patient.text, r_.patient.at);
        else if (r_.case_id.set && !r_.case_id.text.empty()) cell("patient_id", "case:" + r_.case_id.text, r_.case_id.at);
        else return refuse("no patient identifier: expected a D.1.1.1–4 medical record number or a C.1.8.1 worldwide unique case id", rp);
        cell("product_kind", product_kind_, rp);
        if (!r_.onset) return refuse("no reaction with a E.i.4 date of start (observation code 29 effectiveTime/low)", rp);
        cell("onset_time", r_.onset->text, r_.onset->at);
        if (!r_.received.set) return refuse("no C.1.4 date report was first received from source (investigationEvent/effectiveTime/low)", rp);
        std::string why;
        auto rc = iso_of_ts(r_.received.text, why);
        if (!rc) return refuse("date first received \"" + r_.received.text.substr(0, 32) + "\": expected " + why, r_.received.at);
        cell("received_time", *rc, r_.received.at);
        const value_at& area = r_.area_primary.set ? r_.area_primary : r_.area_first;
        if (!area.set || trim(area.text).empty())
            return refuse("no area code: expected the GB/T 2260 code of the primary source's place in its address (C.2.r.2: "
                          "outboundRelationship/…/assignedEntity/addr/county)",
                          rp);
        cell("area_code", trim(area.text), area.at);
        for (int f = 0; f < report_flag_count; ++f)
            cell(std::string(to_string(static_cast<report_flag>(f))), r_.flags >> f & 1u ? "true" : "false", rp);
        for (std::size_t i = 0; i < drugs.size(); ++i) {
            const auto [k, d] = drugs[i];
            const std::string id = i == 0 ? r_.report_id.text : r_.report_id.text + "#" + std::to_string(k);
            row dr = r;
            auto add = [&](std::string name, std::string text, const place& p) {
                dr.cells.push_back(row::cell{std::move(name), std::move(text), row::cell::text_, p.column, p.line, p.where});
            };
            add("report_id", id, r_.report_id.at);
            if (d->authorisation.set) add("product_id", d->authorisation.text, d->authorisation.at);
            else if (d->mpid.set) add("product_id", d->mpid.text, d->mpid.at);
            else {
                refuse("the suspect drug has no G.k.3.1 authorisation number (approval/id root " + std::string(oid_authorisation) +
                           ") nor G.k.2.1.1b MPID (kindOfProduct/code): expected one to identify the product",
                       rp, &id);
                continue;
            }
            auto text_cell = [&](const char* name, const value_at& v, const char* what) {
                const auto t = trim(v.text);
                if (!v.set || t.empty()) {
                    refuse(std::string("the suspect drug has no ") + what, rp, &id);
                    return false;
                }
                add(name, t, v.at);
                return true;
            };
            if (!text_cell("product_name", d->name, "G.k.2.2 medicinal product name (kindOfProduct/name)")) continue;
            if (!text_cell("batch", d->batch, "G.k.4.r.7 batch / lot number (productInstanceInstance/lotNumberText)")) continue;
            if (d->maker.set && !trim(d->maker.text).empty()) add("maker", trim(d->maker.text), d->maker.at);
            if (d->form.set && !trim(d->form.text).empty()) add("dosage_form", trim(d->form.text), d->form.at);
            if (d->strength.set) add("strength", d->strength.text, d->strength.at);
            out_.emplace_back(std::optional<row>(std::move(dr)));
        }
    }

    // The drugs characterised as suspect (1) or interacting (3), in the report's order, each with
    // its position k (from 1) among the report's drugs.
    std::vector<std::pair<std::size_t, const drug*>> suspects() const {
        std::vector<std::pair<std::size_t, const drug*>> out;
        for (std::size_t k = 0; k < r_.drugs.size(); ++k)
            for (const auto& [ref, code] : r_.roles)
                if (ref == r_.drugs[k].id && (code == "1" || code == "3")) {
                    out.emplace_back(k + 1, &r_.drugs[k]);
                    break;
                }
        return out;
    }

    static constexpr std::size_t npos = static_cast<std::size_t>(-1);
    static constexpr std::array<std::string_view, 8> drug_path = {"component", "adverseEventAssessment", "subject1", "primaryRole",
                                                                  "subjectOf2", "organizer", "component", "substanceAdministration"};
    std::istream& in_;
    std::string source_;
    std::string product_kind_;  // every row's: E2B(R3) reports medicinal products ("drug" unless the caller says)
    XML_Parser parser_;
    std::string buf_;
    std::deque<result<std::optional<row>>> out_;
    std::optional<error> fatal_;
    bool finished_ = false;
    std::size_t fed_ = 0, seen_ = 0, reports_ = 0;
    std::vector<std::string> stack_;
    std::size_t ie_ = npos;
    report r_;
    value_at* collecting_ = nullptr;
    std::size_t collect_depth_ = 0;
};

}  // namespace

std::unique_ptr<row_reader> make_e2b_reader(std::istream& in, std::string source, std::string product_kind) {
    return std::make_unique<e2b_reader>(in, std::move(source), std::move(product_kind));
}

}  // namespace vigil::cli
