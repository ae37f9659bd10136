// The one bounded reader (vigil/detail/read_file.hpp): kind checked first, size checked first,
// bounded pieces, refused past the limit — both sides of every bound.
#include <vigil/detail/json_check.hpp>
#include <vigil/detail/read_file.hpp>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
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

// The writer may come, write and leave before read_file waits for it (the short writer often
// does): read_file must still return its bytes, not wait for a second writer. Repeated to meet
// both orders of the two ends.
TEST_CASE("read_file: a FIFO is read in bounded pieces, an endless writer is refused at the limit", "[read_file][fifo]") {
    const std::string dir = temp_dir();
    const std::string fifo = dir + "/fifo";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    std::signal(SIGPIPE, SIG_IGN);
    for (const std::size_t total : {std::size_t{100}, std::size_t{100}, std::size_t{100}, std::size_t{1} << 30}) {
        CAPTURE(total);  // short writers (racing the reader), then an endless one
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

TEST_CASE("read_file: a FIFO whose writer has already written and left is read, not waited on", "[read_file][fifo][fifo_left]") {
    // Deterministic form of the race above: another reader keeps the FIFO's buffer alive while the
    // writer writes 5 bytes and closes; read_file then finds the bytes and the end of file.
    const std::string dir = temp_dir();
    const std::string fifo = dir + "/fifo";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const int keeper = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
    REQUIRE(keeper >= 0);
    const int w = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
    REQUIRE(w >= 0);
    REQUIRE(::write(w, "hello", 5) == 5);
    ::close(w);
    auto got = detail::read_file(fifo, 1 << 20, "timeline");
    ::close(keeper);
    REQUIRE(got.has_value());
    CHECK(*got == "hello");
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

TEST_CASE("check_json: what every JSON reader refuses beyond well-formed JSON, and where", "[read_file][json]") {
    struct row {
        std::string text;
        const char* says;  // "" : sound
        std::size_t offset;
    };
    const row rows[] = {
        {R"({"a":1,"b":2})", "", 0},
        {R"({"a":1,"a":2})", "the key \"a\" appears twice in one object", 9},
        {R"({"a":{"b":1},"c":{"b":2}})", "", 0},         // the same key in two objects
        {R"([{"a":1},{"a":2}])", "", 0},                 // in two elements of an array
        {R"({"a\u0062":1,"ab":2})", "the key \"ab\" appears twice", 16},  // escapes compared decoded
        {R"({"x":1e308})", "", 0},
        {R"({"x":1e400})", "a number out of range", 10},
        {R"({"x":-1e400})", "a number out of range", 11},
        {R"({"x":12.0})", "", 0},                        // a number; a count refuses it where counts are read
        {R"({"a":)", "", 0},                             // malformed: the reader's own parser says where
    };
    for (const auto& r : rows) {
        INFO(r.text);
        auto issue = detail::check_json(r.text);
        if (*r.says == '\0') {
            CHECK_FALSE(issue.has_value());
        } else {
            REQUIRE(issue.has_value());
            CHECK(issue->message.find(r.says) != std::string::npos);
            CHECK(issue->offset == r.offset);
        }
    }
    CHECK(detail::skip_bom("\xEF\xBB\xBF{}") == "{}");
    CHECK(detail::skip_bom("{}") == "{}");
}

TEST_CASE("invalid_utf8: the first byte of a sequence that is not UTF-8", "[read_file][json]") {
    struct row {
        std::string text;
        long at;  // -1: valid
    };
    const row rows[] = {
        {"abc", -1},          {"中文 id", -1},       {"\xF0\x9F\x98\x80", -1},  // 4 bytes
        {"a\xFF", 1},         {"a\xE4\xB8", 1},      // cut short
        {"\xC0\xAF", 0},      // overlong
        {"\xED\xA0\x80", 0},  // a surrogate
        {"\xF4\x90\x80\x80", 0},  // beyond U+10FFFF
        {"ok\x80", 2},        // a lone continuation byte
    };
    for (const auto& r : rows) {
        INFO(r.text);
        auto bad = detail::invalid_utf8(r.text);
        if (r.at < 0) CHECK_FALSE(bad.has_value());
        else {
            REQUIRE(bad.has_value());
            CHECK(*bad == static_cast<std::size_t>(r.at));
        }
    }
}

TEST_CASE("write_file: a whole file or none, never a temporary file left", "[read_file]") {
    const std::string dir = temp_dir();
    const std::string path = dir + "/out.ics";
    REQUIRE(detail::write_file(path, "first\n").has_value());
    REQUIRE(detail::write_file(path, "second\n").has_value());  // replaces it whole
    auto back = detail::read_file(path, 1 << 10, "test");
    REQUIRE(back.has_value());
    CHECK(*back == "second\n");
    // into a directory that does not exist: refused, nothing written
    auto bad = detail::write_file(dir + "/missing/out.ics", "x");
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().code == errc::io_error);
    // no PATH.tmp.PID left beside it
    std::size_t entries = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
        ++entries;
        CHECK(e.path().filename() == "out.ics");
    }
    CHECK(entries == 1);
    std::system(("rm -rf '" + dir + "'").c_str());
}
