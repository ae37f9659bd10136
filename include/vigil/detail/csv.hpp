// vigil/detail/csv.hpp — the one CSV reader. Every CSV vigil reads goes through it: classify's
// input (its general path reads records with `reader`; its bulk path parses plain rows in place and
// hands any other record, found with `record_end`, to the general path), the working-day calendar
// and the list of statutory holidays. Not API: used by the library and its command.
//
// The rules (README.md, "CSV input"):
// - RFC 4180: fields separated by commas, records by line breaks (LF or CRLF); a field may be
//   quoted with '"', a quote inside it doubled (""), and a quoted field may hold commas and line
//   breaks (a line break in a quoted field is read as "\n", whatever the file's line ends).
// - A UTF-8 byte order mark before the first line is skipped; the text must be UTF-8.
// - Spaces and tabs around a field, outside its quotes, are not part of it (` 3 ` is `3`,
//   ` "a, b" ` is `a, b`); inside quotes they are kept.
// - A quote inside an unquoted field (`a"b`), or text after a closing quote (`"a"b`), is an error:
//   quote the whole field.
// - Blank lines (empty, or spaces alone) are skipped; with options::comments, so is a line that begins with '#'.
// - A record is at most options::max_record bytes.
// - Every error names the line and column where the problem is (an unterminated quote: where it
//   opened).
// What a blank field means is the caller's (classify: absent); `boolean` is the one reading of a
// yes/no cell.
#pragma once

#include <vigil/messages.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {
inline namespace v0 {
namespace detail {
namespace csv {

/// One field of a record.
struct field {
    std::string text;        ///< the value: unquoted, "" made ", surrounding spaces and tabs (outside quotes) removed
    std::size_t line = 0;    ///< 1-based line where the field begins
    std::size_t column = 0;  ///< 1-based byte column where the field begins (just after the comma before it)
    bool quoted = false;
};

struct options {
    bool comments = false;              ///< a line beginning with '#' between records is skipped
    std::size_t max_record = 1u << 20;  ///< a longer record (or line) is an error
};

/// A malformed input: where and what.
struct problem {
    std::size_t line = 0;
    std::size_t column = 0;  ///< 0 when the whole line is meant
    std::string message;  ///< English; `id` and `args` render it in either language (vigil/messages.hpp)
    std::string id;
    message_args args;
};

/// Reads records one at a time from text in memory or from a stream (read a line at a time: memory
/// stays bounded by options::max_record).
class reader {
public:
    explicit reader(std::string_view text, options o = {});
    explicit reader(std::istream& in, options o = {});

    enum class got { record, end, error };
    /// The next record's fields (at least one) into `out`; `end` after the last; `error` for a
    /// malformed record (see problem()).
    got next(std::vector<field>& out);
    const problem& error() const noexcept { return problem_; }
    /// The line the last record began on.
    std::size_t record_line() const noexcept { return record_line_; }
    /// The number of lines read so far.
    std::size_t lines() const noexcept { return line_; }

private:
    enum class fetched { ok, end, error };
    fetched fetch();  // the next physical line into cur_
    got fail(std::size_t line, std::size_t column, std::string_view id, message_args args = {});
    void set_problem(std::size_t line, std::size_t column, std::string_view id, message_args args = {});

    std::string_view text_;
    std::istream* in_ = nullptr;
    std::size_t pos_ = 0;
    options opt_;
    std::string buf_;
    std::string_view cur_;
    std::size_t line_ = 0, record_line_ = 0;
    problem problem_;
};

/// The whole of `text` as records (for small inputs read at once); the first problem, if any.
struct table {
    std::vector<std::vector<field>> records;
    std::optional<problem> error;
};
table read_all(std::string_view text, options o = {});

/// For a reader that parses plain records in place (classify's bulk path): where the record that
/// begins at `b` ends, by the rules above — the '\n' that ends it, outside quotes — or nullptr when
/// [b, e) ends inside it.
const char* record_end(const char* b, const char* e) noexcept;

/// The one reading of a yes/no cell: true|false in any letter case (Excel writes TRUE/FALSE), 1|0,
/// 是|否. Anything else (a blank cell among them) is nullopt.
inline std::optional<bool> boolean(std::string_view v) noexcept {
    // the letters compared four at a time, case folded: (c | 0x20) is a lower-case letter only
    // for that letter in either case
    auto folded4 = [](const char* p) {
        std::uint32_t x;
        std::memcpy(&x, p, 4);
        return x | 0x20202020u;
    };
    auto word4 = [](const char* w) {
        std::uint32_t x;
        std::memcpy(&x, w, 4);
        return x;
    };
    switch (v.size()) {
    case 1:
        if (v[0] == '1') return true;
        if (v[0] == '0') return false;
        return std::nullopt;
    case 3:  // 是 U+662F, 否 U+5426
        if (v == "\xE6\x98\xAF") return true;
        if (v == "\xE5\x90\xA6") return false;
        return std::nullopt;
    case 4:
        if (folded4(v.data()) == word4("true")) return true;
        return std::nullopt;
    case 5:
        if (folded4(v.data()) == word4("fals") && (v[4] | 0x20) == 'e') return false;
        return std::nullopt;
    default: return std::nullopt;
    }
}

/// The spellings `boolean` accepts, for messages.
inline constexpr std::string_view boolean_spellings = "true|false (any case), 1|0, 是|否";

/// A field as CSV writes it: quoted when it holds a comma, a quote, a line break or surrounding
/// spaces (which the reader would drop), its quotes doubled.
std::string quote(std::string_view s);

}  // namespace csv
}  // namespace detail
}  // namespace v0
}  // namespace vigil
