// Internal: reading input rows (CSV with a header, or JSON Lines) for the vigil command.
#pragma once

#include <vigil/error.hpp>

#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace vigil::cli {

/// One input row: its line, and its cells by column name (a blank CSV cell is not among them: absent).
struct row {
    std::size_t line = 0;
    struct cell {
        std::string name;
        std::string text;           ///< the value as text ("true"/"false" for JSON booleans)
        enum kind_t { text_, number, boolean, null } kind = text_;
        std::size_t column = 0;     ///< 1-based: CSV field number, or 0 for JSON
        std::size_t line = 0;       ///< the line the CSV field begins on (a quoted field may span lines), or 0: the row's
        std::string where;          ///< E2B: the element the value was read from (E2B id and path), named in messages
    };
    std::vector<cell> cells;
    const cell* find(std::string_view name) const;
};

/// Reads rows one at a time. Errors name the source, the line and the column.
class row_reader {
public:
    virtual ~row_reader() = default;
    /// The next row; nullopt at the end. A malformed row is an error.
    virtual result<std::optional<row>> next() = 0;
    /// The next row into `r`, false at the end: the same rows as next(), and a reader may reuse
    /// r's cells (CSV does: no allocation a row once the cells have grown).
    virtual result<bool> next_into(row& r) {
        auto x = next();
        if (!x) return x.error();
        if (!*x) return false;
        r = std::move(**x);
        return true;
    }
    /// The header's column names, once next() has read them (CSV); nullptr for JSON Lines.
    virtual const std::vector<std::string>* columns() const { return nullptr; }
    /// The header's line (CSV).
    virtual std::size_t header_line() const { return 0; }
};

/// `format` is "csv", "jsonl" or "e2b" (case reports only: ICH E2B(R3) XML, src/cli/e2b.cpp).
/// `source` names the input in errors. `product_kind`: the product_kind of every E2B row (E2B(R3)
/// carries medicinal products only: "drug" unless the caller says otherwise); unused by the others.
std::unique_ptr<row_reader> make_reader(std::istream& in, const std::string& format, std::string source,
                                        const std::string& product_kind = "drug");

/// ICH E2B(R3) XML (an MCCI_IN200100UV01 batch or one PORR_IN049016UV message) as case report
/// rows, one per suspect or interacting drug, read as a stream with expat; the mapping is in
/// docs/detect.md.
std::unique_ptr<row_reader> make_e2b_reader(std::istream& in, std::string source, std::string product_kind = "drug");

/// Quote a CSV field when needed (RFC 4180).
std::string csv_field(std::string_view s);

}  // namespace vigil::cli
