// The one CSV reader (vigil/detail/csv.hpp).
#include <vigil/detail/csv.hpp>

#include <vigil/detail/json_check.hpp>
#include <vigil/detail/read_file.hpp>

#include <cstring>
#include <istream>

namespace vigil {
inline namespace v0 {
namespace detail {
namespace csv {

namespace {

inline bool blank(char c) noexcept { return c == ' ' || c == '\t'; }

std::string size_limit(std::size_t n) { return size_text(n); }

}  // namespace

reader::reader(std::string_view text, options o) : text_(text), opt_(o) {}
reader::reader(std::istream& in, options o) : in_(&in), opt_(o) {}

void reader::set_problem(std::size_t line, std::size_t column, std::string_view id, message_args args) {
    problem_ = problem{line, column, render_message(id, args), std::string(id), std::move(args)};
}

reader::got reader::fail(std::size_t line, std::size_t column, std::string_view id, message_args args) {
    set_problem(line, column, id, std::move(args));
    return got::error;
}

reader::fetched reader::fetch() {
    if (in_) {
        const auto s = getline_bounded(*in_, buf_, opt_.max_record);
        if (s == line_status::end) return fetched::end;
        ++line_;
        if (s == line_status::too_long) {
            set_problem(line_, 0, "csv.line_too_long", {{"limit", size_limit(opt_.max_record)}});
            return fetched::error;
        }
        cur_ = buf_;
    } else {
        if (pos_ >= text_.size()) return fetched::end;
        std::size_t end = text_.find('\n', pos_);
        if (end == std::string_view::npos) end = text_.size();
        cur_ = text_.substr(pos_, end - pos_);
        pos_ = end + 1;
        ++line_;
        if (cur_.size() > opt_.max_record) {
            set_problem(line_, 0, "csv.line_too_long", {{"limit", size_limit(opt_.max_record)}});
            return fetched::error;
        }
    }
    if (!cur_.empty() && cur_.back() == '\r') cur_.remove_suffix(1);
    if (line_ == 1 && cur_.substr(0, 3) == "\xEF\xBB\xBF") cur_.remove_prefix(3);  // a byte order mark
    if (auto bad = invalid_utf8(cur_)) {
        set_problem(line_, *bad + 1, "csv.invalid_utf8");
        return fetched::error;
    }
    return fetched::ok;
}

reader::got reader::next(std::vector<field>& out) {
    out.clear();
    for (;;) {
        const auto f = fetch();
        if (f == fetched::end) return got::end;
        if (f == fetched::error) return got::error;
        if (cur_.empty()) continue;                            // a blank line
        if (opt_.comments && cur_.front() == '#') continue;    // a comment
        bool all_blank = true;
        for (char c : cur_) all_blank = all_blank && blank(c);
        if (all_blank) continue;                               // spaces alone: a blank line too
        break;
    }
    record_line_ = line_;
    std::size_t bytes = cur_.size();
    std::size_t i = 0;
    for (;;) {
        field fl;
        fl.line = line_;
        fl.column = i + 1;
        while (i < cur_.size() && blank(cur_[i])) ++i;
        if (i < cur_.size() && cur_[i] == '"') {
            fl.quoted = true;
            const std::size_t open_line = line_, open_col = i + 1;
            ++i;
            for (;;) {
                if (i >= cur_.size()) {  // a line break inside the quotes: the field goes on
                    const auto f = fetch();
                    if (f == fetched::error) return got::error;
                    if (f == fetched::end)
                        return fail(open_line, open_col, "csv.unterminated_quote");
                    bytes += cur_.size() + 1;
                    if (bytes > opt_.max_record)
                        return fail(line_, 0, "csv.record_too_long", {{"limit", size_limit(opt_.max_record)}, {"from", std::to_string(open_line)}});
                    fl.text += '\n';
                    i = 0;
                    continue;
                }
                const std::size_t q = cur_.find('"', i);
                if (q == std::string_view::npos) {
                    fl.text.append(cur_.substr(i));
                    i = cur_.size();
                    continue;
                }
                fl.text.append(cur_.substr(i, q - i));
                if (q + 1 < cur_.size() && cur_[q + 1] == '"') {
                    fl.text += '"';
                    i = q + 2;
                    continue;
                }
                i = q + 1;
                break;
            }
            while (i < cur_.size() && blank(cur_[i])) ++i;
            if (i < cur_.size() && cur_[i] != ',')
                return fail(line_, i + 1, "csv.text_after_quote");
        } else {
            std::size_t e = cur_.find(',', i);
            if (e == std::string_view::npos) e = cur_.size();
            std::string_view v = cur_.substr(i, e - i);
            if (const auto q = v.find('"'); q != std::string_view::npos)
                return fail(line_, i + q + 1, "csv.quote_in_field");
            while (!v.empty() && blank(v.back())) v.remove_suffix(1);
            fl.text.assign(v);
            i = e;
        }
        out.push_back(std::move(fl));
        if (i >= cur_.size()) break;
        ++i;  // the comma
    }
    return got::record;
}

table read_all(std::string_view text, options o) {
    table t;
    reader r(text, o);
    std::vector<field> rec;
    for (;;) {
        const auto g = r.next(rec);
        if (g == reader::got::end) break;
        if (g == reader::got::error) {
            t.error = r.error();
            break;
        }
        t.records.push_back(std::move(rec));
    }
    return t;
}

const char* record_end(const char* p, const char* e) noexcept {
    bool at_start = true;  // at the start of a field, before any character but spaces
    while (p < e) {
        const char c = *p;
        if (c == '\n') return p;
        if (c == ',') {
            at_start = true;
        } else if (at_start && c == '"') {
            ++p;
            for (;;) {  // to the closing quote
                const auto* q = static_cast<const char*>(std::memchr(p, '"', static_cast<std::size_t>(e - p)));
                if (!q || q + 1 == e) return nullptr;  // the end of [b, e) inside the quotes, or just after one
                if (q[1] == '"') {
                    p = q + 2;
                    continue;
                }
                p = q;
                break;
            }
            at_start = false;
        } else if (!blank(c)) {
            at_start = false;
        }
        ++p;
    }
    return nullptr;
}

std::string quote(std::string_view s) {
    if (s.find_first_of(",\"\n\r") == std::string_view::npos && (s.empty() || (!blank(s.front()) && !blank(s.back()))))
        return std::string(s);
    std::string q = "\"";
    for (char c : s) {
        if (c == '"') q += '"';
        q += c;
    }
    return q + '"';
}

}  // namespace csv
}  // namespace detail
}  // namespace v0
}  // namespace vigil
