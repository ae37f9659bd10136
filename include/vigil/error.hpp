// vigil/error.hpp — the one error model of vigil.
//
// Data errors (a bad plan file, a malformed input row, an unknown plan name) are values:
// functions that can meet them return vigil::result<T>, a boost::system::result<T, vigil::error>.
// An error carries a code and every diagnostic found (where, which field, what was expected).
// result<T>::value() throws vigil::exception for those who prefer exceptions.
// Programmer errors (a broken precondition) are contracts, checked with GSL's Expects.
#pragma once

#include <vigil/messages.hpp>

#include <boost/system/result.hpp>

#include <iosfwd>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace vigil {
inline namespace v0 {

/// Error codes. Values are stable: they are also the C ABI's negative status codes.
enum class errc : int {
    ok = 0,
    parse_error = 1,     ///< text is not well-formed JSON / CSV / JSONL
    invalid_plan = 2,    ///< a plan is well-formed but breaks the plan format
    invalid_input = 3,   ///< facts, a timeline, an event or an argument is wrong
    unknown_name = 4,    ///< no built-in plan (or other named thing) of that name
    io_error = 5,        ///< a file could not be read or written
    out_of_range = 6,    ///< a date outside the calendar's years, a number too large
    refused = 7,         ///< a lifecycle event refused by a guard or an authority
    tampered = 8,        ///< an event log whose chain does not verify
    too_large = 9,       ///< input over the size or nesting bound
};

const std::error_category& error_category() noexcept;
std::error_code make_error_code(errc e) noexcept;

/// One problem found in an input: where it is and what was expected there.
struct diagnostic {
    std::string source;   ///< file name, "<builtin:NAME>", "<buffer>" or "<stdin>"
    int line = 0;         ///< 1-based; 0 when unknown
    int column = 0;       ///< 1-based; 0 when unknown
    std::string pointer;  ///< JSON pointer (RFC 6901) of the offending value, or a field name
    std::string message;  ///< what is wrong, and what was expected (English)
    /// The catalogue id of the message (vigil/messages.hpp) and its arguments, when it has one:
    /// then `message` is its English rendering and to_string(language::zh) renders it in Chinese.
    std::string id;
    message_args args;

    /// A diagnostic of catalogue message `id`, its `message` rendered in English.
    static diagnostic of(std::string source, int line, int column, std::string pointer, std::string_view id,
                         message_args args = {});

    /// "file:line:col: /grades/0/criteria/1/when: expected ..." (parts that are unknown are left out)
    std::string to_string() const;
    /// The same in `lang`: the message rendered from the catalogue when it has an id, else `message`.
    std::string to_string(language lang) const;
    /// Only the message, in `lang`.
    std::string text(language lang) const;
};

/// The error half of vigil::result: a code and every diagnostic found.
struct error {
    errc code = errc::ok;
    std::vector<diagnostic> diagnostics;

    error() = default;
    error(errc c, std::vector<diagnostic> d) : code(c), diagnostics(std::move(d)) {}
    error(errc c, std::string message);  ///< one diagnostic with only a message
    /// One diagnostic with only a catalogue message (vigil/messages.hpp).
    error(errc c, std::string_view id, message_args args);

    /// All diagnostics, one per line.
    std::string message() const;
    /// The same in `lang` (diagnostic::to_string(language)).
    std::string message(language lang) const;
};

/// Writes error::message().
std::ostream& operator<<(std::ostream& os, const error& e);

/// Thrown by result<T>::value() on an error, and nowhere else in the library.
class exception : public std::runtime_error {
public:
    explicit exception(vigil::error e);
    const vigil::error& error() const noexcept { return err_; }
    errc code() const noexcept { return err_.code; }

private:
    vigil::error err_;
};

template <class T>
using result = boost::system::result<T, error>;

/// Found by boost::system::result through ADL.
[[noreturn]] void throw_exception_from_error(const error& e, const boost::source_location& loc);

}  // namespace v0
}  // namespace vigil

template <>
struct std::is_error_code_enum<vigil::errc> : std::true_type {};
