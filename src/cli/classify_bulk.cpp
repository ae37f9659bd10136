#include "classify_bulk.hpp"

#include <vigil/detail/csv.hpp>
#include <vigil/detail/json_check.hpp>

#include "cli.hpp"

#include <vigil/classify.hpp>
#include <vigil/response.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <vector>

namespace vigil::cli {

namespace {

constexpr std::size_t block_bytes = 4u << 20;  // read size; a block's rows are graded together
constexpr std::size_t max_line = 1u << 20;     // as the general reader: longer lines are its error

// Where each input column goes: a fact (its index in plan::facts), the id, the product, or nowhere.
// A kept column k (--keep-column) is col_kept - k.
enum : int { col_id = -1, col_product = -2, col_skip = -3, col_kept = -4 };


bool parse_header(std::string_view h, const plan& p, const std::vector<std::string>& ignored,
                  const std::vector<std::string>& kept, std::vector<int>& order) {
    if (h.size() >= 3 && h.compare(0, 3, "\xEF\xBB\xBF") == 0) h.remove_prefix(3);
    if (!h.empty() && h.back() == '\r') h.remove_suffix(1);
    if (h.find('"') != std::string_view::npos) return false;
    std::vector<bool> seen(p.facts.size(), false);
    bool have_id = false, have_product = false;
    std::vector<bool> have_kept(kept.size(), false);
    order.clear();
    while (true) {
        const auto comma = h.find(',');
        const auto name = h.substr(0, comma);
        if (name.empty() || name.front() == ' ' || name.front() == '\t' || name.back() == ' ' || name.back() == '\t')
            return false;  // spaces to trim, or no name: the general path
        int what;
        if (const auto k = std::find(kept.begin(), kept.end(), name); k != kept.end()) {
            // passed through; a kept column that is also read (a fact, the id …) goes to the general path
            if (name == "id" || name == "product" || p.find_fact(name) || have_kept[static_cast<std::size_t>(k - kept.begin())])
                return false;
            have_kept[static_cast<std::size_t>(k - kept.begin())] = true;
            what = col_kept - static_cast<int>(k - kept.begin());
        } else if (name == "id") {
            if (have_id) return false;
            have_id = true;
            what = col_id;
        } else if (name == "product") {
            if (have_product) return false;
            have_product = true;
            what = col_product;
        } else if (std::find(ignored.begin(), ignored.end(), name) != ignored.end()) {
            what = col_skip;
        } else if (const fact_def* f = p.find_fact(name); f && (f->kind == fact_kind::count || f->kind == fact_kind::boolean)) {
            if (seen[f->index]) return false;
            seen[f->index] = true;
            what = static_cast<int>(f->index);
        } else {
            return false;
        }
        order.push_back(what);
        if (comma == std::string_view::npos) break;
        h.remove_prefix(comma + 1);
    }
    if (!have_id || !have_product) return false;
    for (bool k : have_kept)
        if (!k) return false;  // a kept column not in the header: the general path's error
    // an input fact that is not optional and absent: the general path says so
    for (const auto& f : p.facts)
        if (!f.optional && f.kind != fact_kind::sum && !seen[f.index]) return false;
    return true;
}

// A count as the general path takes it: 1-10 digits, at most 4294967295.
inline bool parse_count(const char* b, const char* e, std::uint32_t& out) {
    const auto len = e - b;
    if (len < 1 || len > 10) return false;
    std::uint64_t v = 0;
    for (const char* c = b; c < e; ++c) {
        const unsigned d = static_cast<unsigned char>(*c) - '0';
        if (d > 9) return false;
        v = v * 10 + d;
    }
    if (v > UINT32_MAX) return false;
    out = static_cast<std::uint32_t>(v);
    return true;
}

class bulk {
public:
    bulk(const plan& p, std::ostream& out, const line_fallback& fb, const bulk_options& o,
         const std::vector<int>& order, std::string header)
        : plan_(p), out_(out), fallback_(fb), opt_(o), order_(order), header_(std::move(header)) {
        for (int g = 0; g < grade_count; ++g)
            grade_text_[g] = std::string(to_string(static_cast<grade>(g))) + ',' + std::string(grade_zh(static_cast<grade>(g))) + ',';
        is_bool_.assign(p.facts.size(), false);
        for (const auto& f : p.facts) is_bool_[f.index] = f.kind == fact_kind::boolean;
        cols_.resize(p.facts.size());
        kept_.resize(o.kept.size());
        col_spans_.resize(p.facts.size());
        for (int w : order_)
            if (w >= 0) present_.push_back(static_cast<std::size_t>(w));
        values_ = fact_values(p);
        clause_.reserve(p.criteria.size());
        for (const auto& c : p.criteria) clause_.push_back(c.clause);
        prepare_levels();
        out_buf_.reserve(block_bytes * 2);
        start_ = last_progress_ = std::chrono::steady_clock::now();
    }

    // Grades the complete records of [b, e) (each ending with '\n'; at the input's end the last may
    // not). A record the fast parse does not take goes to the general path whole, with its quoted
    // line breaks. Returns where it stopped: e, or the start of a record that goes on past e (not
    // at_end); nullptr when an error was printed.
    const char* lines(const char* b, const char* e, bool at_end) {
        rows_ = 0;
        ensure(static_cast<std::size_t>(e - b) / 24 + 2);
        while (b < e) {
            const char* nl = static_cast<const char*>(std::memchr(b, '\n', static_cast<std::size_t>(e - b)));
            const char* end = nl ? nl : e;
            ++line_;
            const char* next = nl ? nl + 1 : e;
            if (end - b > static_cast<std::ptrdiff_t>(max_line) || !take(b, end)) {
                // the general path grades this record (out of the hot loop)
                next = to_general(b, end, next, e, at_end);
                if (next == stopped) return flush_rows() ? b : nullptr;
                if (!next) return nullptr;
            }
            b = next;
        }
        return flush_rows() ? e : nullptr;
    }

    // The record at b (its first line ends at `end`) through the general path, what came before it
    // first. Returns where the next record begins; `stopped` when the record goes on past e (not
    // at_end: read more first); nullptr when an error was printed.
    static inline const char* const stopped = reinterpret_cast<const char*>(1);
    [[gnu::noinline]] const char* to_general(const char* b, const char* end, const char* next, const char* e, bool at_end) {
        if (std::memchr(b, '"', static_cast<std::size_t>(end - b))) {
            // a quoted field may hold line breaks: the record ends where the CSV reader says
            const char* r = detail::csv::record_end(b, e);
            if (!r && !at_end) {
                --line_;
                return stopped;
            }
            end = r ? r : e;
            next = r ? r + 1 : e;
        }
        if (!flush_rows()) return nullptr;
        const std::string_view text(b, static_cast<std::size_t>(end - b));
        auto r = fallback_(header_, line_, text);
        if (!r) {
            write_out();
            out_.flush();
            print_error(r.error());
            return nullptr;
        }
        if (!r->empty()) {
            out_buf_ += *r;
            out_buf_ += '\n';
            ++graded_;
        }
        line_ += static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
        return next;
    }

    // A line longer than max_line: the general path's error for it.
    bool overlong(const char* b) {
        flush_rows();
        ++line_;
        auto r = fallback_(header_, line_, std::string_view(b, max_line + 1));
        write_out();
        out_.flush();
        if (!r) print_error(r.error());
        return false;
    }

    void progress(std::uint64_t bytes_read, bool final) {
        bytes_ = bytes_read;
        if (!opt_.progress || !isatty(STDERR_FILENO)) return;
        const auto now = std::chrono::steady_clock::now();
        if (!final && now - last_progress_ < std::chrono::milliseconds(500)) return;
        last_progress_ = now;
        if (final) {
            std::fprintf(stderr, "\r\033[K");
            return;
        }
        if (opt_.input_bytes)
            std::fprintf(stderr, "\rvigil: %.1f M rows, %.0f MB (%.0f %%)", graded_ / 1e6, bytes_ / 1e6,
                         100.0 * static_cast<double>(bytes_) / static_cast<double>(opt_.input_bytes));
        else
            std::fprintf(stderr, "\rvigil: %.1f M rows, %.0f MB", graded_ / 1e6, bytes_ / 1e6);
        std::fflush(stderr);
    }

    void write_now() {
        write_out();
        out_.flush();
    }

    void finish() {
        write_out();
        out_.flush();
        if (opt_.stats) {
            const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
            char secs[32], rows[32], mb[32];
            std::snprintf(secs, sizeof secs, "%.3f", s);
            std::snprintf(rows, sizeof rows, "%.2f", s > 0 ? graded_ / s / 1e6 : 0.0);
            std::snprintf(mb, sizeof mb, "%.1f", s > 0 ? bytes_ / s / 1e6 : 0.0);
            say("classify.bulk_stats", {{"rows", std::to_string(graded_)},
                                        {"bytes", std::to_string(bytes_)},
                                        {"seconds", secs},
                                        {"rate", rows},
                                        {"mb", mb},
                                        {"plan", plan_.info.id}});
        }
    }

private:
    void ensure(std::size_t rows) {
        if (ids_.size() >= rows) return;
        ids_.resize(rows);
        for (auto& k : kept_) k.resize(rows);
        for (auto k : present_) cols_[k].resize(rows);
        product_.resize(rows);
        grades_.resize(rows);
        matched_.resize(rows);
    }

    // Parses a plain line into the columns, in one pass; false when the general path must see it.
    bool take(const char* b, const char* e) {
        if (e > b && e[-1] == '\r') --e;
        if (b == e) return true;  // a blank line, as the general reader skips it
        const std::size_t i = rows_;
        if (i >= ids_.size()) ensure(i * 2 + 16);
        const char* f = b;
        const std::size_t n = order_.size();
        for (std::size_t k = 0; k < n; ++k) {
            const int what = order_[k];
            const char* s = f;
            if (what >= 0 && !is_bool_[static_cast<std::size_t>(what)]) {
                std::uint64_t v = 0;
                unsigned d;
                while (f < e && (d = static_cast<unsigned>(static_cast<unsigned char>(*f)) - '0') <= 9) {
                    v = v * 10 + d;
                    ++f;
                }
                const auto len = f - s;
                if (len < 1 || len > 10 || v > UINT32_MAX) return false;
                cols_[static_cast<std::size_t>(what)][i] = static_cast<std::uint32_t>(v);
            } else {
                while (f < e && *f != ',') {
                    if (*f == '"' || *f == '\r') return false;
                    ++f;
                }
                const std::string_view v(s, static_cast<std::size_t>(f - s));
                if (what == col_id) {
                    // empty, or spaces (or control characters) at an end: the general path trims or refuses it
                    if (v.empty() || static_cast<unsigned char>(v.front()) <= ' ' || static_cast<unsigned char>(v.back()) <= ' ')
                        return false;
                    for (char ch : v)
                        if (static_cast<unsigned char>(ch) >= 0x80) {
                            if (detail::invalid_utf8(v)) return false;  // the general path's error
                            break;
                        }
                    ids_[i] = v;
                } else if (what >= 0) {
                    const auto b = detail::csv::boolean(v);  // the one reading of a yes/no cell
                    if (!b) return false;                    // (a blank one is absent: the general path)
                    cols_[static_cast<std::size_t>(what)][i] = *b ? 1 : 0;
                } else if (what == col_product) {
                    const auto prod = plan_.find_product_named(v);
                    if (!prod) return false;
                    product_[i] = static_cast<std::uint8_t>(*prod);
                } else if (what == col_skip) {
                    // an ignored column (--ignore-column)
                } else {  // a kept column (--keep-column), passed through as it is: plain UTF-8 without spaces to trim
                    if (!v.empty() && (v.front() == ' ' || v.front() == '\t' || v.back() == ' ' || v.back() == '\t')) return false;
                    for (char ch : v)
                        if (static_cast<unsigned char>(ch) >= 0x80) {
                            if (detail::invalid_utf8(v)) return false;
                            break;
                        }
                    kept_[static_cast<std::size_t>(col_kept - what)][i] = v;
                }
            }
            if (k + 1 == n) {
                if (f != e) return false;  // more fields than the header, or a stray character
            } else {
                if (f == e || *f != ',') return false;
                ++f;
            }
        }
        ++rows_;
        return true;
    }

    bool flush_rows() {
        if (rows_ == 0) return true;
        fact_columns in;
        in.size = rows_;
        for (std::size_t k = 0; k < col_spans_.size(); ++k) col_spans_[k] = {};
        for (auto k : present_) col_spans_[k] = gsl::span<const std::uint32_t>(cols_[k].data(), rows_);
        in.columns = gsl::span<const gsl::span<const std::uint32_t>>(col_spans_.data(), col_spans_.size());
        in.product = gsl::span<const std::uint8_t>(product_.data(), rows_);
        auto r = classify_batch(plan_, in, {gsl::span<grade>(grades_.data(), rows_), gsl::span<std::uint64_t>(matched_.data(), rows_)});
        if (!r) {
            write_out();
            print_error(r.error());
            return false;
        }
        for (std::size_t i = 0; i < rows_; ++i) {
            out_buf_.append(ids_[i]);
            out_buf_ += ',';
            for (const auto& k : kept_) {
                out_buf_.append(k[i]);
                out_buf_ += ',';
            }
            out_buf_.append(tail(matched_[i], grades_[i]));
            append_levels(i);
        }
        graded_ += rows_;
        rows_ = 0;
        if (out_buf_.size() >= block_bytes) write_out();
        return true;
    }

    // ",grade,grade_zh,reasons" after the id, remembered by matched set (the grade follows from it)
    // in a small direct-mapped table: bounded memory, a lookup a row.
    const std::string& tail(std::uint64_t bits, grade g) {
        auto& slot = tails_[(bits * 0x9E3779B97F4A7C15ull) >> (64 - tail_bits)];
        if (slot.used && slot.bits == bits) return slot.text;
        slot.used = true;
        slot.bits = bits;
        std::swap(out_buf_, slot.text);  // append_reasons writes to out_buf_
        out_buf_.clear();
        out_buf_.append(grade_text_[static_cast<int>(g)]);
        append_reasons(bits);
        std::swap(out_buf_, slot.text);
        return slot.text;
    }

    // ",warning,response\n" for row i (vigil/response.hpp; no modifier columns here: none / false).
    // When no warning or response rule reads a fact, the levels follow from the grade and the
    // scope alone: computed once per grade, not per row.
    void append_levels(std::size_t i) {
        if (!levels_read_facts_) {
            const bool in_scope = (matched_[i] & out_of_scope_bit) == 0;
            out_buf_.append(level_text_[in_scope ? static_cast<std::size_t>(grades_[i]) : grade_count]);
            return;
        }
        for (auto k : present_) values_.values[k] = cols_[k][i];
        values_.product = static_cast<product>(product_[i]);
        append_levels_computed(values_, i);
    }

    // Whether a rule reads a fact that is a column of the input (the others are 0 for every row).
    bool reads_columns(const std::vector<decision_rule>& rules) const {
        std::vector<bool> col(plan_.facts.size(), false);
        for (auto k : present_) col[k] = true;
        auto given = [&](std::uint32_t i) {
            const auto& f = plan_.facts[i];
            if (f.kind != fact_kind::sum) return bool(col[i]);
            for (auto part : f.sum)
                if (col[part]) return true;
            return false;
        };
        for (const auto& r : rules)
            for (const auto& all : r.when)
                for (const auto& t : all)
                    if (t.slot >= 1 && given(t.slot - 1)) return true;  // slots: vigil/response.hpp
        return false;
    }

    void prepare_levels() {
        levels_read_facts_ = (plan_.warnings && reads_columns(plan_.warnings->rules)) ||
                             (plan_.responses && reads_columns(plan_.responses->rules));
        if (levels_read_facts_) return;
        for (std::size_t g = 0; g <= grade_count; ++g) {
            std::swap(out_buf_, level_text_[g]);
            out_buf_.clear();
            // the facts are not read (checked above): a default cluster stands for any
            matched_.assign(1, g < grade_count ? 0 : out_of_scope_bit);
            grades_.assign(1, g < grade_count ? static_cast<grade>(g) : grade::none);
            append_levels_computed(fact_values(plan_), 0);
            std::swap(out_buf_, level_text_[g]);
        }
        matched_.clear();
        grades_.clear();
    }

    void append_levels_computed(const fact_values& f, std::size_t i) {
        const auto l = decide_levels(plan_, f, grades_[i], (matched_[i] & out_of_scope_bit) == 0);
        out_buf_ += ',';
        out_buf_.append(to_string(l.warning));
        out_buf_ += ',';
        if (l.response) out_buf_ += static_cast<char>('0' + l.response);
        else out_buf_.append("none");
        out_buf_ += '\n';
    }

    // The reasons column as the general path writes it: clause ids of the matched criteria, the
    // winner (the lowest index) first, joined by ';' and quoted as RFC 4180 needs.
    void append_reasons(std::uint64_t bits) {
        if (bits & out_of_scope_bit) {
            out_buf_.append("out of scope");
            return;
        }
        reasons_.clear();
        while (bits) {
            const int c = __builtin_ctzll(bits);
            bits &= bits - 1;
            if (!reasons_.empty()) reasons_ += ';';
            reasons_.append(clause_[static_cast<std::size_t>(c)]);
        }
        if (reasons_.find_first_of(",\"\n\r") == std::string::npos) {
            out_buf_.append(reasons_);
            return;
        }
        out_buf_ += '"';
        for (char ch : reasons_) {
            if (ch == '"') out_buf_ += '"';
            out_buf_ += ch;
        }
        out_buf_ += '"';
    }

    void write_out() {
        out_.write(out_buf_.data(), static_cast<std::streamsize>(out_buf_.size()));
        out_buf_.clear();
    }

    const plan& plan_;
    std::ostream& out_;
    const line_fallback& fallback_;
    bulk_options opt_;
    std::vector<int> order_;
    std::string header_;
    std::array<std::string, grade_count> grade_text_;
    std::vector<std::string> clause_;
    std::string out_buf_, reasons_;
    static constexpr int tail_bits = 10;
    struct tail_slot {
        bool used = false;
        std::uint64_t bits = 0;
        std::string text;
    };
    std::array<tail_slot, std::size_t{1} << tail_bits> tails_;
    std::vector<bool> is_bool_;
    std::vector<std::size_t> present_;  // the facts that are columns of the input
    std::vector<gsl::span<const std::uint32_t>> col_spans_;
    fact_values values_;
    bool levels_read_facts_ = true;
    std::array<std::string, grade_count + 1> level_text_;  // by grade; [grade_count]: out of scope
    std::vector<std::string_view> ids_;
    std::vector<std::vector<std::string_view>> kept_;  // by --keep-column
    std::vector<std::vector<std::uint32_t>> cols_;  // by plan fact
    std::vector<std::uint8_t> product_;
    std::vector<grade> grades_;
    std::vector<std::uint64_t> matched_;
    std::size_t rows_ = 0, line_ = 1;
    std::uint64_t graded_ = 0, bytes_ = 0;
    std::chrono::steady_clock::time_point start_, last_progress_;
};

}  // namespace

fd_buf::int_type fd_buf::underflow() {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    ssize_t n;
    do n = ::read(fd_, buf_, sizeof buf_);
    while (n < 0 && errno == EINTR);
    if (n <= 0) return traits_type::eof();
    setg(buf_, buf_, buf_ + n);
    return traits_type::to_int_type(*gptr());
}

std::streamsize fd_buf::xsgetn(char* s, std::streamsize n) {
    if (n <= 0) return 0;
    if (gptr() < egptr()) {  // what is buffered first
        const auto k = std::min<std::streamsize>(n, egptr() - gptr());
        std::memcpy(s, gptr(), static_cast<std::size_t>(k));
        gbump(static_cast<int>(k));
        return k;
    }
    ssize_t got;
    do got = ::read(fd_, s, static_cast<std::size_t>(n));
    while (got < 0 && errno == EINTR);
    return got < 0 ? 0 : got;
}

bool stdout_is_stream() {
    struct stat st {};
    if (::fstat(STDOUT_FILENO, &st) != 0) return false;
    return S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) || ::isatty(STDOUT_FILENO);
}

bulk_outcome classify_csv_bulk(const plan& p, std::istream& in, std::ostream& out, const line_fallback& fallback,
                               const bulk_options& opt) {
    bulk_outcome res;
    std::vector<char> buf(block_bytes + max_line + 2);
    auto* sb = in.rdbuf();
    // the header's line: reads until its end (a read may give less than asked: a pipe)
    std::size_t have = 0;
    bool eof = false;
    const char* nl = nullptr;
    while (!nl && !eof && have <= max_line) {
        const auto n = sb->sgetn(buf.data() + have, static_cast<std::streamsize>(std::min(block_bytes, buf.size() - have)));
        if (n <= 0) eof = true;
        else {
            nl = static_cast<const char*>(std::memchr(buf.data() + have, '\n', static_cast<std::size_t>(n)));
            have += static_cast<std::size_t>(n);
        }
    }
    std::uint64_t total = have;
    std::vector<int> order;
    const std::size_t hlen = nl ? static_cast<std::size_t>(nl - buf.data()) : have;
    if (p.match_words() > 1 || hlen > max_line || !parse_header(std::string_view(buf.data(), hlen), p, opt.ignored, opt.kept, order)) {
        res.consumed.assign(buf.data(), have);
        return res;
    }
    res.taken = true;
    std::string header(buf.data(), hlen);
    out << opt.header;
    if (opt.flush) out.flush();
    bulk b(p, out, fallback, opt, order, header);
    std::size_t pos = nl ? hlen + 1 : have;
    for (;;) {
        const char* s = buf.data() + pos;
        const char* e = buf.data() + have;
        if (eof) {  // all of the rest is in the buffer
            if (s < e && !b.lines(s, e, true)) return res.status = exit_bad_input, res;
            break;
        }
        // the complete records in [pos, have)
        const char* last_nl = nullptr;
        for (const char* q = e; q > s;)
            if (*--q == '\n') {
                last_nl = q;
                break;
            }
        if (last_nl) {
            const char* stop = b.lines(s, last_nl + 1, false);
            if (!stop) return res.status = exit_bad_input, res;
            pos = static_cast<std::size_t>(stop - buf.data());
            if (opt.flush) b.write_now();  // the rows read so far go out before the next read waits
        }
        if (have - pos > max_line) {  // no record end within max_line: the general path's error
            b.overlong(buf.data() + pos);
            return res.status = exit_bad_input, res;
        }
        // keep the partial record, read more
        std::memmove(buf.data(), buf.data() + pos, have - pos);
        have -= pos;
        pos = 0;
        const auto n = sb->sgetn(buf.data() + have, static_cast<std::streamsize>(std::min(block_bytes, buf.size() - have)));
        if (n <= 0) eof = true;
        else {
            have += static_cast<std::size_t>(n);
            total += static_cast<std::uint64_t>(n);
        }
        b.progress(total, false);
    }
    b.progress(total, true);
    b.finish();
    res.status = exit_ok;
    return res;
}

}  // namespace vigil::cli
