// Internal: the bulk path of `vigil classify` for CSV or JSON Lines in, CSV or brief JSON Lines out.
//
// Reads the input in blocks (bounded memory: a block and its rows' columns), parses the plain rows
// without allocating (CSV and JSON Lines by hand, each line in place in one pass; a JSON string
// is searched 16 bytes at a time), grades each block with classify_batch and writes the same
// output as the general path.
// The plan's facts of every kind are read (counts, booleans, grades: the modifiers among them),
// and the expert override fields, whose text is copied only for a row that has one. A row it
// does not take as plain (a quoted field, a JSON escape or null, a value out of form, a wrong
// field count, an unknown or repeated key …) is handed to the general path, line by line,
// through `line_fallback`, so every answer and every error is the general path's.
//
// With bulk_options::threads > 1 (and output to a file) the input is read in chunks of whole
// records (a CSV record with a quoted line break kept whole), each parsed and graded by one of the
// workers into its own buffer; the reading thread writes the chunks out in input order and calls
// `line_fallback` there for the records the workers left to it, so its notes and errors come in
// input order from one thread, as with one thread (ordered_chunks.hpp: at most 2N chunks in flight).
#pragma once

#include <vigil/plan.hpp>

#include <cstdint>
#include <functional>
#include <istream>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::cli {

/// Grade one line through the general path: the output line (no '\n'), or the error.
/// `header` is the input's header line as read, `line` the 1-based line number of `text`.
using line_fallback =
    std::function<result<std::string>(std::string_view header, std::size_t line, std::string_view text)>;

/// What the bulk path writes a row as.
enum class bulk_form {
    csv,          ///< id, kept columns, grade, grade_zh, reasons, warning, response
    jsonl_brief,  ///< the brief classification (docs/json.md), one a line
};

struct bulk_options {
    bulk_form form = bulk_form::csv;
    bool stats = false;             ///< print rows, bytes, seconds and throughput to stderr at the end
    bool progress = false;          ///< when stderr is a terminal: print progress every half second
    std::uint64_t input_bytes = 0;  ///< the input's size when known (a file), for the progress percentage
    std::vector<std::string> ignored;  ///< columns to skip (--ignore-column)
    std::vector<std::string> kept;     ///< columns passed through beside the id (--keep-column)
    std::string header;                ///< the output's header line, '\n' included
    bool flush = false;                ///< write each read's rows out at once (the output is a pipe or terminal)
    unsigned threads = 1;              ///< parse and grade chunks on this many threads (not with flush: one)
};

struct bulk_outcome {
    bool taken = false;    ///< false: the header is not one the bulk path takes; nothing was written
    int status = 0;        ///< when taken: the exit status
    std::string consumed;  ///< when not taken: what was read from `in` (give it to the general path first)
};

/// Bulk-classify CSV from `in` to `out` when the header holds id, product, every fact of the plan
/// that is not optional, and otherwise only facts of the plan (not sums), override fields, ignored and kept
/// columns (in any order; a plan of more than 63 criteria goes to the general path). Errors are printed with
/// print_error.
bulk_outcome classify_csv_bulk(const plan& p, std::istream& in, std::ostream& out, const line_fallback& fallback,
                               const bulk_options& opt);

/// Bulk-classify JSON Lines from `in` to `out` (CSV). Not taken (nothing read or written) for a
/// plan of more than 63 criteria, or when a kept key is also read (a fact, id, product, override)
/// or ignored. `fallback` gets a line's text alone (`header` is empty).
bulk_outcome classify_jsonl_bulk(const plan& p, std::istream& in, std::ostream& out, const line_fallback& fallback,
                                 const bulk_options& opt);

/// A stream buffer over a file descriptor (not closed) whose bulk read (sgetn) returns what one
/// read(2) gives: from a pipe or a terminal, the rows that have come so far, never waiting for a
/// full block (so vigil can sit in a pipe as a filter).
class fd_buf : public std::streambuf {
public:
    explicit fd_buf(int fd) : fd_(fd) {}

protected:
    int_type underflow() override;
    std::streamsize xsgetn(char* s, std::streamsize n) override;

private:
    int fd_;
    char buf_[1 << 16];
};

/// Whether standard output is a pipe, a socket or a terminal: rows are written out as they are
/// answered (CSV and JSON Lines per row), not when a buffer fills.
bool stdout_is_stream();

/// A stream buffer that yields `prefix`, then what `rest` yields: hands back what was read.
class prefixed_buf : public std::streambuf {
public:
    prefixed_buf(std::string prefix, std::streambuf* rest) : prefix_(std::move(prefix)), rest_(rest) {
        setg(prefix_.data(), prefix_.data(), prefix_.data() + prefix_.size());
    }

protected:
    int_type underflow() override {
        if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
        const auto n = rest_->sgetn(buf_, sizeof buf_);
        if (n <= 0) return traits_type::eof();
        setg(buf_, buf_, buf_ + n);
        return traits_type::to_int_type(*gptr());
    }

private:
    std::string prefix_;
    std::streambuf* rest_;
    char buf_[1 << 16];
};

}  // namespace vigil::cli
