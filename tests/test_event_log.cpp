// The event log: chain, tamper detection (table tests/data/event_log_tamper.csv), torn tails,
// two writers, and kill -9 at random moments.
#include <vigil/event_log.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

using namespace vigil;

namespace {

std::string temp_dir() {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/vigil-log-XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    REQUIRE(::mkdtemp(buf.data()) != nullptr);
    return std::string(buf.data());
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void spit(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
}

log_entry entry(int i, std::string event = "note") {
    return log_entry{"2026-03-02T09:" + std::string(i < 10 ? "0" : "") + std::to_string(i % 60) + ":00+08:00",
                     actor{"区市场监管局", "局长"}, std::move(event),
                     "{\"i\":" + std::to_string(i) + ",\"text\":\"第" + std::to_string(i) + "条\"}"};
}

// The text of a log of n records built with format_record.
std::vector<std::string> build_lines(int n) {
    std::vector<std::string> lines;
    std::string prev = zero_hash;
    for (int i = 1; i <= n; ++i) {
        auto line = format_record(static_cast<std::uint64_t>(i), entry(i), prev);
        REQUIRE(line.has_value());
        prev = sha256_hex(std::string_view(*line).substr(0, line->size() - 75));
        lines.push_back(*line);
    }
    return lines;
}

std::string join(const std::vector<std::string>& lines) {
    std::string s;
    for (const auto& l : lines) s += l + '\n';
    return s;
}

std::vector<std::string> split_csv(const std::string& line) {
    std::vector<std::string> out;
    std::string cell;
    std::istringstream in(line);
    while (std::getline(in, cell, ',')) out.push_back(cell);
    if (!line.empty() && line.back() == ',') out.push_back("");
    return out;
}

// Change a record's payload text ("第k条" -> "第k条!") keeping it valid JSON.
std::string edited(const std::string& line) {
    auto pos = line.find("条\"");
    REQUIRE(pos != std::string::npos);
    std::string s = line;
    s.insert(pos + std::string("条").size(), "!");
    return s;
}

std::string rehashed(const std::string& line) {
    std::string body = line.substr(0, line.size() - 75);
    return body + ",\"hash\":\"" + sha256_hex(body) + "\"}";
}

}  // namespace

TEST_CASE("format_record and parse_log agree, the chain links records", "[event_log]") {
    auto lines = build_lines(4);
    auto c = parse_log(join(lines));
    REQUIRE(c.has_value());
    REQUIRE(c->records.size() == 4);
    CHECK(c->warnings.empty());
    CHECK(c->records[0].prev == zero_hash);
    for (std::size_t i = 1; i < 4; ++i) CHECK(c->records[i].prev == c->records[i - 1].hash);
    CHECK(c->records[2].seq == 3);
    CHECK(c->records[2].entry.actor.unit == "区市场监管局");
    CHECK(c->records[2].entry.payload == "{\"i\":3,\"text\":\"第3条\"}");
    // The same entries give the same bytes: the chain is deterministic.
    CHECK(join(build_lines(4)) == join(lines));
}

TEST_CASE("format_record refuses a bad entry with where and what", "[event_log]") {
    auto e = entry(1);
    e.payload = "[1,2]";
    auto r = format_record(1, e, zero_hash);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == errc::invalid_input);
    CHECK(r.error().message().find("/payload") != std::string::npos);
    e = entry(1);
    e.actor.unit.clear();
    e.event.clear();
    r = format_record(1, e, zero_hash);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().diagnostics.size() == 2);
}

TEST_CASE("tamper table: every change is found at the first bad record", "[event_log][tamper]") {
    std::ifstream in(std::string(VIGIL_TEST_DATA) + "/event_log_tamper.csv");
    REQUIRE(in.good());
    std::string line;
    bool header = true;
    int rows = 0;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        if (header) {
            header = false;
            continue;
        }
        auto cells = split_csv(line);
        REQUIRE(cells.size() == 4);
        const std::string change = cells[0];
        const int k = std::stoi(cells[1]);
        const std::string expect = cells[3];
        auto lines = build_lines(5);
        const auto original = parse_log(join(lines));
        REQUIRE(original.has_value());
        std::string text;
        auto& l = lines[static_cast<std::size_t>(k - 1)];
        if (change == "edit") l = edited(l);
        else if (change == "edit_rehash") l = rehashed(edited(l));
        else if (change == "delete") lines.erase(lines.begin() + (k - 1));
        else if (change == "reorder") std::swap(lines[static_cast<std::size_t>(k - 1)], lines[static_cast<std::size_t>(k)]);
        else if (change == "duplicate") lines.insert(lines.begin() + k, lines[static_cast<std::size_t>(k - 1)]);
        else if (change != "tear") FAIL("unknown change " << change);
        text = join(lines);
        if (change == "tear") {
            const int arg = std::stoi(cells[2]);
            text = join(std::vector<std::string>(lines.begin(), lines.end() - 1)) +
                   (arg < 0 ? lines.back() : lines.back().substr(0, static_cast<std::size_t>(arg)));
        }
        INFO(line);
        auto c = parse_log(text, "log.jsonl");
        if (expect.rfind("tampered@", 0) == 0) {
            REQUIRE_FALSE(c.has_value());
            CHECK(c.error().code == errc::tampered);
            const std::string n = expect.substr(9);
            CHECK(c.error().message().find("record " + n + ":") != std::string::npos);
            CHECK(c.error().diagnostics.at(0).line == std::stoi(n));
        } else if (expect == "torn") {
            REQUIRE(c.has_value());
            CHECK(c->records.size() == 4);
            REQUIRE(c->warnings.size() == 1);
            CHECK(c->warnings[0].find("record 5 is torn") != std::string::npos);
            CHECK(c->good_bytes == join(std::vector<std::string>(lines.begin(), lines.end() - 1)).size());
        } else if (expect == "undetected") {
            // The chain holds, but the head hash differs from the one kept elsewhere.
            REQUIRE(c.has_value());
            CHECK(c->warnings.empty());
            CHECK(c->records.back().hash != original->records.back().hash);
        } else {
            FAIL("unknown expectation " << expect);
        }
        ++rows;
    }
    CHECK(rows >= 15);
}

TEST_CASE("a log file: create, append, reopen, refuse to overwrite, cut a torn tail", "[event_log]") {
    const std::string dir = temp_dir();
    const std::string path = dir + "/incident.jsonl";
    {
        auto log = event_log::create(path, entry(0, "open"));
        REQUIRE(log.has_value());
        CHECK(log->records().size() == 1);
        for (int i = 1; i <= 3; ++i) REQUIRE(log->append(entry(i)).has_value());
        CHECK(log->records().back().seq == 4);
    }
    auto again = event_log::create(path, entry(0, "open"));
    REQUIRE_FALSE(again.has_value());
    CHECK(again.error().code == errc::io_error);
    CHECK(again.error().message().find("already exists") != std::string::npos);

    // A refused check writes nothing.
    {
        auto log = event_log::open(path);
        REQUIRE(log.has_value());
        auto size = slurp(path).size();
        auto r = log->append(entry(9), [](const std::vector<log_record>& all, const log_entry&) -> result<void> {
            CHECK(all.size() == 4);
            return error{errc::refused, "not now"};
        });
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == errc::refused);
        CHECK(slurp(path).size() == size);
    }

    // A torn tail: read() reports it and leaves the file; open() cuts it with a warning.
    const std::string whole = slurp(path);
    auto extra = format_record(5, entry(5), parse_log(whole)->records.back().hash);
    REQUIRE(extra.has_value());
    spit(path, whole + extra->substr(0, 30));
    auto seen = event_log::read(path);
    REQUIRE(seen.has_value());
    CHECK(seen->records.size() == 4);
    CHECK(seen->warnings.size() == 1);
    CHECK(slurp(path).size() == whole.size() + 30);
    {
        auto log = event_log::open(path);
        REQUIRE(log.has_value());
        CHECK(log->warnings().size() == 1);
        CHECK(slurp(path) == whole);
        REQUIRE(log->append(entry(5)).has_value());
        CHECK(log->records().size() == 5);
    }
    auto fine = event_log::read(path);
    REQUIRE(fine.has_value());
    CHECK(fine->records.size() == 5);
    CHECK(fine->warnings.empty());

    // Tampering in the middle is refused by open() and read(), naming the record.
    auto text = slurp(path);
    auto at = text.find("第2条");
    REQUIRE(at != std::string::npos);
    text.replace(at, std::string("第2条").size(), "第7条");
    spit(path, text);
    auto bad = event_log::open(path);
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().code == errc::tampered);
    CHECK(bad.error().message().find("record 3:") != std::string::npos);
    CHECK_FALSE(event_log::read(path).has_value());
    std::system(("rm -rf '" + dir + "'").c_str());
}

TEST_CASE("two writers appending to one log do not corrupt it", "[event_log][concurrency]") {
    const std::string dir = temp_dir();
    const std::string path = dir + "/shared.jsonl";
    REQUIRE(event_log::create(path, entry(0, "open")).has_value());
    constexpr int writers = 4, each = 15;
    std::vector<pid_t> pids;
    for (int w = 0; w < writers; ++w) {
        pid_t pid = ::fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            auto log = event_log::open(path);
            if (!log) ::_exit(2);
            for (int i = 0; i < each; ++i) {
                log_entry e = entry(i, "w" + std::to_string(w));
                if (!log->append(e)) ::_exit(3);
            }
            ::_exit(0);
        }
        pids.push_back(pid);
    }
    for (pid_t pid : pids) {
        int status = 0;
        REQUIRE(::waitpid(pid, &status, 0) == pid);
        CHECK(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 0);
    }
    auto c = event_log::read(path);
    REQUIRE(c.has_value());
    CHECK(c->records.size() == 1 + writers * each);
    // Each writer's records are all there, in its own order.
    for (int w = 0; w < writers; ++w) {
        int next = 0;
        for (const auto& r : c->records)
            if (r.entry.event == "w" + std::to_string(w)) {
                CHECK(r.entry.payload.find("\"i\":" + std::to_string(next) + ",") != std::string::npos);
                ++next;
            }
        CHECK(next == each);
    }
    std::system(("rm -rf '" + dir + "'").c_str());
}

namespace {

// Another process appends `n` records (events "other") to the log at `path`.
void append_elsewhere(const std::string& path, int n) {
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        auto log = event_log::open(path);
        if (!log) ::_exit(2);
        for (int i = 0; i < n; ++i)
            if (!log->append(entry(40 + i, "other"))) ::_exit(3);
        ::_exit(0);
    }
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
}

// Replace the first `from` in the file by `to`, in place (same file, as an editor writing over it would).
void edit(const std::string& path, const std::string& from, const std::string& to) {
    auto text = slurp(path);
    auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
    spit(path, text);
}

}  // namespace

TEST_CASE("an append catches up with only the bytes appended since, and re-verifies a changed file",
          "[event_log][catch_up]") {
    const std::string dir = temp_dir();
    const std::string path = dir + "/incident.jsonl";
    auto log = event_log::create(path, entry(0, "open"));
    REQUIRE(log.has_value());
    for (int i = 1; i <= 3; ++i) REQUIRE(log->append(entry(i)).has_value());  // records 1..4

    SECTION("records another process appended between two appends are seen, verified and chained to") {
        append_elsewhere(path, 3);  // records 5..7
        std::size_t seen = 0;
        auto r = log->append(entry(8), [&](const std::vector<log_record>& all, const log_entry&) -> result<void> {
            seen = all.size();
            return {};
        });
        REQUIRE(r.has_value());
        CHECK(seen == 7);
        CHECK(r->seq == 8);
        REQUIRE(log->records().size() == 8);
        for (std::uint64_t s = 5; s <= 7; ++s) CHECK(log->records()[s - 1].entry.event == "other");
        CHECK(log->records()[7].prev == log->records()[6].hash);
        auto whole = event_log::read(path);
        REQUIRE(whole.has_value());
        REQUIRE(whole->records.size() == 8);
        for (std::size_t i = 0; i < 8; ++i) CHECK(whole->records[i].hash == log->records()[i].hash);
        // And again: the writer's own append is its new remembered tail.
        append_elsewhere(path, 1);
        REQUIRE(log->append(entry(10)).has_value());
        CHECK(log->records().size() == 10);
        CHECK(event_log::read(path)->records.size() == 10);
    }
    SECTION("a forged record appended by someone else is refused, naming it; nothing is written") {
        auto text = slurp(path);
        auto forged = format_record(5, entry(5), log->head());
        REQUIRE(forged.has_value());
        forged->replace(forged->find("第5条"), std::string("第5条").size(), "第6条");  // hash no longer matches
        spit(path, text + *forged + "\n");
        auto r = log->append(entry(6));
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == errc::tampered);
        CHECK(r.error().message().find("record 5:") != std::string::npos);
        CHECK(slurp(path) == text + *forged + "\n");
    }
    SECTION("a torn record left after the last one seen is cut with a warning, then the append goes on") {
        auto text = slurp(path);
        auto next = format_record(5, entry(5), log->head());
        REQUIRE(next.has_value());
        spit(path, text + next->substr(0, 40));
        auto r = log->append(entry(5));
        REQUIRE(r.has_value());
        CHECK(r->seq == 5);
        CHECK(log->warnings().size() == 1);
        auto whole = event_log::read(path);
        REQUIRE(whole.has_value());
        CHECK(whole->records.size() == 5);
        CHECK(whole->warnings.empty());
    }
    SECTION("a file that shrank is refused") {
        auto text = slurp(path);
        spit(path, text.substr(0, text.rfind('\n', text.size() - 2) + 1));  // the last record removed
        auto r = log->append(entry(5));
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == errc::tampered);
        CHECK(r.error().message().find("shorter") != std::string::npos);
    }
    SECTION("a last record replaced by another as long is refused, naming it") {
        auto text = slurp(path);
        // Record 4 rewritten with a fresh, valid hash: the file's length may stay, its bytes do not.
        auto cut = text.rfind('\n', text.size() - 2) + 1;
        auto other = format_record(4, entry(99), log->records()[2].hash);
        REQUIRE(other.has_value());
        spit(path, text.substr(0, cut) + *other + "\n");
        auto r = log->append(entry(5));
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == errc::tampered);
        CHECK(r.error().message().find("record 4:") != std::string::npos);
        CHECK(r.error().message().find("changed since it was last read") != std::string::npos);
    }
    SECTION("a past record edited so the file's bytes shift is refused, naming the first bad record") {
        edit(path, "第2条", "第2条!");
        auto r = log->append(entry(5));
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == errc::tampered);
        CHECK(r.error().message().find("record 3:") != std::string::npos);
    }
    SECTION("a past record edited in place, same length: the append does not re-read it; open and read refuse") {
        // The documented limit of the incremental check (docs/lifecycle.md): the append checks the
        // last record it saw; the edited record stays evident to every full verification.
        edit(path, "第2条", "第7条");
        auto r = log->append(entry(5));
        REQUIRE(r.has_value());
        CHECK(r->seq == 5);
        auto reopened = event_log::open(path);
        REQUIRE_FALSE(reopened.has_value());
        CHECK(reopened.error().code == errc::tampered);
        CHECK(reopened.error().message().find("record 3:") != std::string::npos);
        auto read = event_log::read(path);
        REQUIRE_FALSE(read.has_value());
        CHECK(read.error().message().find("record 3:") != std::string::npos);
    }
    std::system(("rm -rf '" + dir + "'").c_str());
}

namespace {

// Kill a writer with SIGKILL at random moments, `rounds` times; after each kill every
// acknowledged record must be there and the chain must verify.
void kill_rounds(int rounds, unsigned seed) {
    const std::string dir = temp_dir();
    const std::string path = dir + "/killed.jsonl";
    REQUIRE(event_log::create(path, entry(0, "open")).has_value());
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> delay_us(0, 40000);
    std::vector<std::pair<std::uint64_t, std::string>> acked;  // seq, payload
    std::size_t torn_seen = 0;
    for (int round = 0; round < rounds; ++round) {
        int fds[2];
        REQUIRE(::pipe(fds) == 0);
        pid_t pid = ::fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            ::close(fds[0]);
            auto log = event_log::open(path);
            if (!log) ::_exit(2);
            for (int i = 0;; ++i) {
                log_entry e{"2026-03-02T10:00:00+08:00", actor{"区指挥部", "指挥长"}, "tick",
                            "{\"round\":" + std::to_string(round) + ",\"i\":" + std::to_string(i) + "}"};
                auto r = log->append(e);
                if (!r) ::_exit(3);
                // Acknowledged: tell the parent (seq and the payload it stored).
                std::string msg = std::to_string(r->seq) + " " + r->entry.payload + "\n";
                if (::write(fds[1], msg.data(), msg.size()) != static_cast<ssize_t>(msg.size())) ::_exit(4);
            }
        }
        ::close(fds[1]);
        ::usleep(static_cast<useconds_t>(delay_us(rng)));
        ::kill(pid, SIGKILL);
        int status = 0;
        REQUIRE(::waitpid(pid, &status, 0) == pid);
        REQUIRE(WIFSIGNALED(status));  // it was still writing when killed, not failing
        std::string got;
        char buf[4096];
        for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) got.append(buf, static_cast<std::size_t>(n));
        ::close(fds[0]);
        std::istringstream lines(got);
        for (std::string l; std::getline(lines, l);) {
            auto sp = l.find(' ');
            acked.emplace_back(std::stoull(l.substr(0, sp)), l.substr(sp + 1));
        }
        auto log = event_log::open(path);  // verifies the chain, cuts a torn tail
        REQUIRE(log.has_value());
        torn_seen += log->warnings().size();
        for (const auto& [seq, payload] : acked) {
            REQUIRE(seq <= log->records().size());
            CHECK(log->records()[seq - 1].entry.payload == payload);
        }
    }
    auto c = event_log::read(path);
    REQUIRE(c.has_value());
    CHECK(c->warnings.empty());
    CHECK(acked.size() > 0);
    WARN("kill -9: " << rounds << " rounds, " << acked.size() << " acknowledged records all present, " << torn_seen
                     << " torn tails cut, final log " << c->records.size() << " records, chain verified");
    std::system(("rm -rf '" + dir + "'").c_str());
}

}  // namespace

TEST_CASE("kill -9 at random moments loses no acknowledged record (short)", "[event_log][kill9]") {
    kill_rounds(12, 20260302u);
}

// The long run: ctest -C long -L long (or: vigil_tests "[kill9-long]"); VIGIL_KILL_ROUNDS sets the rounds.
TEST_CASE("kill -9 at random moments loses no acknowledged record (long)", "[.][kill9-long]") {
    const char* env = std::getenv("VIGIL_KILL_ROUNDS");
    int rounds = env ? std::atoi(env) : 300;
    kill_rounds(rounds > 0 ? rounds : 300, static_cast<unsigned>(std::random_device{}()));
}
