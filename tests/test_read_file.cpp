// The one bounded reader (vigil/detail/read_file.hpp): kind checked first, size checked first,
// bounded pieces, refused past the limit — both sides of every bound.
#include <vigil/detail/read_file.hpp>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <csignal>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace vigil;

namespace {

std::string temp_dir() {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/vigil-read-XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    REQUIRE(::mkdtemp(buf.data()) != nullptr);
    return std::string(buf.data());
}

void spit(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
}

}  // namespace

TEST_CASE("read_file: regular files on both sides of the limit, and what is not a file", "[read_file]") {
    const std::string dir = temp_dir();
    struct row {
        std::string name;      // a file written with `bytes` bytes, or a special path
        long bytes;            // -1: the path as is
        std::size_t limit;
        const char* expect;    // "ok" or the words of the refusal
        errc code;
    };
    const row rows[] = {
        {"empty", 0, 16, "ok", errc::ok},
        {"at_limit", 16, 16, "ok", errc::ok},
        {"one_over", 17, 16, "is 17 bytes; at most 16 bytes (16 bytes) are accepted", errc::too_large},
        {"big", 5 << 20, 1 << 20, "is 5242880 bytes; at most 1 MiB", errc::too_large},
        {"/dev/zero", -1, 1 << 20, "larger than that (read stopped there)", errc::too_large},
        {"/dev/null", -1, 16, "ok", errc::ok},
        {"DIR", -1, 16, "is a directory; expected a test file", errc::io_error},
        {"missing", -1, 16, "cannot open the file for reading", errc::io_error},
    };
    for (const auto& r : rows) {
        CAPTURE(r.name);
        std::string path = r.name;
        if (r.name == "DIR") path = dir;
        else if (r.name == "missing") path = dir + "/missing";
        else if (r.bytes >= 0) {
            path = dir + "/" + r.name;
            spit(path, std::string(static_cast<std::size_t>(r.bytes), 'x'));
        }
        auto got = detail::read_file(path, r.limit, "test");
        if (std::string(r.expect) == "ok") {
            REQUIRE(got.has_value());
            CHECK(got->size() == static_cast<std::size_t>(r.bytes < 0 ? 0 : r.bytes));
        } else {
            REQUIRE_FALSE(got.has_value());
            CHECK(got.error().code == r.code);
            CHECK(got.error().message().find(r.expect) != std::string::npos);
            CHECK(got.error().message().find(path) != std::string::npos);
        }
    }
    std::system(("rm -rf '" + dir + "'").c_str());
}

TEST_CASE("read_file: a FIFO is read in bounded pieces; an endless writer is refused at the limit", "[read_file]") {
    const std::string dir = temp_dir();
    const std::string fifo = dir + "/fifo";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    std::signal(SIGPIPE, SIG_IGN);
    for (const std::size_t total : {std::size_t{100}, std::size_t{1} << 30}) {  // a short writer, an endless one
        CAPTURE(total);
        std::thread writer([&] {
            int fd = ::open(fifo.c_str(), O_WRONLY);
            std::string piece(std::min<std::size_t>(total, 1 << 16), 'y');
            for (std::size_t sent = 0; sent < total;) {
                ssize_t n = ::write(fd, piece.data(), std::min(piece.size(), total - sent));
                if (n <= 0) break;  // the reader stopped (EPIPE)
                sent += static_cast<std::size_t>(n);
            }
            ::close(fd);
        });
        auto got = detail::read_file(fifo, 1 << 20, "timeline");
        writer.join();
        if (total == 100) {
            REQUIRE(got.has_value());
            CHECK(got->size() == 100);
        } else {
            REQUIRE_FALSE(got.has_value());
            CHECK(got.error().code == errc::too_large);
        }
    }
    std::system(("rm -rf '" + dir + "'").c_str());
}

TEST_CASE("check_readable: streams are files, FIFOs and devices, never a directory", "[read_file]") {
    CHECK(detail::check_readable("/dev/null", "CSV").has_value());
    auto d = detail::check_readable("/", "CSV");
    REQUIRE_FALSE(d.has_value());
    CHECK(d.error().message().find("is a directory; expected a CSV file") != std::string::npos);
    CHECK_FALSE(detail::check_readable("/nonexistent/x.csv", "CSV").has_value());
}

TEST_CASE("getline_bounded: lines up to the bound are read, one byte more is too long and no more is read",
          "[read_file]") {
    struct row {
        std::string input;
        std::size_t max;
        detail::line_status first;
        std::string line;
    };
    const row rows[] = {
        {"abc\ndef\n", 3, detail::line_status::ok, "abc"},
        {"abcd\n", 3, detail::line_status::too_long, "abc"},
        {"abc", 3, detail::line_status::ok, "abc"},  // a last line without its newline
        {"", 3, detail::line_status::end, ""},
        {"\n", 3, detail::line_status::ok, ""},
        {std::string(10000, '\0'), 100, detail::line_status::too_long, std::string(100, '\0')},
    };
    for (const auto& r : rows) {
        std::istringstream in(r.input);
        std::string line;
        CHECK(detail::getline_bounded(in, line, r.max) == r.first);
        CHECK(line == r.line);
        if (r.first == detail::line_status::too_long) CHECK(in.tellg() == static_cast<std::streamoff>(r.max + 1));
    }
}
