#include "classify_bulk.hpp"

#include <vigil/detail/answer_json.hpp>
#include <vigil/detail/csv.hpp>
#include <vigil/detail/json_check.hpp>

#include "cli.hpp"
#include "ordered_chunks.hpp"

#include <vigil/classify.hpp>
#include <vigil/response.hpp>


#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <iostream>
#include <memory>
#include <unordered_map>
#include <vector>

namespace vigil::cli {

namespace {

// The JSON Lines steps' helpers, inlined into the loops that call them whatever their size.
#if defined(__GNUC__)
#define VIGIL_HOT_INLINE [[gnu::always_inline]] inline
#else
#define VIGIL_HOT_INLINE inline
#endif

constexpr std::size_t block_bytes = 4u << 20;  // read size; a block's rows are graded together
constexpr std::size_t max_line = 1u << 20;     // as the general reader: longer lines are its error
constexpr std::size_t padding = 64;            // bytes after any record, readable (the JSON scanner reads ahead)

// Where each input column goes: a fact (its index in plan::facts), the id, the product, or nowhere.
// An override field j (override_names) is col_override - j; a kept column k (--keep-column) is
// col_kept - k.
enum : int { col_id = -1, col_product = -2, col_skip = -3, col_override = -4, col_kept = -9 };

// The override fields, in grade_override's order (their column or key names).
constexpr std::string_view override_names[] = {"override_grade", "override_by", "override_reason", "override_at",
                                               "override_clause"};
constexpr int override_fields = 5;

int override_field(std::string_view name) {
    for (int j = 0; j < override_fields; ++j)
        if (override_names[j] == name) return j;
    return -1;
}

// Whether a text cell goes out as it is in a CSV field (no quotes needed: detail::csv::quote).
inline bool csv_plain(std::string_view v) {
    for (char ch : v)
        if (ch == ',' || ch == '"' || ch == '\n' || ch == '\r') return false;
    return v.empty() || (v.front() != ' ' && v.front() != '\t' && v.back() != ' ' && v.back() != '\t');
}


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
            if (name == "id" || name == "product" || p.find_fact(name) || override_field(name) >= 0 ||
                have_kept[static_cast<std::size_t>(k - kept.begin())])
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
        } else if (const int j = override_field(name); j >= 0) {
            if (std::find(order.begin(), order.end(), col_override - j) != order.end()) return false;
            what = col_override - j;
        } else if (const fact_def* f = p.find_fact(name); f && f->kind != fact_kind::sum) {
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

// The run of ASCII digits at p (up to e) as a number, p moved past it; the caller bounds the
// length (a run over 19 digits wraps, and is refused by its length).
inline std::uint64_t digit_run(const char*& p, const char* e) noexcept {
    std::uint64_t v = 0;
    unsigned d;
    while (p < e && (d = static_cast<unsigned>(static_cast<unsigned char>(*p)) - '0') <= 9) {
        v = v * 10 + d;
        ++p;
    }
    return v;
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

// The input forms the bulk path reads.
enum class input_form { csv, jsonl };

// The line breaks in [b, b + n) (a record the general path answers: a quoted CSV field's breaks).
inline std::size_t count_lines(const char* b, std::size_t n) noexcept {
    return static_cast<std::size_t>(std::count(b, b + n, '\n'));
}

// The rows written, as bytes and a length apart from the room after them: the writer asks for
// room, writes into it and sets the length, and nothing is filled first (a std::string's resize
// fills the room with zeros before the rows overwrite it: ~7 % of a plain CSV run's instructions).
class out_buffer {
public:
    std::size_t size() const noexcept { return size_; }
    std::size_t capacity() const noexcept { return cap_; }
    char* data() noexcept { return p_.get(); }
    const char* data() const noexcept { return p_.get(); }
    void clear() noexcept { size_ = 0; }
    void reserve(std::size_t n) {
        if (n > cap_) grow(n);
    }
    // At least n bytes of room after the rows (their content undefined until written): where it begins.
    char* room(std::size_t n) {
        if (cap_ - size_ < n) grow(std::max(size_ + n, cap_ * 2));
        return p_.get() + size_;
    }
    // The first n bytes are the rows (n ≤ capacity(), every byte before n written).
    void set_size(std::size_t n) noexcept { size_ = n; }
    out_buffer& operator+=(std::string_view v) {
        if (!v.empty()) {  // an empty view's data() may be null
            std::memcpy(room(v.size()), v.data(), v.size());
            size_ += v.size();
        }
        return *this;
    }
    out_buffer& operator+=(char ch) {
        *room(1) = ch;
        ++size_;
        return *this;
    }
    void append(std::string_view v) { *this += v; }
    void swap(out_buffer& o) noexcept {
        std::swap(p_, o.p_);
        std::swap(size_, o.size_);
        std::swap(cap_, o.cap_);
    }

private:
    void grow(std::size_t n) {
        std::unique_ptr<char[]> q(new char[n]);  // default-initialized: not filled
        if (size_) std::memcpy(q.get(), p_.get(), size_);
        p_ = std::move(q);
        cap_ = n;
    }
    std::unique_ptr<char[]> p_;
    std::size_t size_ = 0, cap_ = 0;
};

// A record a worker of the threaded path leaves to the general path: the thread that writes the
// output in input order calls it there (the general path's notes and errors come in input order,
// from one thread), at `at` in the chunk's output.
struct general_call {
    enum kind_t {
        row,      // a record the bulk parse does not take: its line, or its error
        brief,    // a brief row with an override: the general path's line
        refused,  // an override refused: the general path says why; the run stops
        failed,   // the batch refused the block (`why`); the run stops
    };
    std::size_t at = 0, line = 0;
    std::string_view text;
    kind_t kind = row;
    error why;
};

// A piece of the input for the threaded path: whole records, and what a worker made of them.
struct chunk {
    std::vector<char> in;         // the records, then `padding` bytes (the JSON scanner reads ahead)
    std::size_t size = 0;         // bytes of records in `in`
    bool input_start = false;     // the input's first line is the chunk's first (a JSON Lines BOM may be there)
    std::size_t lines = 0;        // the chunk's lines, as the worker counted them (the writing thread adds them up)
    bool overlong = false;        // not records: the start of a record longer than max_line
    out_buffer out;               // the rows written, but for the general path's
    std::vector<general_call> calls;  // the general path's records, in input order
    std::uint64_t graded = 0;     // rows in `out`
    bool failed = false;          // the work stopped at the last call (refused, failed)
};

// A key of a JSON Lines row the bulk path knows: a fact (by its name or its Chinese label), the
// id, the product, an override field, an ignored or a kept key. `slot` is the same for every name
// of one thing (a fact named by its name and its label twice is the general path's error).
struct json_key {
    std::string name;
    int what = col_skip;
    std::size_t slot = 0;
    std::array<char, 48> padded{};  // the name, zero-padded (compared 16 bytes at a time when it fits)
    std::array<char, 32> token{};   // "name": as a row writes it without spaces (token_size 0: too long)
    std::size_t token_size = 0;
    std::uint32_t token_mask = 0;   // token_size low bits set
};

// Whether the 32 bytes at p (`padding` readable bytes after a record) hold `token`'s first `size`
// bytes (`mask`: size low bits set), compared as 32 bytes, the token's masked.
VIGIL_HOT_INLINE bool token_equal(const char* p, const char* token, std::uint32_t mask, std::size_t size) noexcept {
#if defined(__SSE2__)
    (void)size;
    const auto lo = static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), _mm_loadu_si128(reinterpret_cast<const __m128i*>(token)))));
    const auto hi = static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16)), _mm_loadu_si128(reinterpret_cast<const __m128i*>(token + 16)))));
    return ((lo | hi << 16) & mask) == mask;
#else
    (void)mask;
    return std::memcmp(p, token, size) == 0;
#endif
}

// token_equal()'s mask of a token of `size` bytes (at most 32).
constexpr std::uint32_t token_mask_of(std::size_t size) noexcept {
    return size >= 32 ? 0xFFFFFFFFu : (std::uint32_t{1} << size) - 1;
}

// Whether the record at p (at least k.token_size bytes before its end) begins with k's token "name":.
inline bool token_at(const char* p, const json_key& k) noexcept {
    return token_equal(p, k.token.data(), k.token_mask, k.token_size);
}

// Whether the key text `name` (in a record: 15 readable bytes after it) is k's name.
inline bool same_key(std::string_view name, const json_key& k) noexcept {
    if (name.size() != k.name.size()) return false;
#if defined(__SSE2__)
    if (name.size() <= k.padded.size()) {
        for (std::size_t j = 0; j < name.size(); j += 16) {
            const auto eq = static_cast<unsigned>(_mm_movemask_epi8(
                _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(name.data() + j)),
                               _mm_loadu_si128(reinterpret_cast<const __m128i*>(k.padded.data() + j)))));
            const std::size_t left = name.size() - j;
            const unsigned want = left >= 16 ? 0xFFFFu : (1u << left) - 1;
            if ((eq & want) != want) return false;
        }
        return true;
    }
#endif
    return name == k.name;
}

class bulk {
public:
    bulk(const plan& p, std::ostream& out, const line_fallback& fb, const bulk_options& o,
         const std::vector<int>& order, std::string header, input_form form = input_form::csv)
        : plan_(p), out_(out), fallback_(fb), opt_(o), order_(order), header_(std::move(header)), form_(form) {
        for (int g = 0; g < grade_count; ++g)
            grade_text_[g] = std::string(to_string(static_cast<grade>(g))) + ',' + std::string(grade_zh(static_cast<grade>(g))) + ',';
        kind_.assign(p.facts.size(), fact_kind::count);
        optional_.assign(p.facts.size(), false);
        for (const auto& f : p.facts) {
            kind_[f.index] = f.kind;
            optional_[f.index] = f.optional;
        }
        cols_.resize(p.facts.size());
        kept_.resize(o.kept.size());
        col_spans_.resize(p.facts.size());
        if (form_ == input_form::csv) {
            for (int w : order_) {
                if (w >= 0) present_.push_back(static_cast<std::size_t>(w));
                column c;
                if (w >= 0) {
                    const auto f = static_cast<std::size_t>(w);
                    c.op = kind_[f] == fact_kind::count ? col_op::count : kind_[f] == fact_kind::boolean ? col_op::boolean : col_op::grade;
                    c.optional = optional_[f];
                    c.index = w;
                } else if (w == col_id) c.op = col_op::id;
                else if (w == col_product) c.op = col_op::product;
                else if (w == col_skip) c.op = col_op::skip;
                else if (w > col_kept) {
                    c.op = col_op::override_field;
                    c.index = col_override - w;
                } else {
                    c.op = col_op::kept;
                    c.index = col_kept - w;
                }
                columns_.push_back(c);
            }
            // a run of override columns: after its first blank cell, the rest of the run blank
            // too is k separators in a row (k - 1 commas, then the comma or the line's '\n' that
            // ends the run), read as one word (take_fast_lines)
            for (std::size_t k = 0; k < columns_.size(); ++k) {
                std::size_t n = 0;
                while (k + 1 + n < columns_.size() && columns_[k + 1 + n].op == col_op::override_field) ++n;
                if (columns_[k].op != col_op::override_field || n == 0 || n > 8) continue;
                auto& c = columns_[k];
                c.rest = static_cast<std::uint8_t>(n);
                c.rest_bits = (std::uint64_t{1} << n) - 1;
                for (std::size_t j = 0; j < n; ++j) c.rest_text[j] = j + 1 < n || k + n + 1 < columns_.size() ? ',' : '\n';
                std::memcpy(&c.rest_word, c.rest_text.data(), 8);
                for (std::size_t j = 0; j < n; ++j) {
                    std::uint64_t byte_mask;
                    std::array<unsigned char, 8> m{};
                    m[j] = 0xFF;
                    std::memcpy(&byte_mask, m.data(), 8);
                    c.rest_mask |= byte_mask;
                }
            }
            // after the last column, one that ends take_fast_lines() on a line of more fields than the header's
            column end;
            end.op = col_op::end;
            columns_.push_back(end);
            for (auto& c : columns_)
                c.jump = c.op == col_op::boolean && c.optional ? jump_boolean_optional : static_cast<std::uint8_t>(c.op);
        } else {
            // JSON Lines: any row may give any fact; one given by no row is 0 (absent) in its column
            for (const auto& f : p.facts)
                if (f.kind != fact_kind::sum) present_.push_back(f.index);
            prepare_keys();
            line_ = 0;  // no header line
        }
        prepare_products();
        prepare_grade_names();
        prepare_bool_words();
        values_ = fact_values(p);  // an override row's facts (its levels are decided with the override's grade)
        clause_.reserve(p.criteria.size());
        for (const auto& c : p.criteria) clause_.push_back(c.clause);
        row_kept_.resize(o.kept.size());
        out_buf_.reserve(block_bytes * 2);
        start_ = last_progress_ = std::chrono::steady_clock::now();
    }

    // Whether the JSON Lines keys are ones the bulk path reads alone (a kept key that is also read
    // as a fact, the id, the product or an override, or is also ignored, goes to the general path).
    bool keys_ok() const { return keys_ok_; }

    // Grades the complete records of [b, e) (each ending with '\n'; at the input's end the last may
    // not). A record the fast parse does not take goes to the general path whole, with its quoted
    // line breaks. Returns where it stopped: e, or the start of a record that goes on past e (not
    // at_end); nullptr when an error was printed.
    const char* lines(const char* b, const char* e, bool at_end) {
        rows_ = 0;
        overrides_.clear();
        ensure(static_cast<std::size_t>(e - b) / 24 + 2);
        if (form_ == input_form::csv) return lines_csv(b, e, at_end);
        // the rows that begin before `ended` end with '\n' before e: their shape is taken unbounded
        const void* last_nl = e > b ? ::memrchr(b, '\n', static_cast<std::size_t>(e - b)) : nullptr;
        const char* const ended = last_nl ? static_cast<const char*>(last_nl) : b;
        while (b < e) {
            if (shape_off_ > 0) {
                --shape_off_;
            } else if (!shape_.empty() && *b == '{') {  // a row of the kept shape: its line's end found as it is taken
                if (rows_ >= ids_.size()) ensure(rows_ * 2 + 16);
                const char* q = b < ended ? take_shape<false>(b, e, rows_) : take_shape<true>(b, e, rows_);
                if (q && q < e && *q == '\r') ++q;  // a CRLF line
                if (q && (q == e || *q == '\n') && q - b <= static_cast<std::ptrdiff_t>(max_line)) {
                    ++rows_;
                    ++line_;
                    shape_misses_ = 0;
                    ++shape_hits_;
                    b = q == e ? e : q + 1;
                    continue;
                }
                ++shape_misses_;
            }
            const char* nl = static_cast<const char*>(std::memchr(b, '\n', static_cast<std::size_t>(e - b)));
            const char* end = nl ? nl : e;
            ++line_;
            const char* next = nl ? nl + 1 : e;
            if (line_ == bom_line_ && end - b >= 3 && std::memcmp(b, "\xEF\xBB\xBF", 3) == 0) b += 3;  // JSON Lines: a BOM, as the general reader skips it
            if (end - b > static_cast<std::ptrdiff_t>(max_line) ||
                !(form_ == input_form::csv ? take(b, end) : take_json(b, end))) {
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
        if (form_ == input_form::csv && std::memchr(b, '"', static_cast<std::size_t>(end - b))) {
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
        if (defer_) {  // the writing thread asks the general path, in input order
            defer_->push_back({out_buf_.size(), line_, text, general_call::row, {}});
            line_ += count_lines(text.data(), text.size());
            return next;
        }
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
        line_ += count_lines(text.data(), text.size());
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
                                        {"threads", std::to_string(threads_)},
                                        {"plan", plan_.info.id}});
        }
    }

    // ---------------------------------------------------------------- the threaded path

    void threads(unsigned n) { threads_ = n; }

    // A worker's part: the records of `c` into c.out and c.calls (what the general path is to
    // answer), written nowhere; the rows as the one-thread run counts them, and the lines counted
    // from the chunk's start (c.lines; each call's line is the chunk's: replay() adds the lines
    // before it, which only the writing thread knows).
    void work(chunk& c) {
        defer_ = &c.calls;
        c.calls.clear();
        out_buf_.swap(c.out);
        out_buf_.clear();
        graded_ = 0;
        line_ = 0;
        bom_line_ = c.input_start ? 1 : 0;  // 0: no line is (lines are counted from 1)
        c.failed = c.size && !lines(c.in.data(), c.in.data() + c.size, true);
        c.lines = line_;
        c.graded = graded_;
        out_buf_.swap(c.out);
        defer_ = nullptr;
    }

    // The writing thread: the lines before the first chunk (the header's).
    void lines_before(std::size_t n) { before_ = n; }

    // The writing thread's part: a worked chunk out, in input order, the general path answering
    // its records where they are; false when an error was printed (the run stops there, as the
    // one-thread run does: the rows before it written, none after).
    bool replay(const chunk& c) {
        if (c.overlong) {
            line_ = before_;
            return overlong(c.in.data());
        }
        std::size_t pos = 0;
        for (const auto& call : c.calls) {
            out_.write(c.out.data() + pos, static_cast<std::streamsize>(call.at - pos));
            pos = call.at;
            if (call.kind == general_call::failed) {
                out_.flush();
                print_error(call.why);
                return false;
            }
            const std::size_t line = before_ + call.line;
            auto r = fallback_(header_, line, call.text);
            if (call.kind == general_call::refused) {
                out_.flush();
                if (!r) print_error(r.error());
                else print_error(error{errc::invalid_input, "the override of line " + std::to_string(line) + " is refused"});
                return false;
            }
            if (!r) {
                out_.flush();
                print_error(r.error());
                return false;
            }
            if (call.kind == general_call::brief) {  // counted in c.graded
                out_.write(r->data(), static_cast<std::streamsize>(r->size()));
                out_.put('\n');
            } else if (!r->empty()) {
                out_.write(r->data(), static_cast<std::streamsize>(r->size()));
                out_.put('\n');
                ++graded_;
            }
        }
        if (c.failed) {  // every stop leaves a call that says why; this is not reached
            out_.flush();
            print_error(error{errc::invalid_input, "the input stopped at line " + std::to_string(before_ + 1)});
            return false;
        }
        out_.write(c.out.data() + pos, static_cast<std::streamsize>(c.out.size() - pos));
        graded_ += c.graded;
        before_ += c.lines;
        return true;
    }

private:
    // What take() does with each CSV column, in the header's order (decided once from it).
    enum class col_op : std::uint8_t { count, boolean, grade, id, product, skip, override_field, kept, end };
    static constexpr std::uint8_t jump_boolean_optional = static_cast<std::uint8_t>(col_op::end) + 1;  // a column's jump
    struct column {
        col_op op = col_op::skip;
        bool optional = false;
        int index = 0;                     // the fact, the override field or the kept column
        std::uint32_t* column = nullptr;   // a fact's column (cols_), set by ensure()
        std::uint8_t jump = 0;             // take_fast_lines()' label: op, or jump_boolean_optional
        // an override column followed by `rest` more (1-8): their cells blank are the bytes
        // rest_text (in host order, rest_word under rest_mask) right after this one's comma
        std::uint8_t rest = 0;
        std::array<char, 8> rest_text{};
        std::uint64_t rest_word = 0, rest_mask = 0;
        std::uint64_t rest_bits = 0;  // `rest` one bits: their separators in the structural mask
    };

    // A row with an expert override: its fields as given (views into the block; copied into a
    // grade_override only when the block is graded), and the record, should the general path have
    // to say why the override is refused.
    struct override_row {
        std::size_t row = 0, line = 0;
        std::string_view text;
        std::array<std::string_view, override_fields> field{};
    };

    void ensure(std::size_t rows) {
        if (ids_.size() >= rows) return;
        ids_.resize(rows);
        for (auto& k : kept_) k.resize(rows);
        for (auto k : present_) cols_[k].resize(rows);
        for (auto& c : columns_)
            if (c.op == col_op::count || c.op == col_op::boolean || c.op == col_op::grade)
                c.column = cols_[static_cast<std::size_t>(c.index)].data();
        point_shape();
        product_.resize(rows);
        grades_.resize(rows);
        matched_.resize(rows);
        warnings_.resize(rows);
        responses_.resize(rows);
    }

    // A fact's cell as text (a boolean, a grade, or a blank one): its value, or false when the
    // general path must see it (a blank cell of a fact that is not optional: the general path notes it).
    bool text_fact(std::size_t fact, std::string_view v, std::uint32_t& out) const {
        if (v.empty()) {
            if (!optional_[fact]) return false;
            out = 0;  // absent: 0 / false / none
            return true;
        }
        if (kind_[fact] == fact_kind::boolean) {
            const auto b = detail::csv::boolean(v);  // the one reading of a yes/no cell
            if (!b) return false;
            out = *b ? 1 : 0;
            return true;
        }
        const auto g = parse_grade(v);  // fact_kind::grade
        if (!g) return false;
        out = static_cast<std::uint32_t>(*g);
        return true;
    }

    // An override field's text as the general path would take it; false when it must see it.
    static bool override_text(int j, std::string_view v) {
        if (j == 0) {
            const auto g = parse_grade(v);
            return g && *g != grade::none;
        }
        return true;
    }

    // Whether [b, e) holds a '"' or a '\r'. Reads 16 bytes at a time (SSE2), up to 15 past e:
    // the caller's buffer has `padding` bytes after any record.
    static bool quote_or_cr(const char* b, const char* e) noexcept {
#if defined(__SSE2__)
        const __m128i quote = _mm_set1_epi8('"'), cr = _mm_set1_epi8('\r');
        for (; b < e; b += 16) {
            const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b));
            auto m = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, cr))));
            if (e - b < 16) m &= (1u << (e - b)) - 1;
            if (m) return true;
        }
        return false;
#else
        for (; b < e; ++b)
            if (*b == '"' || *b == '\r') return true;
        return false;
#endif
    }

    // Where the CSV field that begins at f ends: its comma, or e (16 bytes at a time, as quote_or_cr).
    static const char* field_end(const char* f, const char* e) noexcept {
#if defined(__SSE2__)
        const __m128i comma = _mm_set1_epi8(',');
        for (;; f += 16) {
            const auto m = static_cast<unsigned>(
                _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(f)), comma)));
            if (m) {
                const char* c = f + __builtin_ctz(m);
                return c < e ? c : e;
            }
            if (e - f <= 16) return e;
        }
#else
        while (f < e && *f != ',') ++f;
        return f;
#endif
    }

    // The 8 bytes at p (a record has `padding` bytes after it).
    static std::uint64_t word8(const char* p) noexcept {
        std::uint64_t x;
        std::memcpy(&x, p, 8);
        return x;
    }

    static std::uint32_t word4(const char* p) noexcept {
        std::uint32_t x;
        std::memcpy(&x, p, 4);
        return x;
    }

    // parse_grade(v) as an int, inline (-1: not a grade's name).
    static int grade_of(std::string_view v) noexcept {
        switch (v.size()) {
        case 1: return v[0] == 'I' ? static_cast<int>(grade::I) : -1;
        case 2: return v[0] != 'I' ? -1 : v[1] == 'V' ? static_cast<int>(grade::IV) : v[1] == 'I' ? static_cast<int>(grade::II) : -1;
        case 3: return std::memcmp(v.data(), "III", 3) == 0 ? static_cast<int>(grade::III) : -1;
        case 4: return std::memcmp(v.data(), "none", 4) == 0 ? static_cast<int>(grade::none) : -1;
        default: return -1;
        }
    }

    // grade_of(v) of the len bytes at f (4 bytes read at f: a record has `padding` bytes after it),
    // a blank cell 0 when `blank_ok`, without a branch on which grade (a column's grades are mixed):
    // the one name of the cell's length (of two, IV and II, by its second byte) compared as a word.
    int grade_word(const char* f, std::ptrdiff_t len, bool blank_ok) const noexcept {
        if (static_cast<std::size_t>(len) > 4) return -1;
        const auto& n = grade_names_[static_cast<std::size_t>(len) * 2 + (f[1] == 'V')];
        const bool ok = ((word4(f) & n.keep) == n.word) & ((len != 0) | blank_ok);
        return ok ? n.g : -1;
    }

    // The cells a boolean column's fast reading takes, by length (0-7, 7 for any longer) and, for
    // 8-15, of an optional fact: "true", "false" and, when optional, blank; the other lengths
    // match no word (keep 0, word 1) and go to text_cell.
    void prepare_bool_words() {
        const auto padded_word = [](std::string_view v, unsigned char fill) {  // v's bytes (or fill for each), 0 after
            std::array<unsigned char, 8> b{};
            for (std::size_t k = 0; k < v.size(); ++k) b[k] = fill ? fill : static_cast<unsigned char>(v[k]);
            std::uint64_t x;
            std::memcpy(&x, b.data(), 8);
            return x;
        };
        for (std::size_t opt = 0; opt < 2; ++opt) {
            bool_word* t = bool_words_.data() + opt * 8;
            if (opt) t[0] = bool_word{0, 0, 0};
            t[4] = bool_word{padded_word("true", 0xFF), padded_word("true", 0), 1};
            t[5] = bool_word{padded_word("false", 0xFF), padded_word("false", 0), 0};
        }
    }

    void prepare_grade_names() {
        const std::pair<const char*, grade> names[] = {{"", grade::none}, {"I", grade::I}, {"II", grade::II}, {"III", grade::III}, {"none", grade::none}};
        for (std::size_t len = 0; len <= 4; ++len)
            for (std::size_t v = 0; v < 2; ++v) {
                auto& n = grade_names_[len * 2 + v];
                const auto& [name, g] = len == 2 && v ? std::pair<const char*, grade>{"IV", grade::IV} : names[len];
                std::array<char, 4> text{}, keep{};
                std::memcpy(text.data(), name, len);
                std::fill(keep.begin(), keep.begin() + static_cast<std::ptrdiff_t>(len), static_cast<char>(0xFF));
                n.word = word4(text.data());
                n.keep = word4(keep.data());
                n.g = static_cast<int>(g);
            }
    }

    // A CSV field's text into row i's column `c` (any column but a count); false when the general
    // path must see it. take() and take_fast_lines() read every such field here.
    bool text_cell(const column& c, std::string_view v, std::size_t i, bool& have_override) {
        switch (c.op) {
        case col_op::boolean:
            if (v.empty()) {
                if (!c.optional) return false;  // a blank cell of a fact that is not optional: the general path notes it
                c.column[i] = 0;
            } else if (v.size() == 4 && std::memcmp(v.data(), "true", 4) == 0) {
                c.column[i] = 1;  // the common spellings first; the others as csv::boolean reads them
            } else if (v.size() == 5 && std::memcmp(v.data(), "false", 5) == 0) {
                c.column[i] = 0;
            } else {
                const auto x = detail::csv::boolean(v);  // the one reading of a yes/no cell
                if (!x) return false;
                c.column[i] = *x ? 1 : 0;
            }
            return true;
        case col_op::grade:
            if (v.empty()) {
                if (!c.optional) return false;
                c.column[i] = 0;
            } else {
                const int g = grade_of(v);
                if (g < 0) return false;
                c.column[i] = static_cast<std::uint32_t>(g);
            }
            return true;
        case col_op::id:
            // empty, or spaces (or control characters) at an end: the general path trims or refuses it
            if (v.empty() || static_cast<unsigned char>(v.front()) <= ' ' || static_cast<unsigned char>(v.back()) <= ' ')
                return false;
            if (!ascii8(v) && !plain_utf8(v)) return false;
            ids_[i] = v;
            return true;
        case col_op::product: {
            const int prod = product_of(v);
            if (prod < 0) return false;
            product_[i] = static_cast<std::uint8_t>(prod);
            return true;
        }
        case col_op::skip: return true;  // an ignored column (--ignore-column)
        case col_op::override_field:  // plain UTF-8 without spaces to trim; its text kept only when given
            if (!v.empty()) {
                if (!csv_plain(v) || !plain_utf8(v) || !override_text(c.index, v)) return false;
                if (!have_override) ov_.field = {};
                ov_.field[static_cast<std::size_t>(c.index)] = v;
                have_override = true;
            }
            return true;
        case col_op::kept:  // passed through as it is: plain UTF-8 without spaces to trim
            if (!v.empty() && (v.front() == ' ' || v.front() == '\t' || v.back() == ' ' || v.back() == '\t')) return false;
            if (!plain_utf8(v)) return false;
            kept_[static_cast<std::size_t>(c.index)][i] = v;
            return true;
        case col_op::count: break;  // read by the callers (digits, not text)
        case col_op::end: break;    // not a column: the one after the header's last
        }
        return false;
    }

    // The product a row names (plan::find_product_named(v)), or -1 when none: the names (ids and
    // Chinese labels) are found in a small table made once, by their length and first 8 bytes, and
    // compared once; no branch on which product a row names (rows alternate between products).
    // Reads 16 bytes at v (SSE2): a record has `padding` bytes after it.
    VIGIL_HOT_INLINE int product_of(std::string_view v) const noexcept {
        const int k = product_slots_[product_slot(v)];
        if (k >= 0) {
            const product_name& n = product_names_[static_cast<std::size_t>(k)];
            return same_name(v, n) ? n.id : -1;
        }
        return k == no_product ? -1 : product_sharing(v);
    }

    // product_of() of a name whose slot other names share: each compared.
    [[gnu::noinline]] int product_sharing(std::string_view v) const noexcept {
        for (const auto& n : product_names_)
            if (same_name(v, n)) return n.id;
        return -1;
    }

    // product_of's table: by slot, the one name with that slot, no_product, or shared_slot.
    static constexpr unsigned product_slot_bits = 6;
    static constexpr std::int16_t no_product = -1, shared_slot = -2;
    static unsigned product_slot(std::string_view v) noexcept {  // reads 8 bytes at v
        const std::uint64_t mask = v.size() >= 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * v.size())) - 1;
        const std::uint64_t w = (word8(v.data()) & mask) ^ v.size();
        return static_cast<unsigned>((w * 0x9E3779B97F4A7C15ull) >> (64 - product_slot_bits));
    }

    // A product's name as product_of compares it.
    struct product_name {
        std::string name;
        std::array<char, 16> padded{};  // the name, zero-padded (when it fits)
        int id = 0;                     // what plan::find_product_named(name) is
    };

    VIGIL_HOT_INLINE static bool same_name(std::string_view v, const product_name& p) noexcept {
        if (v.size() != p.name.size()) return false;
#if defined(__SSE2__)
        if (v.size() <= p.padded.size()) {
            const auto eq = static_cast<unsigned>(_mm_movemask_epi8(
                _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(v.data())),
                               _mm_loadu_si128(reinterpret_cast<const __m128i*>(p.padded.data())))));
            const unsigned want = v.size() >= 16 ? 0xFFFFu : (1u << v.size()) - 1;
            return (eq & want) == want;
        }
#endif
        return v == p.name;
    }

    void prepare_products() {
        for (const auto& d : plan_.products)
            for (const std::string* n : {&d.id, &d.label_zh}) {
                if (n->empty()) continue;
                const auto prod = plan_.find_product_named(*n);
                if (!prod) continue;
                product_name x;
                x.name = *n;
                if (n->size() <= x.padded.size()) std::memcpy(x.padded.data(), n->data(), n->size());
                x.id = static_cast<int>(*prod);
                product_names_.push_back(std::move(x));
            }
        product_slots_.fill(no_product);
        for (std::size_t k = 0; k < product_names_.size(); ++k) {
            const std::string& n = product_names_[k].name;
            std::array<char, 8> head{};  // product_slot reads 8 bytes
            std::memcpy(head.data(), n.data(), std::min(n.size(), head.size()));
            auto& slot = product_slots_[product_slot(std::string_view(head.data(), n.size()))];
            slot = slot == no_product ? static_cast<std::int16_t>(k) : shared_slot;
        }
    }

    // ---------------------------------------------------------------- CSV: the structural pass

    // The separators of a CSV block, found 64 bytes at a time as one bit mask and taken in order
    // (ctz): ',' and '\n', and '"' and '\r', which end a field too, so that take_fast_lines() sees them
    // (it leaves such a line to take()). Reads up to 63 bytes past the block's end: the buffer has
    // `padding` bytes after any record.
    struct separators {
        const char* at = nullptr;  // the window's first byte
        std::uint64_t bits = 0;    // the window's separators not taken yet

        static std::uint64_t scan(const char* p) noexcept {
#if defined(__SSE2__)
            const __m128i comma = _mm_set1_epi8(','), nl = _mm_set1_epi8('\n'), quote = _mm_set1_epi8('"'),
                          cr = _mm_set1_epi8('\r');
            std::uint64_t m = 0;
            for (int j = 0; j < 4; ++j) {
                const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * j));
                const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, comma), _mm_cmpeq_epi8(x, nl)),
                                                 _mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, cr)));
                m |= std::uint64_t{static_cast<unsigned>(_mm_movemask_epi8(hit))} << (16 * j);
            }
            return m;
#else
            std::uint64_t m = 0;
            for (int j = 0; j < 64; ++j)
                if (p[j] == ',' || p[j] == '\n' || p[j] == '"' || p[j] == '\r') m |= std::uint64_t{1} << j;
            return m;
#endif
        }

        void start(const char* p) noexcept {
            at = p;
            bits = scan(p);
        }

        // The next separator. There is one: take_fast_lines() reads only lines that end with '\n'
        // (and never past that '\n'), so this reads no window past the one that holds it.
        const char* next() noexcept {
            while (bits == 0) {
                at += 64;
                bits = scan(at);
            }
            const char* p = at + __builtin_ctzll(bits);
            bits &= bits - 1;
            return p;
        }
    };

    // The 8 bytes at p as each one's value less '0', the len (1-8) at p last, in the top byte (the
    // bytes shifted in are leading zeros). Reads 8 bytes at p: a record has `padding` bytes after it.
    static std::uint64_t digit_bytes(const char* p, unsigned len) noexcept {
        std::uint64_t x;
        std::memcpy(&x, p, 8);
        return (x ^ 0x3030303030303030ull) << (8 * (8 - len));
    }

    // The number digit_bytes() holds, when each of its bytes is 0-9 (SWAR: pairs, then fours).
    static std::uint32_t digit_bytes_value(std::uint64_t x) noexcept {
        x = x * 10 + (x >> 8);  // pairs of digits
        x = (((x & 0x000000FF000000FFull) * 0x000F424000000064ull) + (((x >> 16) & 0x000000FF000000FFull) * 0x0000271000000001ull)) >> 32;
        return static_cast<std::uint32_t>(x);
    }

    // The count of 1 to 8 ASCII digits at p (len of them) without a branch a digit (SWAR); false
    // when a byte is not a digit. Reads 8 bytes at p: a record has `padding` bytes after it.
    static bool digits8(const char* p, std::ptrdiff_t len, std::uint32_t& out) noexcept {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        const std::uint64_t x = digit_bytes(p, static_cast<unsigned>(len));
        if ((((x & 0x7F7F7F7F7F7F7F7Full) + 0x7676767676767676ull) | x) & 0x8080808080808080ull) return false;  // a byte > 9
        out = digit_bytes_value(x);
        return true;
#else
        std::uint64_t v = 0;
        for (std::ptrdiff_t k = 0; k < len; ++k) {
            const unsigned d = static_cast<unsigned char>(p[k]) - '0';
            if (d > 9) return false;
            v = v * 10 + d;
        }
        out = static_cast<std::uint32_t>(v);
        return true;
#endif
    }

    // The CSV records of [b, e) (as lines()): the lines that end with '\n' parsed by
    // take_fast_lines() with the block's separators; a line it does not take, and a last line
    // without '\n', go to take() and the general path as before.
    const char* lines_csv(const char* b, const char* e, bool at_end) {
        const char* fast_end = e;  // the lines before it end with '\n'
        if (at_end && b < e && e[-1] != '\n') {
            const void* nl = ::memrchr(b, '\n', static_cast<std::size_t>(e - b));
            fast_end = nl ? static_cast<const char*>(nl) + 1 : b;
        }
        separators s;
        while (b < e) {
            if (b < fast_end) {
                s.start(b);
                b = take_fast_lines(b, fast_end, s);
                if (b == e) break;
            }
            ++line_;
            const char* nl = static_cast<const char*>(std::memchr(b, '\n', static_cast<std::size_t>(e - b)));
            const char* end = nl ? nl : e;
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

    // Parses the lines from b (each one that ends with '\n') up to fast_end into the columns,
    // their fields' ends from `scan` (at b); where the first line it does not take begins
    // (fast_end when it takes them all: take() is to see that line, and `scan` is to start
    // again). It takes only what take() takes alike: a field that ends at a quote or a CR (but a
    // CR right before the '\n'), a line of fewer or more fields than the header's, stop it.
    // Each field goes to its column's op in one jump (a table of labels where the compiler has
    // them, GCC and Clang; a switch elsewhere).
    const char* take_fast_lines(const char* b, const char* const fast_end, separators& scan) {
#if defined(__GNUC__)
        static const void* const at_op[] = {&&op_count, &&op_boolean, &&op_grade, &&op_id, &&op_product,
                                            &&op_skip,  &&op_override, &&op_kept,  &&op_end, &&op_boolean_optional};
        static_assert(sizeof at_op / sizeof at_op[0] == jump_boolean_optional + 1);
#endif
        separators s = scan;  // in registers; written back when a line is taken
        const column* const first = columns_.data();
        const column* const last = first + columns_.size() - 2;  // the header's last column (then `end`)
        for (; b < fast_end; ++rows_) {
            const std::size_t i = rows_;
            if (i >= ids_.size()) ensure(i * 2 + 16);
            const column* c = first;
            const char* f = b;
            const char* sep;
            std::ptrdiff_t len;
            bool have_override = false;
        next_field:
            sep = s.next();
            len = sep - f;
#if defined(__GNUC__)
            goto* at_op[c->jump];
#else
            if (c->jump == jump_boolean_optional) goto op_boolean_optional;
            switch (c->op) {
            case col_op::count: goto op_count;
            case col_op::boolean: goto op_boolean;
            case col_op::grade: goto op_grade;
            case col_op::id: goto op_id;
            case col_op::product: goto op_product;
            case col_op::skip: goto op_skip;
            case col_op::override_field: goto op_override;
            case col_op::kept: goto op_kept;
            case col_op::end: goto op_end;
            }
#endif
        op_count: {
            std::uint32_t v;
            if (static_cast<std::size_t>(len - 1) < 2) {  // 1 or 2 digits (most counts): d1, or 10 d0 + d1
                const unsigned d0 = static_cast<unsigned>(static_cast<unsigned char>(f[0])) - '0';
                const unsigned d1 = static_cast<unsigned>(static_cast<unsigned char>(f[len - 1])) - '0';
                if ((d0 > 9) | (d1 > 9)) break;
                v = d1 + d0 * 10 * static_cast<unsigned>(len - 1);
            } else if (static_cast<std::size_t>(len - 1) < 8) {
                if (!digits8(f, len, v)) break;
            } else if (len == 0) {
                if (!c->optional) break;
                v = 0;  // blank: absent
            } else if (!parse_count(f, sep, v)) {
                break;
            }
            c->column[i] = v;
            goto field_done;
        }
        // true, false or blank (when optional: absent) by its length, the one cell of that length
        // it can be compared as one word, without a branch on which (the values of a column are
        // mixed: a branch on them is mispredicted); others as text_cell
        op_boolean: {
            const auto& t = bool_words_[static_cast<std::size_t>(len) < 7 ? static_cast<std::size_t>(len) : 7];
            if ((word8(f) & t.keep) == t.word) c->column[i] = t.value;
            else if (!text_cell(*c, std::string_view(f, static_cast<std::size_t>(len)), i, have_override)) break;
            goto field_done;
        }
        op_boolean_optional: {
            const auto& t = bool_words_[8 + (static_cast<std::size_t>(len) < 7 ? static_cast<std::size_t>(len) : 7)];
            if ((word8(f) & t.keep) == t.word) c->column[i] = t.value;
            else if (!text_cell(*c, std::string_view(f, static_cast<std::size_t>(len)), i, have_override)) break;
            goto field_done;
        }
        op_grade: {
            const int g = grade_word(f, len, c->optional);
            if (g >= 0) c->column[i] = static_cast<std::uint32_t>(g);
            else if (!text_cell(*c, std::string_view(f, static_cast<std::size_t>(len)), i, have_override)) break;
            goto field_done;
        }
        op_product: {
            const int prod = product_of(std::string_view(f, static_cast<std::size_t>(len)));
            if (prod < 0) break;
            product_[i] = static_cast<std::uint8_t>(prod);
            goto field_done;
        }
        op_id:
            if (len > 0 && static_cast<unsigned char>(*f) > ' ' && static_cast<unsigned char>(sep[-1]) > ' ' &&
                ascii8(std::string_view(f, static_cast<std::size_t>(len))))
                ids_[i] = std::string_view(f, static_cast<std::size_t>(len));  // a short ASCII id without spaces at its ends
            else if (!text_cell(*c, std::string_view(f, static_cast<std::size_t>(len)), i, have_override))
                break;
            goto field_done;
        op_skip:  // an ignored column
            goto field_done;
        op_override:
            if (len == 0) {  // blank: no override (the common case)
                if (c->rest) {  // the rest of the run blank too: its separators taken at once
                    std::uint64_t x;
                    std::memcpy(&x, sep + 1, 8);  // a record has `padding` bytes after it
                    if ((x & c->rest_mask) == c->rest_word) {
                        const unsigned k = c->rest;
                        const auto off = static_cast<std::size_t>(sep + 1 - s.at);  // 1-64
                        if (off + k <= 64) s.bits &= ~(c->rest_bits << off);
                        else
                            for (unsigned j = 0; j < k; ++j) s.next();
                        sep += k;
                        c += k;
                    }
                }
                goto field_done;
            }
            goto op_kept;  // given: its text
        op_kept:
            if (!text_cell(*c, std::string_view(f, static_cast<std::size_t>(len)), i, have_override)) break;
            goto field_done;
        op_end:  // more fields than the header's
            break;
        field_done:
            if (*sep == ',') {
                f = sep + 1;
                ++c;
                goto next_field;
            }
            if (c != last) break;  // the line ends early, or a quote or a CR
            // the last field's end: the line's '\n', or a CR right before it
            const char* next;
            const char* line_end = sep;  // its '\n'
            if (*sep == '\n') {
                next = sep + 1;
            } else if (*sep == '\r' && sep[1] == '\n') {
                s.next();  // that '\n'
                line_end = sep + 1;
                next = sep + 2;
            } else {
                break;  // a quote or a CR
            }
            if (line_end - b > static_cast<std::ptrdiff_t>(max_line)) break;
            scan = s;
            ++line_;
            if (have_override) keep_override(i, b, sep);
            b = next;
        }
        return b;
    }

    // Row i has an override: its fields (in ov_) and its record [b, e), should the general path
    // have to say why the override is refused.
    void keep_override(std::size_t i, const char* b, const char* e) {
        ov_.row = i;
        ov_.line = line_;
        ov_.text = std::string_view(b, static_cast<std::size_t>(e - b));
        overrides_.push_back(ov_);
    }

    // Parses a plain line into the columns, in one pass; false when the general path must see it.
    bool take(const char* b, const char* e) {
        const char* const line_begin = b;
        if (e > b && e[-1] == '\r') --e;
        if (b == e) return true;  // a blank line, as the general reader skips it
        const std::size_t i = rows_;
        if (i >= ids_.size()) ensure(i * 2 + 16);
        if (quote_or_cr(b, e)) return false;  // a quoted field, or a CR inside the line: the general path
        const char* f = b;
        const std::size_t n = columns_.size() - 1;  // the header's columns (then `end`)
        bool have_override = false;
        for (std::size_t k = 0; k < n; ++k) {
            const column c = columns_[k];
            const char* s = f;
            if (c.op == col_op::count) {
                std::uint64_t v = digit_run(f, e);
                const auto len = f - s;
                if (len == 0 && c.optional && (f == e || *f == ',')) v = 0;  // blank: absent
                else if (len < 1 || len > 10 || v > UINT32_MAX) return false;
                c.column[i] = static_cast<std::uint32_t>(v);
            } else if (c.op == col_op::override_field && f < e && *f == ',') {
                // blank: no override field (the common case)
            } else if (c.op == col_op::boolean && e - f >= 4 && (e - f == 4 || f[4] == ',') && word4(f) == word4("true")) {
                c.column[i] = 1;  // the common spelling, without finding the field's end first
                f += 4;
            } else if (c.op == col_op::boolean && e - f >= 5 && (e - f == 5 || f[5] == ',') && word4(f) == word4("fals") &&
                       f[4] == 'e') {
                c.column[i] = 0;
                f += 5;
            } else {
                f = field_end(f, e);
                if (!text_cell(c, std::string_view(s, static_cast<std::size_t>(f - s)), i, have_override)) return false;
            }
            if (k + 1 == n) {
                if (f != e) return false;  // more fields than the header, or a stray character
            } else {
                if (f == e || *f != ',') return false;
                ++f;
            }
        }
        if (have_override) keep_override(i, line_begin, e);
        ++rows_;
        return true;
    }

    // Whether v is at most 8 bytes, all ASCII (8 bytes read at v: a record has `padding` bytes after it).
    static bool ascii8(std::string_view v) noexcept {
        if (v.size() > 8) return false;
        std::uint64_t x;
        std::memcpy(&x, v.data(), 8);
        const std::uint64_t keep = v.size() == 8 ? ~0ull : (std::uint64_t{1} << (8 * v.size())) - 1;  // host order: the first bytes
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        return (x & keep & 0x8080808080808080ull) == 0;
#else
        (void)keep;
        return false;  // plain_utf8 decides
#endif
    }

    static bool plain_utf8(std::string_view v) {
        for (char ch : v)
            if (static_cast<unsigned char>(ch) >= 0x80) return !detail::invalid_utf8(v);
        return true;
    }

    // ---------------------------------------------------------------- JSON Lines

    void prepare_keys() {
        const auto& ig = opt_.ignored;
        const auto& kept = opt_.kept;
        auto ignored = [&](std::string_view n) { return std::find(ig.begin(), ig.end(), n) != ig.end(); };
        auto add = [&](std::string name, int what, std::size_t slot) {
            for (const auto& k : keys_)
                if (k.name == name) return;
            keys_.push_back({std::move(name), what, slot});
        };
        std::size_t slot = plan_.facts.size();
        // as the general path: an ignored key is skipped whatever it names
        for (const auto& n : ig) add(n, col_skip, slot++);
        for (std::size_t k = 0; k < kept.size(); ++k) {
            const auto& n = kept[k];
            kept_slot_.push_back(slot);
            if (n == "id" || n == "product" || override_field(n) >= 0 || plan_.find_fact(n) || ignored(n) ||
                std::count(kept.begin(), kept.end(), n) > 1)
                keys_ok_ = false;  // read and passed through, or twice: the general path
            add(n, col_kept - static_cast<int>(k), slot++);
        }
        add("id", col_id, slot++);
        add("product", col_product, slot++);
        for (int j = 0; j < override_fields; ++j) add(std::string(override_names[j]), col_override - j, slot++);
        for (const auto& f : plan_.facts) {
            if (f.kind == fact_kind::sum) continue;  // the general path's error
            for (const std::string* n : {&f.name, &f.label_zh})
                if (!n->empty() && plan_.find_fact(*n) == &f) add(*n, static_cast<int>(f.index), f.index);
        }
        for (std::size_t k = 0; k < keys_.size(); ++k) {
            auto& key = keys_[k];
            key_index_.emplace(key.name, k);
            if (key.name.size() <= key.padded.size()) std::memcpy(key.padded.data(), key.name.data(), key.name.size());
            // the token "name": of a row without spaces, for a name a JSON string writes as it is
            const bool plain = std::none_of(key.name.begin(), key.name.end(),
                                            [](char ch) { return ch == '"' || ch == '\\' || static_cast<unsigned char>(ch) < 0x20; });
            if (plain && key.name.size() + 3 <= key.token.size()) {
                key.token[0] = '"';
                std::memcpy(key.token.data() + 1, key.name.data(), key.name.size());
                key.token[key.name.size() + 1] = '"';
                key.token[key.name.size() + 2] = ':';
                key.token_size = key.name.size() + 3;
                key.token_mask = token_mask_of(key.token_size);
            }
        }
        next_.assign(keys_.size() + 1, 0);
        seen_.assign(slot, 0);
        id_slot_ = slot_of(col_id);
        product_slot_ = slot_of(col_product);
    }

    // The key named `name` after the key `prev` (keys_.size(): the row's first): the key that came
    // after `prev` last time is tried first, so rows of one shape compare one key each.
    const json_key* find_key(std::string_view name, std::size_t prev) {
        const std::size_t h = next_[prev];
        if (same_key(name, keys_[h])) return &keys_[h];
        const auto it = key_index_.find(name);
        if (it == key_index_.end()) return nullptr;
        next_[prev] = it->second;
        return &keys_[it->second];
    }

    // Where a JSON string whose text begins at p ends: its closing quote, when no escape and no
    // control character comes before it in [p, e); nullptr otherwise. `high`: a byte of the text
    // is >= 0x80 (UTF-8 to check). Reads 16 bytes at a time (SSE2, every x86-64), which may go
    // up to 15 bytes past e: the caller's buffer has `padding` bytes after any record.
    VIGIL_HOT_INLINE static const char* string_end(const char* p, const char* e, bool& high) noexcept {
#if defined(__SSE2__)
        const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), control = _mm_set1_epi8(0x1F);
        unsigned hi = 0;
        for (;; p += 16) {
            const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
            // a quote, a backslash, or a byte <= 0x1F (min(x, 0x1F) == x, unsigned)
            const auto special = static_cast<unsigned>(_mm_movemask_epi8(
                _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash)),
                             _mm_cmpeq_epi8(_mm_min_epu8(x, control), x))));
            const auto top = static_cast<unsigned>(_mm_movemask_epi8(x));
            if (special) {
                const int k = __builtin_ctz(special);
                if (k >= e - p || p[k] != '"') return nullptr;
                high = (hi | (top & ((1u << k) - 1))) != 0;
                return p + k;
            }
            if (e - p <= 16) return nullptr;  // no closing quote before e
            hi |= top;
        }
#else
        bool h = false;
        for (; p < e; ++p) {
            const auto c = static_cast<unsigned char>(*p);
            if (c == '"') {
                high = h;
                return p;
            }
            if (c == '\\' || c < 0x20) return nullptr;
            h = h || c >= 0x80;
        }
        return nullptr;
#endif
    }

    static const char* skip_space(const char* p, const char* e) noexcept {
        while (p < e && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) ++p;
        return p;
    }

    // ---- a row's shape
    // Rows of one export are written alike: the same keys in the same order, no spaces, each key's
    // value of one JSON kind. After take_json() took a row key by key, the row's shape is kept:
    // for each key the bytes before its value ({"id": for the first, then ,"rare_cases": …) and
    // what its value is. A row of that shape is then taken step by step: one masked compare of
    // those bytes a key, no lookup, no stamp. A row that differs anywhere (another key, order,
    // kind of value, a space, a fraction …) is taken key by key as before, and its shape kept
    // instead; a step accepts only what take_json() accepts, and reads a value alike.
    enum class step_op : std::uint8_t {
        count_number,  // a count's digits
        bool_number,   // a boolean's 0 or 1
        bool_word,     // a boolean's true or false
        fact_text,     // a boolean's or a grade's text (text_fact)
        id_number,     // the id as digits
        id_text,       // the id as a string
        product,       // the product's name
    };
    struct shape_step {
        std::array<char, 32> token{};  // the bytes before the value, zero-padded
        std::uint32_t mask = 0;        // the token's bytes, as bits
        std::uint32_t size = 0;        // the token's bytes
        step_op op = step_op::count_number;
        std::uint32_t fact = 0;        // the fact (count_number … fact_text)
        std::uint32_t* column = nullptr;  // its column (cols_), set by ensure()
        bool optional = false;            // an optional fact after the first key: a row may leave it out (0)
    };
    struct seen_key {  // take_json()'s record of a row: a key, and its value's first byte
        std::uint32_t key;
        char first;
    };

    // The run of ASCII digits at p (0-16 of them): its length. Reads 16 bytes at p.
    VIGIL_HOT_INLINE static unsigned digit_length(const char* p) noexcept {
#if defined(__SSE2__)
        const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        // signed compares: a byte >= 0x80 is below '0'
        const auto other = static_cast<unsigned>(_mm_movemask_epi8(
            _mm_or_si128(_mm_cmplt_epi8(x, _mm_set1_epi8('0')), _mm_cmpgt_epi8(x, _mm_set1_epi8('9')))));
        return static_cast<unsigned>(__builtin_ctz(other | 0x10000u));
#else
        unsigned n = 0;
        while (n < 16 && p[n] >= '0' && p[n] <= '9') ++n;
        return n;
#endif
    }

    // An unsigned JSON integer at p as take_json() takes one: 1-19 digits, no leading zero, at
    // most `limit`; p moved past it. false when it is not one. Not Bounded: a byte that is not a
    // digit comes before e (a line break), and e is not looked at.
    template <bool Bounded>
    VIGIL_HOT_INLINE static bool json_uint(const char*& p, const char* e, std::uint64_t limit, std::uint32_t& out) noexcept {
        // one or two digits, the most of counts, byte by byte (p[0..2] are readable: a record has
        // `padding` bytes after it); a longer run, or one that meets e, below
        const unsigned d0 = static_cast<unsigned char>(p[0]) - unsigned{'0'};
        const unsigned d1 = static_cast<unsigned char>(p[1]) - unsigned{'0'};
        if (d0 < 10 && d1 >= 10 && (!Bounded || e - p >= 1)) {
            if (d0 > limit) return false;
            out = d0;
            p += 1;
            return true;
        }
        const unsigned d2 = static_cast<unsigned char>(p[2]) - unsigned{'0'};
        if (d0 - 1 < 9 && d1 < 10 && d2 >= 10 && (!Bounded || e - p >= 2)) {  // no leading zero
            const unsigned v = d0 * 10 + d1;
            if (v > limit) return false;
            out = v;
            p += 2;
            return true;
        }
        const unsigned len = std::min<unsigned>(digit_length(p), static_cast<unsigned>(std::min<std::ptrdiff_t>(e - p, 16)));
        if (len - 1 < 8) {  // 1-8 digits
            if (len > 1 && *p == '0') return false;
            const std::uint32_t v = known_digits8(p, len);
            if (v > limit) return false;
            out = v;
            p += len;
            return true;
        }
        if (len == 0 || *p == '0') return false;
        const char* const s = p;
        const std::uint64_t x = digit_run(p, e);
        if (p - s > 19 || x > limit) return false;
        out = static_cast<std::uint32_t>(x);
        return true;
    }

    // The count of 1 to 8 bytes at p known to be ASCII digits (digits8 without its check).
    VIGIL_HOT_INLINE static std::uint32_t known_digits8(const char* p, unsigned len) noexcept {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        return digit_bytes_value(digit_bytes(p, len));
#else
        std::uint32_t v = 0;
        digits8(p, static_cast<std::ptrdiff_t>(len), v);
        return v;
#endif
    }

    VIGIL_HOT_INLINE static bool same_token(const char* p, const shape_step& st) noexcept {
        return token_equal(p, st.token.data(), st.mask, st.size);
    }

    // Takes the row at p (its '{') as row i when it has the kept shape: where its object ends (past
    // its '}'), nullptr when it has not. The bytes of a step cannot hold a line break (a token has
    // none, a string stops at a control character), so e may be the line's end or further. Not
    // Bounded: the row's line ends with '\n' before e, which stops every step as e would, and the
    // steps do not compare their bytes with e (a string still does).
    template <bool Bounded>
    const char* take_shape(const char* p, const char* e, std::size_t i) {
        bool high = false;
        for (const auto& st : shape_) {
            if ((Bounded && e - p < static_cast<std::ptrdiff_t>(st.size)) || !same_token(p, st)) {
                if (!st.optional) return nullptr;
                st.column[i] = 0;  // left out, as take_json() reads an optional fact a row does not give
                continue;
            }
            p += st.size;
            if (st.op == step_op::count_number) {  // the most of a row's steps
                if (!json_uint<Bounded>(p, e, UINT32_MAX, st.column[i])) return nullptr;
                continue;
            }
            switch (st.op) {
            case step_op::count_number:
                break;
            case step_op::bool_number:
                if (!json_uint<Bounded>(p, e, 1, st.column[i])) return nullptr;
                break;
            case step_op::bool_word: {  // true or false: the CSV reader's words (prepare_bool_words)
                const std::uint64_t w = word8(p);  // a record has `padding` bytes after it
                const bool_word& t = bool_words_[4];
                const bool_word& f = bool_words_[5];
                if ((!Bounded || e - p >= 4) && (w & t.keep) == t.word) {
                    st.column[i] = 1;
                    p += 4;
                } else if ((!Bounded || e - p >= 5) && (w & f.keep) == f.word) {
                    st.column[i] = 0;
                    p += 5;
                } else {
                    return nullptr;
                }
                break;
            }
            default: {  // a string
                if (*p != '"') return nullptr;
                const char* q = string_end(p + 1, e, high);
                if (!q) return nullptr;
                const std::string_view text(p + 1, static_cast<std::size_t>(q - p - 1));
                if (high && detail::invalid_utf8(text)) return nullptr;
                p = q + 1;
                if (st.op == step_op::fact_text) {
                    if (!text_fact(st.fact, text, st.column[i])) return nullptr;
                } else if (st.op == step_op::id_text) {
                    if (text.empty() || !csv_plain(text)) return nullptr;
                    ids_[i] = text;
                } else {
                    const int prod = text.empty() ? -1 : product_of(text);
                    if (prod < 0) return nullptr;
                    product_[i] = static_cast<std::uint8_t>(prod);
                }
                break;
            }
            case step_op::id_number: {  // written as its digits
                const char* const s = p;
                std::uint32_t ignored;
                if (!json_uint<Bounded>(p, e, UINT64_MAX, ignored)) return nullptr;
                ids_[i] = std::string_view(s, static_cast<std::size_t>(p - s));
                break;
            }
            }
        }
        if ((Bounded && p == e) || *p != '}') return nullptr;
        for (auto f : shape_absent_) cols_[f][i] = 0;
        for (auto& k : kept_) k[i] = std::string_view();
        return p + 1;
    }

    // The shape's steps pointed at their facts' columns (again after ensure() moved them).
    void point_shape() {
        for (auto& st : shape_)
            if (st.op <= step_op::fact_text) st.column = cols_[st.fact].data();
    }

    // The shape of the row take_json() took last (its keys in row_keys_): kept when every key
    // is a fact, the id or the product and each token fits; checked by taking the row again.
    void keep_shape(const char* row, const char* e, std::size_t i) {
        const bool replacing = !shape_.empty();
        if (!make_shape()) shape_.clear();
        if (!shape_.empty()) {
            const char* q = take_shape<true>(row, e, i);
            if (!q || skip_space(q, e) != e) shape_.clear();  // spaces between the tokens, or a token as it is not written
        }
        // a shape that fitted few rows before it was replaced was not worth its tries: after a
        // few such in a row (rows of many shapes), and when this row has none, no shape is tried
        // for the next rows, which are taken key by key at their own cost
        wasted_shapes_ = replacing && shape_hits_ < 8 ? wasted_shapes_ + 1 : 0;
        shape_misses_ = 0;
        shape_hits_ = 0;
        if (shape_.empty() || wasted_shapes_ >= 4) {
            shape_.clear();
            shape_off_ = wasted_shapes_ >= 4 ? 1024 : 256;
            wasted_shapes_ = 0;
        }
    }

    // keep_shape()'s steps from row_keys_; false when the row cannot have a shape.
    bool make_shape() {
        shape_.clear();
        shape_absent_.clear();
        if (row_key_count_ > row_keys_.size()) return false;
        auto& given = shape_given_;  // by fact (made once: no allocation a row)
        given.assign(plan_.facts.size(), 0);
        for (std::size_t j = 0; j < row_key_count_; ++j) {
            const json_key& k = keys_[row_keys_[j].key];
            const char first = row_keys_[j].first;
            if (k.token_size == 0 || k.token_size + 1 > 32) return false;
            shape_step st;
            st.token[0] = j == 0 ? '{' : ',';
            std::memcpy(st.token.data() + 1, k.token.data(), k.token_size);
            const auto size = k.token_size + 1;
            st.mask = token_mask_of(size);
            st.size = static_cast<std::uint32_t>(size);
            const bool digit = first >= '0' && first <= '9';
            if (k.what >= 0) {
                st.fact = static_cast<std::uint32_t>(k.what);
                given[st.fact] = 1;
                const auto kind = kind_[st.fact];
                st.optional = j > 0 && optional_[st.fact];
                st.op = first == '"' ? step_op::fact_text
                        : digit      ? (kind == fact_kind::boolean ? step_op::bool_number : step_op::count_number)
                                     : step_op::bool_word;
            } else if (k.what == col_id) {
                st.op = digit ? step_op::id_number : step_op::id_text;
            } else if (k.what == col_product) {
                st.op = step_op::product;
            } else {
                return false;  // an ignored, kept or override key: key by key
            }
            shape_.push_back(st);
        }
        for (auto f : present_)
            if (!given[f]) shape_absent_.push_back(f);
        point_shape();
        return true;
    }

    // Parses a JSON Lines row into the columns: one pass over the line in place, no copy, no
    // allocation; false when the general path must see it. What is taken is a flat object of
    // known keys without escapes whose values are plain strings (no escape, no control
    // character, valid UTF-8), unsigned integers of at most 19 digits (no sign, no leading zero,
    // no fraction or exponent) and true or false, each of a kind the general path reads alike;
    // anything else (an escape, a null, a nested value, a fraction, an unknown or repeated key,
    // a missing fact, bytes after the object …) is the general path's to answer, with its line
    // and column.
    bool take_json(const char* b, const char* e) {
        const char* p = b;
        while (p < e && (*p == ' ' || *p == '\t' || *p == '\r')) ++p;
        if (p == e) return true;  // a blank line, as the general reader skips it
        if (!keys_ok_ || *p != '{') return false;
        const std::size_t i = rows_;
        if (i >= ids_.size()) ensure(i * 2 + 16);
        const char* const row = p;
        row_key_count_ = 0;
        if (++stamp_ == 0) {  // wrapped: forget every mark
            std::fill(seen_.begin(), seen_.end(), 0u);
            stamp_ = 1;
        }
        bool have_override = false;
        std::size_t prev = keys_.size();  // the key before: none yet
        p = skip_space(p + 1, e);
        for (;;) {
            // the key: a plain string of the plan's names; first, the key that came next last time
            // as a row without spaces writes it ("name":), in one or two compares
            bool high = false;
            const char* q;
            const json_key* k = &keys_[next_[prev]];
            if (k->token_size && static_cast<std::size_t>(e - p) >= k->token_size && token_at(p, *k)) {
                p += k->token_size;
            } else {
                if (p == e || *p != '"') return false;
                q = string_end(p + 1, e, high);
                if (!q) return false;
                k = find_key(std::string_view(p + 1, static_cast<std::size_t>(q - p - 1)), prev);
                if (!k) return false;  // unknown: the general path's error (or a blank value it skips)
                p = skip_space(q + 1, e);
                if (p == e || *p != ':') return false;
                ++p;
            }
            prev = static_cast<std::size_t>(k - keys_.data());
            if (seen_[k->slot] == stamp_) return false;  // twice: the general path's error
            seen_[k->slot] = stamp_;
            p = skip_space(p, e);
            if (p == e) return false;
            if (row_key_count_ < row_keys_.size()) row_keys_[row_key_count_] = {static_cast<std::uint32_t>(prev), *p};
            ++row_key_count_;
            const int what = k->what;
            const char c = *p;
            if (c == '"') {
                q = string_end(p + 1, e, high);
                if (!q) return false;
                const std::string_view text(p + 1, static_cast<std::size_t>(q - p - 1));
                if (high && detail::invalid_utf8(text)) return false;
                p = q + 1;
                if (what >= 0) {
                    if (kind_[static_cast<std::size_t>(what)] == fact_kind::count) return false;  // a count as text: the general path
                    if (!text_fact(static_cast<std::size_t>(what), text, cols_[static_cast<std::size_t>(what)][i])) return false;
                } else if (what == col_id) {
                    if (text.empty() || !csv_plain(text)) return false;  // absent, or to be quoted: the general path
                    ids_[i] = text;
                } else if (what == col_product) {
                    if (text.empty()) return false;
                    const int prod = product_of(text);
                    if (prod < 0) return false;
                    product_[i] = static_cast<std::uint8_t>(prod);
                } else if (what == col_skip) {
                } else if (what > col_kept) {
                    if (!text.empty()) {
                        const int j = col_override - what;
                        if (!override_text(j, text)) return false;
                        if (!have_override) ov_.field = {};
                        ov_.field[static_cast<std::size_t>(j)] = text;
                        have_override = true;
                    }
                } else {
                    if (!csv_plain(text)) return false;
                    kept_[static_cast<std::size_t>(col_kept - what)][i] = text;
                }
            } else if (c == 't' || c == 'f') {
                const bool x = c == 't';
                if (x ? (e - p < 4 || std::memcmp(p, "true", 4) != 0) : (e - p < 5 || std::memcmp(p, "false", 5) != 0))
                    return false;
                p += x ? 4 : 5;
                if (what >= 0) {
                    if (kind_[static_cast<std::size_t>(what)] != fact_kind::boolean) return false;
                    cols_[static_cast<std::size_t>(what)][i] = x ? 1 : 0;
                } else if (what != col_skip) {
                    return false;
                }
            } else if (c >= '0' && c <= '9') {
                const char* const s = p;
                const std::uint64_t x = digit_run(p, e);
                const auto len = p - s;
                if (len > 19 || (len > 1 && c == '0')) return false;  // past 64 bits, or a leading zero: the general path
                if (what >= 0) {
                    const auto kind = kind_[static_cast<std::size_t>(what)];
                    if (kind == fact_kind::grade || x > UINT32_MAX || (kind == fact_kind::boolean && x > 1)) return false;
                    cols_[static_cast<std::size_t>(what)][i] = static_cast<std::uint32_t>(x);
                } else if (what == col_id) {
                    ids_[i] = std::string_view(s, static_cast<std::size_t>(len));  // as the general path writes it: the digits
                } else if (what != col_skip) {
                    return false;
                }
            } else {
                return false;  // null, a negative number, an object or an array
            }
            // after the value: another key, or the object's end (a fraction, an exponent or
            // stray bytes after a value are the general path's)
            p = skip_space(p, e);
            if (p == e) return false;
            if (*p == '}') break;
            if (*p != ',') return false;
            p = skip_space(p + 1, e);
        }
        // the object closes at the line's end: nothing after it
        if (skip_space(p + 1, e) != e) return false;
        // what the row leaves out: the id and the product are the general path's (its note or
        // error), an optional fact is 0, any other fact the general path's (its note)
        if (seen_[id_slot_] != stamp_ || seen_[product_slot_] != stamp_) return false;
        for (auto f : present_)
            if (seen_[f] != stamp_) {
                if (!optional_[f]) return false;
                cols_[f][i] = 0;
            }
        for (std::size_t k = 0; k < kept_.size(); ++k)
            if (seen_[kept_slot_[k]] != stamp_) kept_[k][i] = std::string_view();
        if (have_override) keep_override(i, b, e);
        else if (shape_off_ == 0 && (shape_.empty() || shape_misses_ >= 2)) keep_shape(row, e, i);
        ++rows_;
        return true;
    }

    std::size_t slot_of(int what) {
        for (const auto& k : keys_)
            if (k.what == what) return k.slot;
        return 0;
    }

    bool flush_rows() {
        if (rows_ == 0) return true;
        fact_columns in;
        in.size = rows_;
        for (std::size_t k = 0; k < col_spans_.size(); ++k) col_spans_[k] = {};
        for (auto k : present_) col_spans_[k] = gsl::span<const std::uint32_t>(cols_[k].data(), rows_);
        in.columns = gsl::span<const gsl::span<const std::uint32_t>>(col_spans_.data(), col_spans_.size());
        in.product = gsl::span<const std::uint8_t>(product_.data(), rows_);
        // grades, matched sets, warnings and responses in one pass (classify_batch)
        auto r = classify_batch(plan_, in,
                                {gsl::span<grade>(grades_.data(), rows_), gsl::span<std::uint64_t>(matched_.data(), rows_),
                                 gsl::span<warning_colour>(warnings_.data(), rows_), gsl::span<std::uint8_t>(responses_.data(), rows_)});
        if (!r) {
            if (defer_) {
                defer_->push_back({out_buf_.size(), line_, {}, general_call::failed, r.error()});
                return false;
            }
            write_out();
            print_error(r.error());
            return false;
        }
        std::size_t next_override = 0;
        if (opt_.form == bulk_form::jsonl_brief) {
            for (std::size_t i = 0; i < rows_; ++i) {
                if (next_override < overrides_.size() && overrides_[next_override].row == i) {
                    // a row with an override: the general path's brief line (overrides are rare)
                    const auto& o = overrides_[next_override++];
                    if (defer_) {
                        defer_->push_back({out_buf_.size(), o.line, o.text, general_call::brief, {}});
                        continue;
                    }
                    auto again = fallback_(header_, o.line, o.text);
                    if (!again) {
                        write_out();
                        out_.flush();
                        print_error(again.error());
                        return false;
                    }
                    out_buf_ += *again;
                    out_buf_ += '\n';
                    continue;
                }
                for (std::size_t k = 0; k < kept_.size(); ++k) row_kept_[k] = kept_[k][i];
                brief_row_.clear();
                detail::answer_json::brief_open(brief_row_, &ids_[i], &opt_.kept, &row_kept_);
                out_buf_ += brief_row_;
                out_buf_.append(brief(matched_[i], grades_[i], warnings_[i], responses_[i]));
                if (out_buf_.size() >= block_bytes) write_out();  // bounded: a block's rows are 5× its bytes here
            }
        } else if (!csv_rows(next_override)) {
            return false;
        }
        graded_ += rows_;
        rows_ = 0;
        overrides_.clear();
        if (out_buf_.size() >= block_bytes) write_out();
        return true;
    }

    // The block's rows as CSV lines (id, kept columns, grade, grade_zh, reasons, warning,
    // response) into out_buf_, written in place: in the buffer's room, which grows in steps, each
    // piece copied inline (put), not appended a call at a time. false when an override is refused.
    bool csv_rows(std::size_t next_override) {
        constexpr std::size_t step = std::size_t{64} << 10;
        char* w = out_buf_.room(step);
        char* base = out_buf_.data();
        char* lim = base + out_buf_.capacity();
        const auto commit = [&] { out_buf_.set_size(static_cast<std::size_t>(w - base)); };
        const auto reopen = [&] {
            w = out_buf_.room(step);
            base = out_buf_.data();
            lim = base + out_buf_.capacity();
        };
        const auto room = [&](std::size_t n) {  // n bytes free at w
            if (static_cast<std::size_t>(lim - w) >= n) return;
            commit();
            w = out_buf_.room(std::max(n, step));
            base = out_buf_.data();
            lim = base + out_buf_.capacity();
        };
        for (std::size_t i = 0; i < rows_; ++i) {
            const std::string_view id = ids_[i];
            room(id.size() + 1);
            put(w, id.data(), id.size());
            *w++ = ',';
            for (const auto& k : kept_) {
                room(k[i].size() + 1);
                put(w, k[i].data(), k[i].size());
                *w++ = ',';
            }
            if (next_override < overrides_.size() && overrides_[next_override].row == i) {
                commit();
                if (!append_override(i, overrides_[next_override++])) return false;
                reopen();
                continue;
            }
            const std::string& t = tail(matched_[i], grades_[i], warnings_[i], responses_[i]);
            room(t.size());
            put(w, t.data(), t.size());
            if (static_cast<std::size_t>(w - base) >= block_bytes && !defer_) {
                commit();
                write_out();
                reopen();
            }
        }
        commit();
        return true;
    }

    // n bytes from s to w, w moved past them: inline for the short pieces of a row (ids, the
    // cached tails), overlapping word copies instead of a call to memcpy.
    [[gnu::always_inline]] static void put(char*& w, const char* s, std::size_t n) noexcept {
        if (n >= 16 && n <= 96) {
            for (std::size_t j = 0; j + 16 < n; j += 16) std::memcpy(w + j, s + j, 16);
            std::memcpy(w + n - 16, s + n - 16, 16);
        } else if (n >= 8 && n < 16) {
            std::uint64_t a, b;
            std::memcpy(&a, s, 8);
            std::memcpy(&b, s + n - 8, 8);
            std::memcpy(w, &a, 8);
            std::memcpy(w + n - 8, &b, 8);
        } else if (n >= 4 && n < 8) {
            std::uint32_t a, b;
            std::memcpy(&a, s, 4);
            std::memcpy(&b, s + n - 4, 4);
            std::memcpy(w, &a, 4);
            std::memcpy(w + n - 4, &b, 4);
        } else if (n < 4) {
            for (std::size_t j = 0; j < n; ++j) w[j] = s[j];
        } else {
            std::memcpy(w, s, n);
        }
        w += n;
    }

    // ",grade,grade_zh,reasons,warning,response\n" of a row with an expert override, as the
    // general path writes it; a refused override is the general path's error (it reads the record
    // again and says why).
    [[gnu::noinline]] bool append_override(std::size_t i, const override_row& o) {
        grade_override g;
        if (!o.field[0].empty()) g.grade = *parse_grade(o.field[0]);
        g.by = std::string(o.field[1]);
        g.reason = std::string(o.field[2]);
        g.at = std::string(o.field[3]);
        g.clause = std::string(o.field[4]);
        assessment a;
        a.in_scope = (matched_[i] & out_of_scope_bit) == 0;
        a.computed = a.grade = grades_[i];
        auto r = a.in_scope ? apply_override(plan_, std::move(a), std::move(g)) : result<assessment>(error{errc::invalid_input, ""});
        if (!r) {
            // the rows before it are written; the general path says why
            const void* nl = out_buf_.size() ? ::memrchr(out_buf_.data(), '\n', out_buf_.size()) : nullptr;
            out_buf_.set_size(nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - out_buf_.data()) + 1 : 0);
            if (defer_) {
                defer_->push_back({out_buf_.size(), o.line, o.text, general_call::refused, {}});
                return false;
            }
            write_out();
            auto again = fallback_(header_, o.line, o.text);
            out_.flush();
            if (!again) print_error(again.error());
            else print_error(error{errc::invalid_input, "classify.override_refused", {{"line", std::to_string(o.line)}}});
            return false;
        }
        const auto& ov = *r->override_;
        out_buf_.append(grade_text_[static_cast<int>(r->grade)]);
        std::string reasons = "override " + std::string(to_string(ov.grade)) + " by " + ov.by;
        if (!ov.clause.empty()) reasons += " (" + ov.clause + ")";
        clauses(matched_[i]);
        if (!reasons_.empty()) reasons += ';' + reasons_;
        out_buf_.append(detail::csv::quote(reasons));
        for (auto k : present_) values_.values[k] = cols_[k][i];
        values_.product = static_cast<product>(product_[i]);
        const auto l = decide_levels(plan_, values_, r->grade, true);
        append_level_values(l);
        return true;
    }

    // ",grade,grade_zh,reasons,warning,response\n" after the id, remembered by matched set (the
    // grade follows from it), warning and response in a small direct-mapped table: bounded memory,
    // a lookup a row. 4096 slots: with 1024, the ~800 answers of a file with every modifier column
    // (its warnings and responses vary more) pushed each other out on 5 % of the rows.
    const std::string& tail(std::uint64_t bits, grade g, warning_colour wc, std::uint8_t resp) {
        auto& slot = tails_[((bits * 0x9E3779B97F4A7C15ull) ^ (std::uint64_t{static_cast<std::uint8_t>(wc)} << 3 | resp) * 0xC2B2AE3D27D4EB4Full) >>
                            (64 - csv_tail_bits)];
        if (slot.used && slot.bits == bits && slot.warning == wc && slot.response == resp) return slot.text;
        slot.used = true;
        slot.bits = bits;
        slot.warning = wc;
        slot.response = resp;
        auto& t = slot.text;
        t.clear();
        t.append(grade_text_[static_cast<int>(g)]);
        append_reasons(t, bits);
        t += ',';
        t.append(to_string(wc));
        t += ',';
        t.append(resp ? std::to_string(resp) : std::string("none"));
        t += '\n';
        return t;
    }

    void append_level_values(const decision_levels& l) {
        out_buf_ += ',';
        out_buf_.append(to_string(l.warning));
        out_buf_ += ',';
        if (l.response > 0 && l.response < 10) out_buf_ += static_cast<char>('0' + l.response);
        else if (l.response) out_buf_.append(std::to_string(l.response));
        else out_buf_.append("none");
        out_buf_ += '\n';
    }

    // The brief classification after the row's own fields (answer_json::brief_answer), remembered
    // by matched set, warning and response in a small direct-mapped table like the CSV tails.
    const std::string& brief(std::uint64_t bits, grade g, warning_colour w, std::uint8_t resp) {
        const std::uint64_t key = bits ^ (std::uint64_t{static_cast<std::uint8_t>(w)} << 56) ^ (std::uint64_t{resp} << 60);
        auto& slot = briefs_[((bits * 0x9E3779B97F4A7C15ull) ^ (key >> 56) * 0xC2B2AE3D27D4EB4Full) >> (64 - tail_bits)];
        if (slot.used && slot.bits == bits && slot.warning == w && slot.response == resp) return slot.text;
        slot.used = true;
        slot.bits = bits;
        slot.warning = w;
        slot.response = resp;
        slot.text.clear();
        const bool in_scope = (bits & out_of_scope_bit) == 0;
        detail::answer_json::brief_answer(slot.text, plan_, g, in_scope, nullptr, gsl::span<const std::uint64_t>(&bits, 1), w,
                                          resp, true);
        slot.text += '\n';
        return slot.text;
    }

    // The clause ids of the matched criteria, the winner (the lowest index) first, joined by ';',
    // into reasons_.
    void clauses(std::uint64_t bits) {
        reasons_.clear();
        bits &= ~out_of_scope_bit;
        while (bits) {
            const int c = __builtin_ctzll(bits);
            bits &= bits - 1;
            if (!reasons_.empty()) reasons_ += ';';
            reasons_.append(clause_[static_cast<std::size_t>(c)]);
        }
    }

    // The reasons column as the general path writes it, quoted as RFC 4180 needs, onto `to`.
    void append_reasons(std::string& to, std::uint64_t bits) {
        if (bits & out_of_scope_bit) {
            to.append("out of scope");
            return;
        }
        clauses(bits);
        bool plain = true;  // no ',', '"', '\n' or '\r' (a loop: find_first_of calls memchr a byte)
        for (char ch : reasons_) plain &= ch != ',' && ch != '"' && ch != '\n' && ch != '\r';
        if (plain) {
            to.append(reasons_);
            return;
        }
        to += '"';
        for (char ch : reasons_) {
            if (ch == '"') to += '"';
            to += ch;
        }
        to += '"';
    }

    void write_out() {
        if (defer_) return;  // a worker of the threaded path: the chunk's output grows
        out_.write(out_buf_.data(), static_cast<std::streamsize>(out_buf_.size()));
        out_buf_.clear();
    }

    const plan& plan_;
    std::ostream& out_;
    const line_fallback& fallback_;
    bulk_options opt_;
    std::vector<int> order_;
    std::string header_;
    input_form form_;
    std::array<std::string, grade_count> grade_text_;
    std::vector<std::string> clause_;
    out_buffer out_buf_;
    std::string reasons_, brief_row_;  // brief_row_: a brief row's opening (its id and kept values)
    static constexpr int tail_bits = 10, csv_tail_bits = 12;
    struct tail_slot {
        bool used = false;
        std::uint64_t bits = 0;
        warning_colour warning = warning_colour::none;
        std::uint8_t response = 0;
        std::string text;
    };
    std::array<tail_slot, std::size_t{1} << csv_tail_bits> tails_;
    std::vector<fact_kind> kind_;
    std::vector<bool> optional_;
    struct brief_slot {
        bool used = false;
        std::uint64_t bits = 0;
        warning_colour warning = warning_colour::none;
        std::uint8_t response = 0;
        std::string text;
    };
    std::array<brief_slot, std::size_t{1} << tail_bits> briefs_;
    std::vector<std::string_view> row_kept_;  // one row's kept values (the brief form)
    std::vector<std::size_t> present_;  // the facts that are columns of the input
    std::vector<column> columns_;  // the CSV header's, then one of op `end`
    std::vector<product_name> product_names_;  // by product_of
    struct grade_name {
        std::uint32_t word = 0, keep = 0;  // the name's bytes and a mask of them, as word4 reads them
        int g = 0;
    };
    std::array<grade_name, 10> grade_names_{};  // by length (0-4), and whether the second byte is a V
    struct bool_word {
        std::uint64_t keep = 0, word = 1;  // the cell's bytes under `keep`, as 8 bytes read at it
        std::uint32_t value = 0;
    };
    std::array<bool_word, 16> bool_words_{};  // by prepare_bool_words
    std::array<std::int16_t, std::size_t{1} << product_slot_bits> product_slots_{};  // by product_of
    override_row ov_;  // the row being read, when it has an override
    std::vector<gsl::span<const std::uint32_t>> col_spans_;
    fact_values values_;  // an override row's facts
    std::vector<std::string_view> ids_;
    std::vector<std::vector<std::string_view>> kept_;  // by --keep-column
    std::vector<std::vector<std::uint32_t>> cols_;  // by plan fact
    std::vector<std::uint8_t> product_;
    std::vector<grade> grades_;
    std::vector<std::uint64_t> matched_;
    std::vector<override_row> overrides_;  // the block's rows with an override, in row order
    std::vector<warning_colour> warnings_;
    std::vector<std::uint8_t> responses_;
    std::size_t rows_ = 0, line_ = 1;
    std::size_t bom_line_ = 1;  // the line a JSON Lines BOM may begin (0: none; a worker's chunk not at the input's start)
    std::size_t before_ = 0;    // the writing thread of the threaded path: the lines before the next chunk
    std::uint64_t graded_ = 0, bytes_ = 0;
    std::chrono::steady_clock::time_point start_, last_progress_;
    std::vector<general_call>* defer_ = nullptr;  // a worker of the threaded path: the general path's records go here
    unsigned threads_ = 1;  // the threads that parsed and graded (for --stats)
    // JSON Lines
    std::vector<json_key> keys_;
    std::unordered_map<std::string_view, std::size_t> key_index_;  // views of keys_' names
    std::vector<std::size_t> next_;       // by key (and keys_.size(): a row's start): the key that followed it last
    std::vector<std::size_t> kept_slot_;  // by --keep-column
    std::vector<std::uint32_t> seen_;     // by slot: the stamp of the last row that gave it
    std::uint32_t stamp_ = 0;
    std::size_t id_slot_ = 0, product_slot_ = 0;
    bool keys_ok_ = true;
    std::vector<shape_step> shape_;          // the shape of the last row taken key by key (none: empty)
    std::vector<std::size_t> shape_absent_;  // the facts that shape leaves out (optional ones: 0)
    std::array<seen_key, 64> row_keys_{};    // take_json()'s row: its keys in order
    std::size_t row_key_count_ = 0;          // how many (more than row_keys_ holds: no shape)
    std::size_t shape_misses_ = 0;           // rows since the shape last fitted one (a second: another is kept)
    std::size_t shape_off_ = 0;              // rows to take key by key before a shape is tried again
    std::size_t shape_hits_ = 0;             // rows the shape fitted since it was kept
    std::size_t wasted_shapes_ = 0;          // shapes in a row replaced after fitting few rows
    std::vector<std::uint8_t> shape_given_;  // keep_shape()'s: the facts the row gave
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

namespace {

// Reads the rest of the input in blocks and grades their records with `b`; the first `have`
// bytes of `buf` are read already, the records from `pos`. The exit status.
int pump(bulk& b, std::streambuf* sb, std::vector<char>& buf, std::size_t have, std::size_t pos, bool eof,
         std::uint64_t total, const bulk_options& opt) {
    const std::size_t room = buf.size() - padding;  // the scanner's read-ahead stays free
    for (;;) {
        const char* s = buf.data() + pos;
        const char* e = buf.data() + have;
        if (eof) {  // all of the rest is in the buffer
            if (s < e && !b.lines(s, e, true)) return exit_bad_input;
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
            if (!stop) return exit_bad_input;
            pos = static_cast<std::size_t>(stop - buf.data());
            if (opt.flush) b.write_now();  // the rows read so far go out before the next read waits
        }
        if (have - pos > max_line) {  // no record end within max_line: the general path's error
            b.overlong(buf.data() + pos);
            return exit_bad_input;
        }
        // keep the partial record, read more
        std::memmove(buf.data(), buf.data() + pos, have - pos);
        have -= pos;
        pos = 0;
        const auto n = sb->sgetn(buf.data() + have, static_cast<std::streamsize>(std::min(block_bytes, room - have)));
        if (n <= 0) eof = true;
        else {
            have += static_cast<std::size_t>(n);
            total += static_cast<std::uint64_t>(n);
        }
        b.progress(total, false);
    }
    b.progress(total, true);
    b.finish();
    return exit_ok;
}

constexpr std::size_t buffer_bytes = block_bytes + max_line + 2 + padding;

// Where the whole records of [d, d + n) end (a chunk's end, which begins with a record): after the
// last record whose end is in it, found as the one-thread run finds records (a CSV line with a
// quote ends where the CSV reader says: a quoted field may hold line breaks); 0 when none ends.
std::size_t whole_records(const char* d, std::size_t n, input_form form) {
    const auto last_line_end = [&](std::size_t from) -> std::size_t {
        const void* q = ::memrchr(d + from, '\n', n - from);
        return q ? static_cast<std::size_t>(static_cast<const char*>(q) - d) + 1 : from;
    };
    const void* quote = form == input_form::csv ? std::memchr(d, '"', n) : nullptr;
    if (!quote) return last_line_end(0);
    // the lines before the first quote's are records; from its line on, record by record
    const auto q = static_cast<std::size_t>(static_cast<const char*>(quote) - d);
    const void* before = q ? ::memrchr(d, '\n', q) : nullptr;
    const char* p = before ? static_cast<const char*>(before) + 1 : d;
    const char* const e = d + n;
    while (p < e) {
        const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(e - p)));
        if (!nl) break;
        if (std::memchr(p, '"', static_cast<std::size_t>(nl - p))) {
            const char* r = detail::csv::record_end(p, e);
            if (!r) break;
            p = r + 1;
        } else {
            p = nl + 1;
        }
    }
    return static_cast<std::size_t>(p - d);
}

// The threaded path (--threads N, N > 1): this thread reads the input in chunks of whole records
// and writes them out in input order; N workers parse and grade them (each with its own `bulk`);
// at most 2N chunks are in flight. `pre` is what was read already past the header, `first_line`
// the lines before it. The exit status.
int pump_threaded(bulk& main, const std::function<std::unique_ptr<bulk>()>& make, std::streambuf* sb,
                  std::string_view pre, bool eof, std::uint64_t total, std::size_t first_line, const bulk_options& opt,
                  input_form form) {
    const unsigned n = opt.threads;
    const std::size_t in_flight = 2 * std::size_t{n};
    // Chunks of 128 KiB (64 KiB for the brief JSON Lines, which writes about 8 bytes for each byte
    // of CSV read), smaller from 32 threads on: at most 8 MiB of input in flight (2 MiB for --brief).
    // Small chunks keep what is in flight, the rows made of it among them, in the caches: with 1 MiB
    // chunks two threads took 15-30 % more CPU time than one for the same rows, and 47-95 MB.
    // JSON Lines input: 4 times the bytes, about as many rows (a row of JSON Lines is ~6 times the
    // bytes of the same row of CSV); 512 KiB chunks of it took 8 % less wall time than 128 KiB
    // (--threads 2, 1 GB of run.sh's JSON Lines, three runs each).
    const bool brief = opt.form == bulk_form::jsonl_brief;
    const std::size_t budget = (std::size_t{8} << 20) / (brief ? 4 : 1);
    const std::size_t most = ((brief ? std::size_t{64} : std::size_t{128}) << 10) * (form == input_form::jsonl ? 4 : 1);
    std::size_t chunk_bytes = std::clamp<std::size_t>(budget / in_flight, std::size_t{16} << 10, most);
    if (const char* t = std::getenv("VIGIL_TEST_CHUNK_BYTES")) {  // for tests: small files over many chunks
        const auto v = std::strtoull(t, nullptr, 10);
        if (v > 0) chunk_bytes = static_cast<std::size_t>(v);
    }
    main.threads(n);
    std::vector<std::unique_ptr<bulk>> workers;
    for (unsigned w = 0; w < n; ++w) workers.push_back(make());
    ordered_chunks<chunk> pipe(n, in_flight, [&workers](chunk& c, unsigned w) { workers[w]->work(c); });
    std::vector<char> carry(pre.begin(), pre.end());  // the start of a record not yet whole
    main.lines_before(first_line);
    bool first = true;
    bool reading = true, overlong = false;
    const auto fill = [&](chunk& c) {
        c.overlong = false;
        c.calls.clear();
        c.graded = 0;
        c.failed = false;
        const auto room = [&](std::size_t need) {
            if (c.in.size() < need + padding) c.in.resize(need + padding);
        };
        c.input_start = first && first_line == 0;
        c.lines = 0;
        first = false;
        if (overlong) {  // the start of the record: the general path's error for it
            room(carry.size());
            std::memcpy(c.in.data(), carry.data(), carry.size());
            c.size = 0;
            c.overlong = true;
            reading = false;
            return;
        }
        // the whole records of the first `want` bytes (read up to there), or of more when a record is longer
        std::size_t have = carry.size(), split = 0;
        room(std::max(have, chunk_bytes));
        if (have) std::memcpy(c.in.data(), carry.data(), have);  // no carry: nothing to copy (its data() may be null)
        for (std::size_t want = chunk_bytes;; want += chunk_bytes) {
            room(std::max(have, want));
            while (have < want && !eof) {
                const auto got = sb->sgetn(c.in.data() + have, static_cast<std::streamsize>(want - have));
                if (got <= 0) eof = true;
                else {
                    have += static_cast<std::size_t>(got);
                    total += static_cast<std::uint64_t>(got);
                }
            }
            if (eof && have <= want) {  // the rest of the input: every record, the last perhaps unended
                split = have;
                break;
            }
            split = whole_records(c.in.data(), std::min(have, want), form);
            if (split > 0) break;
            if (want >= have && have > max_line) {  // no record end within max_line, as pump() says
                overlong = true;
                break;
            }
        }
        c.size = split;
        carry.assign(c.in.data() + split, c.in.data() + have);
        if (eof && carry.empty()) reading = false;
        main.progress(total, false);
    };
    for (;;) {
        while (chunk* c = pipe.oldest_done(false)) {  // what is done first, in order
            const bool ok = main.replay(*c);
            pipe.release(c);
            if (!ok) return exit_bad_input;
        }
        if (reading) {
            if (chunk* c = pipe.vacant()) {
                fill(*c);
                pipe.submit(c);
                continue;
            }
        }
        chunk* c = pipe.oldest_done(true);
        if (!c) break;  // all read, all written
        const bool ok = main.replay(*c);
        pipe.release(c);
        if (!ok) return exit_bad_input;
    }
    main.progress(total, true);
    main.finish();
    return exit_ok;
}

}  // namespace

bulk_outcome classify_csv_bulk(const plan& p, std::istream& in, std::ostream& out, const line_fallback& fallback,
                               const bulk_options& opt) {
    bulk_outcome res;
    std::vector<char> buf(buffer_bytes);
    const std::size_t room = buf.size() - padding;
    auto* sb = in.rdbuf();
    // the header's line: reads until its end (a read may give less than asked: a pipe)
    std::size_t have = 0;
    bool eof = false;
    const char* nl = nullptr;
    while (!nl && !eof && have <= max_line) {
        const auto n = sb->sgetn(buf.data() + have, static_cast<std::streamsize>(std::min(block_bytes, room - have)));
        if (n <= 0) eof = true;
        else {
            nl = static_cast<const char*>(std::memchr(buf.data() + have, '\n', static_cast<std::size_t>(n)));
            have += static_cast<std::size_t>(n);
        }
    }
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
    if (opt.threads > 1 && !opt.flush) {
        const std::size_t from = nl ? hlen + 1 : have;
        res.status = pump_threaded(
            b, [&] { return std::make_unique<bulk>(p, out, fallback, opt, order, header); }, sb,
            std::string_view(buf.data() + from, have - from), eof, have, 1, opt, input_form::csv);
        return res;
    }
    res.status = pump(b, sb, buf, have, nl ? hlen + 1 : have, eof, have, opt);
    return res;
}

bulk_outcome classify_jsonl_bulk(const plan& p, std::istream& in, std::ostream& out, const line_fallback& fallback,
                                 const bulk_options& opt) {
    bulk_outcome res;
    if (p.match_words() > 1) return res;
    auto b = std::make_unique<bulk>(p, out, fallback, opt, std::vector<int>{}, std::string(), input_form::jsonl);
    if (!b->keys_ok()) return res;
    res.taken = true;
    out << opt.header;
    if (opt.flush) out.flush();
    if (opt.threads > 1 && !opt.flush) {
        res.status = pump_threaded(
            *b, [&] { return std::make_unique<bulk>(p, out, fallback, opt, std::vector<int>{}, std::string(), input_form::jsonl); },
            in.rdbuf(), std::string_view(), false, 0, 0, opt, input_form::jsonl);
        return res;
    }
    std::vector<char> buf(buffer_bytes);
    res.status = pump(*b, in.rdbuf(), buf, 0, 0, false, 0, opt);
    return res;
}

}  // namespace vigil::cli
