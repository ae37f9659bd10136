#include "io.hpp"

#include <vigil/detail/json_check.hpp>
#include <vigil/detail/read_file.hpp>

#include <charconv>

#include <boost/json.hpp>

namespace vigil::cli {

const row::cell* row::find(std::string_view name) const {
    for (const auto& c : cells)
        if (c.name == name) return &c;
    return nullptr;
}

std::string csv_field(std::string_view s) {
    if (s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
    std::string q = "\"";
    for (char c : s) {
        if (c == '"') q += '"';
        q += c;
    }
    return q + '"';
}

namespace {

error row_error(const std::string& source, std::size_t line, std::size_t column, std::string msg) {
    diagnostic d;
    d.source = source;
    d.line = static_cast<int>(line);
    d.column = static_cast<int>(column);
    d.message = std::move(msg);
    return error{errc::parse_error, {d}};
}

constexpr std::size_t max_line = 1u << 20;

// RFC 4180 CSV with a header row. Quoted fields may hold commas and quotes ("" escapes "),
// not line breaks (one record a line keeps error lines exact).
class csv_reader final : public row_reader {
public:
    csv_reader(std::istream& in, std::string source) : in_(in), source_(std::move(source)) {}

    result<std::optional<row>> next() override {
        if (!header_read_) {
            header_read_ = true;
            std::vector<std::string> h;
            std::vector<std::size_t> cols;
            auto got = read_record(h, cols);
            if (!got) return got.error();
            if (!*got) return row_error(source_, 1, 0, "empty input: expected a header row (id, the plan's facts, product)");
            for (std::size_t i = 0; i < h.size(); ++i) {
                if (h[i].empty()) return row_error(source_, line_, cols[i], "empty column name in the header");
                for (std::size_t j = 0; j < i; ++j)
                    if (h[j] == h[i]) return row_error(source_, line_, cols[i], "column \"" + h[i] + "\" appears twice in the header");
            }
            header_ = std::move(h);
            header_line_ = line_;
            have_header_ = true;
        }
        std::vector<std::string> f;
        std::vector<std::size_t> cols;
        for (;;) {
            auto got = read_record(f, cols);
            if (!got) return got.error();
            if (!*got) return std::optional<row>{};
            if (f.size() == 1 && f[0].empty()) continue;  // blank line
            break;
        }
        if (f.size() != header_.size())
            return row_error(source_, line_, 0, "expected " + std::to_string(header_.size()) + " fields (as in the header), found " +
                                                    std::to_string(f.size()));
        row r;
        r.line = line_;
        r.cells.reserve(f.size());
        for (std::size_t i = 0; i < f.size(); ++i)
            r.cells.push_back({header_[i], std::move(f[i]), row::cell::text_, i + 1});
        return std::optional<row>(std::move(r));
    }

private:
    // Reads one line into fields; false at end of input.
    result<bool> read_record(std::vector<std::string>& fields, std::vector<std::size_t>& cols) {
        fields.clear();
        cols.clear();
        std::string lineb;
        const auto got = detail::getline_bounded(in_, lineb, max_line);
        if (got == detail::line_status::end) return false;
        ++line_;
        if (got == detail::line_status::too_long) return row_error(source_, line_, 0, "line longer than 1 MiB");
        if (!lineb.empty() && lineb.back() == '\r') lineb.pop_back();
        if (line_ == 1 && lineb.size() >= 3 && lineb.compare(0, 3, "\xEF\xBB\xBF") == 0) lineb.erase(0, 3);  // BOM
        if (auto bad = detail::invalid_utf8(lineb))
            return row_error(source_, line_, *bad + 1, "invalid UTF-8: the input must be UTF-8 text");
        std::string cur;
        std::size_t i = 0, start = 1;
        bool quoted = false, was_quoted = false;
        while (i <= lineb.size()) {
            if (i == lineb.size()) {
                if (quoted) return row_error(source_, line_, start, "unterminated quoted field");
                fields.push_back(std::move(cur));
                cols.push_back(start);
                break;
            }
            char c = lineb[i];
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < lineb.size() && lineb[i + 1] == '"') {
                        cur += '"';
                        i += 2;
                        continue;
                    }
                    quoted = false;
                } else {
                    cur += c;
                }
            } else if (c == ',') {
                fields.push_back(std::move(cur));
                cols.push_back(start);
                cur.clear();
                was_quoted = false;
                start = i + 2;
            } else if (c == '"') {
                if (!cur.empty() || was_quoted)
                    return row_error(source_, line_, i + 1, "a quote inside an unquoted field; quote the whole field");
                quoted = was_quoted = true;
            } else {
                if (was_quoted) return row_error(source_, line_, i + 1, "text after a closing quote");
                cur += c;
            }
            ++i;
        }
        return true;
    }

    std::istream& in_;
    std::string source_;
    std::vector<std::string> header_;
    bool header_read_ = false;
    bool have_header_ = false;
    std::size_t header_line_ = 0;

public:
    const std::vector<std::string>* columns() const override { return have_header_ ? &header_ : nullptr; }
    std::size_t header_line() const override { return header_line_; }

private:
    std::size_t line_ = 0;
};

class jsonl_reader final : public row_reader {
public:
    jsonl_reader(std::istream& in, std::string source) : in_(in), source_(std::move(source)) {}

    result<std::optional<row>> next() override {
        std::string l;
        for (;;) {
            const auto got = detail::getline_bounded(in_, l, max_line);
            if (got == detail::line_status::end) return std::optional<row>{};
            ++line_;
            if (got == detail::line_status::too_long) return row_error(source_, line_, 0, "line longer than 1 MiB");
            if (line_ == 1 && l.size() >= 3 && l.compare(0, 3, "\xEF\xBB\xBF") == 0) l.erase(0, 3);  // BOM, as in CSV
            if (l.find_first_not_of(" \t\r") != std::string::npos) break;
        }
        boost::json::parse_options opts;
        opts.max_depth = 8;
        boost::json::stream_parser p({}, opts);
        boost::system::error_code ec;
        std::size_t used = p.write_some(l.data(), l.size(), ec);
        if (!ec) p.finish(ec);
        if (ec) return row_error(source_, line_, used + 1, "malformed JSON: " + ec.message());
        if (auto issue = detail::check_json(l)) return row_error(source_, line_, issue->offset + 1, issue->message);
        auto v = p.release();
        const auto* o = v.if_object();
        if (!o) return row_error(source_, line_, 1, "expected a JSON object per line");
        row r;
        r.line = line_;
        for (const auto& kv : *o) {
            row::cell c;
            c.name = std::string(kv.key());
            const auto& x = kv.value();
            if (const auto* s = x.if_string()) {
                c.text = std::string(s->data(), s->size());
            } else if (const auto* b = x.if_bool()) {
                c.text = *b ? "true" : "false";
                c.kind = row::cell::boolean;
            } else if (x.is_int64() || x.is_uint64()) {
                c.text = boost::json::serialize(x);
                c.kind = row::cell::number;
            } else if (const auto* dbl = x.if_double()) {
                // As written, near enough to read in a message: 12.0 stays "12.0" (a count refuses
                // it, as in CSV), never "1.2E1".
                char buf[64];
                auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *dbl);
                c.text.assign(buf, ec == std::errc() ? end : buf);
                if (c.text.find_first_of(".eE") == std::string::npos) c.text += ".0";
                c.kind = row::cell::number;
            } else if (x.is_null()) {
                c.kind = row::cell::null;
            } else {
                return row_error(source_, line_, 0, "field \"" + c.name + "\": expected a number, a boolean or a string");
            }
            r.cells.push_back(std::move(c));
        }
        return std::optional<row>(std::move(r));
    }

private:
    std::istream& in_;
    std::string source_;
    std::size_t line_ = 0;
};

}  // namespace

std::unique_ptr<row_reader> make_reader(std::istream& in, const std::string& format, std::string source) {
    if (format == "jsonl") return std::make_unique<jsonl_reader>(in, std::move(source));
    return std::make_unique<csv_reader>(in, std::move(source));
}

}  // namespace vigil::cli
