#include "io.hpp"

#include <vigil/detail/csv.hpp>
#include <vigil/detail/json_check.hpp>
#include <vigil/detail/read_file.hpp>

#include <algorithm>
#include <charconv>

#include <boost/json.hpp>

namespace vigil::cli {

const row::cell* row::find(std::string_view name) const {
    for (const auto& c : cells)
        if (c.name == name) return &c;
    return nullptr;
}

std::string csv_field(std::string_view s) { return detail::csv::quote(s); }

namespace {

error row_error(const std::string& source, std::size_t line, std::size_t column, std::string_view id, message_args args = {}) {
    return error{errc::parse_error,
                 {diagnostic::of(source, static_cast<int>(line), static_cast<int>(column), "", id, std::move(args))}};
}

constexpr std::size_t max_line = 1u << 20;

// CSV with a header row, through the one CSV reader (vigil/detail/csv.hpp): RFC 4180, quoted
// fields may hold line breaks; every cell says the line it begins on. A blank cell is left out of
// the row (absent).
class csv_reader final : public row_reader {
public:
    csv_reader(std::istream& in, std::string source) : csv_(in, opts()), source_(std::move(source)) {}

    result<std::optional<row>> next() override {
        row r;
        auto got = next_into(r);
        if (!got) return got.error();
        if (!*got) return std::optional<row>{};
        return std::optional<row>(std::move(r));
    }

    result<bool> next_into(row& r) override {
        if (!header_read_) {
            header_read_ = true;
            const auto g = csv_.next(fields_);
            if (g == detail::csv::reader::got::error) return problem();
            if (g == detail::csv::reader::got::end)
                return row_error(source_, std::max<std::size_t>(csv_.lines(), 1), 0, "csv.empty_input");
            header_line_ = csv_.record_line();
            for (std::size_t i = 0; i < fields_.size(); ++i) {
                const auto& f = fields_[i];
                if (f.text.empty()) return row_error(source_, f.line, f.column, "csv.empty_column_name");
                for (std::size_t j = 0; j < i; ++j)
                    if (header_[j] == f.text)
                        return row_error(source_, f.line, f.column, "csv.column_twice", {{"column", f.text}});
                header_.push_back(f.text);
            }
            have_header_ = true;
        }
        const auto g = csv_.next(fields_);
        if (g == detail::csv::reader::got::error) return problem();
        if (g == detail::csv::reader::got::end) return false;
        if (fields_.size() != header_.size()) {
            const auto& last = fields_.back();
            return row_error(source_, last.line, fields_.size() > header_.size() ? header_.size() + 1 : 0,
                             "csv.field_count", {{"expected", std::to_string(header_.size())}, {"found", std::to_string(fields_.size())}});
        }
        r.line = csv_.record_line();
        std::size_t used = 0;
        for (std::size_t i = 0; i < fields_.size(); ++i) {
            const auto& f = fields_[i];
            if (f.text.empty()) continue;  // a blank cell is absent
            if (used == r.cells.size()) r.cells.emplace_back();
            row::cell& c = r.cells[used++];
            c.name.assign(header_[i]);
            c.text.assign(f.text);  // copied into the cell's own storage: both keep their capacity
            c.kind = row::cell::text_;
            c.column = i + 1;  // the field's number, as the header's errors count it
            c.line = f.line;
            c.where.clear();
        }
        r.cells.resize(used);
        return true;
    }

    const std::vector<std::string>* columns() const override { return have_header_ ? &header_ : nullptr; }
    std::size_t header_line() const override { return header_line_; }

private:
    static detail::csv::options opts() {
        detail::csv::options o;
        o.max_record = max_line;
        return o;
    }
    error problem() const {
        const auto& p = csv_.error();
        return row_error(source_, p.line, p.column, p.id, p.args);
    }

    detail::csv::reader csv_;
    std::string source_;
    std::vector<detail::csv::field> fields_;
    std::vector<std::string> header_;
    bool header_read_ = false;
    bool have_header_ = false;
    std::size_t header_line_ = 0;
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
            if (got == detail::line_status::too_long) return row_error(source_, line_, 0, "jsonl.line_too_long");
            if (line_ == 1 && l.size() >= 3 && l.compare(0, 3, "\xEF\xBB\xBF") == 0) l.erase(0, 3);  // BOM, as in CSV
            if (l.find_first_not_of(" \t\r") != std::string::npos) break;
        }
        boost::json::parse_options opts;
        opts.max_depth = 8;
        boost::json::stream_parser p({}, opts);
        boost::system::error_code ec;
        std::size_t used = p.write_some(l.data(), l.size(), ec);
        if (!ec) p.finish(ec);
        if (ec) return row_error(source_, line_, used + 1, "json.malformed", vigil::detail::json_error_args(ec));
        if (auto issue = detail::check_json(l)) return row_error(source_, line_, issue->offset + 1, issue->id, issue->args);
        auto v = p.release();
        const auto* o = v.if_object();
        if (!o) return row_error(source_, line_, 1, "jsonl.expected_object");
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
                return row_error(source_, line_, 0, "jsonl.bad_value", {{"field", c.name}});
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

std::unique_ptr<row_reader> make_reader(std::istream& in, const std::string& format, std::string source,
                                        const std::string& product_kind) {
    if (format == "jsonl") return std::make_unique<jsonl_reader>(in, std::move(source));
    if (format == "e2b") return make_e2b_reader(in, std::move(source), product_kind);
    return std::make_unique<csv_reader>(in, std::move(source));
}

}  // namespace vigil::cli
