// The one bounded reader of files (vigil/detail/read_file.hpp).
#include <vigil/detail/read_file.hpp>

#include <cerrno>
#include <cstring>
#include <istream>

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

namespace vigil {
inline namespace v0 {
namespace detail {

namespace {

// `what` names the file's kind in messages: "timeline" is rendered as catalogue word "file.timeline";
// a kind the catalogue does not name is said as given.
message_arg what_arg(std::string_view what) {
    std::string id = "file.";
    for (char c : what) id += c == ' ' ? '_' : c;
    return {"what", find_message(id) ? id : std::string(what)};
}

error io_error(const std::string& source, std::string_view id, message_args args = {}) {
    return error{errc::io_error, {diagnostic::of(source, 0, 0, "", id, std::move(args))}};
}

error cannot_open(const std::string& source, int e) {
    if (e == ENOENT) return io_error(source, "file.cannot_open");
    return io_error(source, "file.cannot_open_why", {{"why", std::strerror(e)}});
}

error too_large(const std::string& source, std::string_view what, std::size_t limit, std::string found) {
    return error{errc::too_large, {diagnostic::of(source, 0, 0, "", "file.too_large",
                                                  {what_arg(what), {"size", found}, {"limit", size_text(limit)},
                                                   {"bytes", std::to_string(limit)}})}};
}

error read_stopped(const std::string& source, std::string_view what, std::size_t limit) {
    return error{errc::too_large, {diagnostic::of(source, 0, 0, "", "file.too_large_stopped",
                                                  {what_arg(what), {"limit", size_text(limit)}, {"bytes", std::to_string(limit)}})}};
}

// The kind of file a stat names, when it is not one a reader takes (a catalogue id); empty when it is.
std::string_view refused_kind(const struct stat& st) {
    if (S_ISDIR(st.st_mode)) return "file.is_directory";
    if (S_ISSOCK(st.st_mode)) return "file.is_socket";
    if (S_ISBLK(st.st_mode)) return "file.is_block_device";
    if (S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)) return {};
    return "file.not_readable_kind";
}

error refused(const std::string& source, std::string_view kind, std::string_view what) {
    return io_error(source, "file.refused_kind", {{"kind", std::string(kind)}, what_arg(what)});
}

}  // namespace

std::string size_text(std::size_t bytes) {
    if (bytes >= (1u << 20) && bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
    if (bytes >= (1u << 10) && bytes % (1u << 10) == 0) return std::to_string(bytes >> 10) + " KiB";
    return std::to_string(bytes) + " bytes";
}

result<std::string> read_fd(int fd, const std::string& source, std::size_t limit, std::string_view what) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) return io_error(source, "file.cannot_stat", {{"why", std::strerror(errno)}});
    if (auto k = refused_kind(st); !k.empty()) return refused(source, k, what);
    std::string text;
    if (S_ISREG(st.st_mode)) {
        if (static_cast<std::uint64_t>(st.st_size) > limit)
            return too_large(source, what, limit, std::to_string(st.st_size));
        text.reserve(static_cast<std::size_t>(st.st_size));
    }
    // Pieces, refused once past the limit: a FIFO, a device or a file growing while read.
    for (;;) {
        const std::size_t want = std::min(read_piece, limit + 1 - std::min(text.size(), limit + 1));
        if (want == 0) return read_stopped(source, what, limit);
        const std::size_t at = text.size();
        text.resize(at + want);
        ssize_t n = ::read(fd, text.data() + at, want);
        if (n < 0 && errno == EINTR) {
            text.resize(at);
            continue;
        }
        if (n < 0) {
            const int e = errno;
            if (e == EISDIR) return refused(source, "file.is_directory", what);
            return io_error(source, "file.cannot_read", {{"why", std::strerror(e)}});
        }
        text.resize(at + static_cast<std::size_t>(n));
        if (n == 0) break;
    }
    if (text.size() > limit) return read_stopped(source, what, limit);
    return text;
}

result<std::string> read_file(const std::string& path, std::size_t limit, std::string_view what) {
    if (path == "-") return read_fd(0, "<stdin>", limit, what);
    // O_NONBLOCK: a FIFO is not waited on before its kind is known.
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        return cannot_open(path, errno);
    }
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode)) {
        // A FIFO named on the command line: wait for its writer, as a FIFO means (bounded still).
        // poll() on this descriptor waits until a writer has come (Linux reports no hang-up to a
        // reader that opened before any writer); a writer that came, wrote and left before this
        // line is seen too (its bytes are readable, then end of file). A second, blocking open()
        // would wait for ever for a writer that has already left.
        struct pollfd p {fd, POLLIN, 0};
        while (::poll(&p, 1, -1) < 0) {
            if (errno != EINTR) {
                const int e = errno;
                ::close(fd);
                return io_error(path, "file.cannot_wait_fifo", {{"why", std::strerror(e)}});
            }
        }
    }
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    auto r = read_fd(fd, path, limit, what);
    ::close(fd);
    return r;
}

result<void> check_readable(const std::string& path, std::string_view what) {
    struct stat st {};
    if (path == "-") {
        if (::fstat(0, &st) != 0) return io_error("<stdin>", "file.cannot_stat", {{"why", std::strerror(errno)}});
    } else if (::stat(path.c_str(), &st) != 0) {
        return cannot_open(path, errno);
    }
    if (auto k = refused_kind(st); !k.empty()) return refused(path == "-" ? "<stdin>" : path, k, what);
    return {};
}

result<void> write_file(const std::string& path, std::string_view bytes, unsigned mode) {
    const std::string tmp = path + ".tmp." + std::to_string(::getpid());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, static_cast<mode_t>(mode));
    if (fd < 0) return io_error(path, "file.cannot_create", {{"file", tmp}, {"why", std::strerror(errno)}});
    std::string_view why;
    int err = 0;
    for (std::string_view rest = bytes; rest.size() > 0 && why.empty();) {
        ssize_t n = ::write(fd, rest.data(), rest.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) why = "file.cannot_write", err = errno;
        else rest.remove_prefix(static_cast<std::size_t>(n));
    }
    if (why.empty() && ::fsync(fd) != 0) why = "file.cannot_sync", err = errno;
    ::close(fd);
    if (why.empty() && ::rename(tmp.c_str(), path.c_str()) != 0) why = "file.cannot_rename", err = errno;
    if (!why.empty()) {
        ::unlink(tmp.c_str());
        return io_error(path, why, {{"file", tmp}, {"why", std::strerror(err)}});
    }
    const auto slash = path.find_last_of('/');
    const std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
    if (int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
    return {};
}

line_status getline_bounded(std::istream& in, std::string& line, std::size_t max) {
    line.clear();
    std::streambuf* sb = in.rdbuf();
    if (!sb) {
        in.setstate(std::ios::badbit);
        return line_status::end;
    }
    bool any = false;
    for (;;) {
        int c;
        try {
            c = sb->sbumpc();
        } catch (...) {  // a stream whose reads throw (a directory): the end, marked bad
            in.setstate(std::ios::badbit);
            return any ? line_status::ok : line_status::end;
        }
        if (c == std::char_traits<char>::eof()) {
            in.setstate(std::ios::eofbit);
            if (!any) in.setstate(std::ios::failbit);
            return any ? line_status::ok : line_status::end;
        }
        any = true;
        if (c == '\n') return line_status::ok;
        if (line.size() == max) return line_status::too_long;
        line.push_back(static_cast<char>(c));
    }
}

}  // namespace detail
}  // namespace v0
}  // namespace vigil
