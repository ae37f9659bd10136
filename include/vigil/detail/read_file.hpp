// vigil/detail/read_file.hpp — the one bounded reader of files (and the one writer of whole files): every reader of vigil (plans,
// timelines, calendars, event files, report templates, the event log, classify's input) goes
// through it. Not API: used by the library, its command and its C ABI.
//
// Before reading, the kind of file is checked (a directory, socket or symbolic-link loop is
// refused; a regular file's size is checked against the limit); then it is read in bounded
// pieces and refused as soon as it passes the limit, so /dev/zero, an endless FIFO or a file
// that grows while read never takes more than the limit (plus one piece) of memory.
#pragma once

#include <vigil/error.hpp>

#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>

namespace vigil {
inline namespace v0 {
namespace detail {

/// The size of one piece read.
inline constexpr std::size_t read_piece = 64u << 10;

/// The whole of `path` ("-": standard input), at most `limit` bytes. `what` names the input in
/// messages ("plan", "timeline", …). errc::io_error when it cannot be opened or is not a file
/// that can be read (a directory, a socket); errc::too_large past the limit, naming it.
result<std::string> read_file(const std::string& path, std::size_t limit, std::string_view what);

/// The same from an open descriptor (not closed), named `source` in messages.
result<std::string> read_fd(int fd, const std::string& source, std::size_t limit, std::string_view what);

/// For streaming readers: `path` ("-": standard input) is something that can be read as a stream
/// (a regular file, a FIFO, a pipe or a character device), checked before it is opened.
result<void> check_readable(const std::string& path, std::string_view what);

/// The outcome of one bounded line read.
enum class line_status { ok, end, too_long };

/// std::getline with a bound: reads one line (without its '\n') of at most `max` bytes. A longer
/// line stops the read after `max` + 1 bytes (too_long; the stream is left there, and an input
/// with no line break at all is never read further).
line_status getline_bounded(std::istream& in, std::string& line, std::size_t max);

/// Write a whole file so that it appears complete or not at all: written to a temporary file
/// beside it (PATH.tmp.PID, created exclusively with `mode`), fsync'd, renamed over PATH, and the
/// directory fsync'd; on an error the temporary file is removed and PATH is unchanged. For every
/// file vigil writes other than its event logs (a calendar import, a chart, an .ics file).
result<void> write_file(const std::string& path, std::string_view bytes, unsigned mode = 0644);

/// "1 MiB", "16 MiB", "4096 bytes": a limit for messages.
std::string size_text(std::size_t bytes);

}  // namespace detail
}  // namespace v0
}  // namespace vigil
