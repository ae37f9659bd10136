// The event log: JSON Lines with a SHA-256 chain, fsync before acknowledging, flock between
// processes. parse_log / format_record are pure; event_log does the file work (an edge).
#include <vigil/event_log.hpp>

#include <boost/json.hpp>
#include <openssl/evp.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace vigil {
inline namespace v0 {

namespace json = boost::json;

namespace {

constexpr std::string_view hash_key = ",\"hash\":\"";
constexpr std::size_t tail_size = hash_key.size() + 64 + 2;  // ,"hash":"<64 hex>"}
constexpr std::size_t max_log_bytes = std::size_t{256} << 20;

std::string sys_error(const std::string& what, const std::string& path) {
    return what + " " + path + ": " + std::strerror(errno);
}

error io(const std::string& path, std::string msg) {
    return error{errc::io_error, {diagnostic{path, 0, 0, "", std::move(msg)}}};
}

error bad_record(errc code, std::string_view source, std::size_t line, std::string msg) {
    return error{code, {diagnostic{std::string(source), static_cast<int>(line), 0, "",
                                   "record " + std::to_string(line) + ": " + std::move(msg)}}};
}

bool is_hex64(std::string_view s) {
    if (s.size() != 64) return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

// Verify one complete line as record `seq` following `prev`; an error message or the record.
std::string check_line(std::string_view line, std::uint64_t seq, const std::string& prev, log_record& out) {
    if (line.size() < tail_size + 2 || line.substr(line.size() - tail_size, hash_key.size()) != hash_key ||
        line.substr(line.size() - 2) != "\"}")
        return "not a record: expected a JSON object ending in ,\"hash\":\"<sha-256>\"}";
    const std::string_view body = line.substr(0, line.size() - tail_size);
    const std::string_view hash = line.substr(line.size() - tail_size + hash_key.size(), 64);
    if (!is_hex64(hash)) return "the hash is not 64 lower-case hex digits";
    if (sha256_hex(body) != hash) return "its hash does not match its contents (the record was changed)";
    boost::system::error_code ec;
    json::value v = json::parse(std::string(body) + "}", ec);
    if (ec || !v.is_object()) return "its contents are not a JSON object";
    const auto& o = v.get_object();
    if (o.size() != 6) return "expected exactly the fields seq, time, actor, event, payload, prev";
    const auto* s = o.if_contains("seq");
    const auto* t = o.if_contains("time");
    const auto* a = o.if_contains("actor");
    const auto* e = o.if_contains("event");
    const auto* p = o.if_contains("payload");
    const auto* pr = o.if_contains("prev");
    if (!s || !t || !a || !e || !p || !pr) return "expected exactly the fields seq, time, actor, event, payload, prev";
    std::uint64_t got_seq = 0;
    if (s->is_uint64()) got_seq = s->get_uint64();
    else if (s->is_int64() && s->get_int64() > 0) got_seq = static_cast<std::uint64_t>(s->get_int64());
    else return "seq is not a positive integer";
    if (got_seq != seq)
        return "expected sequence number " + std::to_string(seq) + ", found " + std::to_string(got_seq) +
               " (a record was deleted, inserted or moved)";
    if (!pr->is_string() || pr->get_string() != prev)
        return "its prev hash does not match the previous record (a record was deleted, inserted, moved or changed)";
    if (!t->is_string() || !e->is_string() || !p->is_object() || !a->is_object())
        return "time and event must be strings, actor and payload objects";
    const auto& ao = a->get_object();
    const auto* au = ao.if_contains("unit");
    const auto* ar = ao.if_contains("role");
    if (ao.size() != 2 || !au || !ar || !au->is_string() || !ar->is_string())
        return "actor must be {\"unit\": string, \"role\": string}";
    out.seq = seq;
    out.entry.time = std::string(t->get_string());
    out.entry.event = std::string(e->get_string());
    out.entry.actor.unit = std::string(au->get_string());
    out.entry.actor.role = std::string(ar->get_string());
    out.entry.payload = json::serialize(*p);
    out.prev = prev;
    out.hash = std::string(hash);
    return {};
}

result<std::string> read_range(int fd, const std::string& path, std::size_t from, std::size_t size) {
    std::string text(size, '\0');
    std::size_t done = 0;
    while (done < size) {
        ssize_t n = ::pread(fd, text.data() + done, size - done, static_cast<off_t>(from + done));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return io(path, sys_error("cannot read", path));
        if (n == 0) break;
        done += static_cast<std::size_t>(n);
    }
    text.resize(done);
    return text;
}

result<std::string> read_all(int fd, const std::string& path) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) return io(path, sys_error("cannot stat", path));
    if (static_cast<std::uint64_t>(st.st_size) > max_log_bytes)
        return error{errc::too_large, {diagnostic{path, 0, 0, "", "the log is larger than " +
                                                                     std::to_string(max_log_bytes) + " bytes"}}};
    return read_range(fd, path, 0, static_cast<std::size_t>(st.st_size));
}

result<void> write_all(int fd, std::string_view bytes, const std::string& path) {
    while (!bytes.empty()) {
        ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return io(path, sys_error("cannot write", path));
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return {};
}

// flock for the lifetime of the object.
class file_lock {
public:
    file_lock(int fd, int how) : fd_(fd) {
        while ((rc_ = ::flock(fd_, how)) != 0 && errno == EINTR) {}
    }
    ~file_lock() {
        if (rc_ == 0) ::flock(fd_, LOCK_UN);
    }
    bool ok() const { return rc_ == 0; }
    file_lock(const file_lock&) = delete;
    file_lock& operator=(const file_lock&) = delete;

private:
    int fd_;
    int rc_ = -1;
};

std::string dir_of(const std::string& path) {
    auto slash = path.find_last_of('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

}  // namespace

std::string sha256_hex(std::string_view bytes) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr) != 1 || len != 32)
        throw std::runtime_error("OpenSSL SHA-256 failed");  // only if libcrypto itself is broken
    static constexpr char digits[] = "0123456789abcdef";
    std::string s(64, '0');
    for (unsigned i = 0; i < 32; ++i) {
        s[2 * i] = digits[md[i] >> 4];
        s[2 * i + 1] = digits[md[i] & 15];
    }
    return s;
}

result<std::string> format_record(std::uint64_t seq, const log_entry& e, const std::string& prev) {
    std::vector<diagnostic> bad;
    auto fail = [&](std::string ptr, std::string msg) { bad.push_back(diagnostic{"<event>", 0, 0, std::move(ptr), std::move(msg)}); };
    if (e.event.empty()) fail("/event", "expected a non-empty event name");
    if (e.time.empty()) fail("/time", "expected the event's time (ISO 8601 with an offset)");
    if (e.actor.unit.empty()) fail("/actor/unit", "expected the unit that fires the event");
    if (!is_hex64(prev)) fail("/prev", "expected the previous record's hash (64 hex digits)");
    boost::system::error_code ec;
    json::value payload = json::parse(e.payload.empty() ? std::string_view("{}") : std::string_view(e.payload), ec);
    if (ec) fail("/payload", "expected a JSON object: " + ec.message());
    else if (!payload.is_object()) fail("/payload", "expected a JSON object, found another JSON value");
    if (!bad.empty()) return error{errc::invalid_input, std::move(bad)};
    std::string line = "{\"seq\":" + std::to_string(seq) + ",\"time\":" + json::serialize(json::string(e.time)) +
                       ",\"actor\":{\"unit\":" + json::serialize(json::string(e.actor.unit)) +
                       ",\"role\":" + json::serialize(json::string(e.actor.role)) +
                       "},\"event\":" + json::serialize(json::string(e.event)) +
                       ",\"payload\":" + json::serialize(payload) + ",\"prev\":\"" + prev + "\"";
    std::string hash = sha256_hex(line);
    line += hash_key;
    line += hash;
    line += "\"}";
    return line;
}

namespace {

// Verify `text` as the records from `seq` on, chained to `prev`; `base` is the offset of `text`
// in the file (good_bytes counts from the file's start).
result<log_contents> parse_from(std::string_view text, std::string_view source, std::uint64_t seq, std::string prev,
                                std::size_t base) {
    log_contents out;
    out.good_bytes = base;
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto nl = text.find('\n', pos);
        if (nl == std::string_view::npos) {
            // A last line without its newline: the write of an unacknowledged record was cut.
            out.warnings.push_back(std::string(source) + ": record " + std::to_string(seq) + " is torn (" +
                                   std::to_string(text.size() - pos) +
                                   " bytes without a final newline: a write interrupted by a crash); it was never "
                                   "acknowledged and is cut off");
            break;
        }
        log_record r;
        std::string why = check_line(text.substr(pos, nl - pos), seq, prev, r);
        if (!why.empty()) return bad_record(errc::tampered, source, seq, "the chain is broken here: " + why);
        prev = r.hash;
        out.records.push_back(std::move(r));
        pos = nl + 1;
        out.good_bytes = base + pos;
        ++seq;
    }
    return out;
}


}  // namespace

result<log_contents> parse_log(std::string_view text, std::string_view source) {
    return parse_from(text, source, 1, zero_hash, 0);
}

// ------------------------------------------------------------------------------------ the file

event_log::event_log(event_log&& o) noexcept
    : path_(std::move(o.path_)), fd_(o.fd_), end_(o.end_), last_line_(std::move(o.last_line_)),
      records_(std::move(o.records_)), warnings_(std::move(o.warnings_)) {
    o.fd_ = -1;
}

event_log& event_log::operator=(event_log&& o) noexcept {
    if (this != &o) {
        if (fd_ >= 0) ::close(fd_);
        path_ = std::move(o.path_);
        fd_ = o.fd_;
        end_ = o.end_;
        last_line_ = std::move(o.last_line_);
        records_ = std::move(o.records_);
        warnings_ = std::move(o.warnings_);
        o.fd_ = -1;
    }
    return *this;
}

event_log::~event_log() {
    if (fd_ >= 0) ::close(fd_);
}

const std::string& event_log::head() const noexcept { return records_.empty() ? zero_hash : records_.back().hash; }

result<event_log> event_log::create(const std::string& path, const log_entry& first) {
    auto line = format_record(1, first, zero_hash);
    if (!line) return line.error();
    *line += '\n';
    const std::string tmp = path + ".new." + std::to_string(::getpid());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) return io(path, sys_error("cannot create", tmp));
    auto w = write_all(fd, *line, tmp);
    bool synced = w && ::fsync(fd) == 0;
    ::close(fd);
    if (!synced) {
        ::unlink(tmp.c_str());
        return w ? io(path, sys_error("cannot sync", tmp)) : w.error();
    }
    // link(2) refuses an existing target: the log appears whole, and never over another one.
    if (::link(tmp.c_str(), path.c_str()) != 0) {
        auto msg = errno == EEXIST ? "the log already exists; refusing to overwrite it" : sys_error("cannot create", path);
        ::unlink(tmp.c_str());
        return io(path, msg);
    }
    ::unlink(tmp.c_str());
    int dfd = ::open(dir_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
    return open(path);
}

result<event_log> event_log::open(const std::string& path) {
    event_log log;
    log.path_ = path;
    log.fd_ = ::open(path.c_str(), O_RDWR | O_APPEND | O_CLOEXEC);
    if (log.fd_ < 0) return io(path, sys_error("cannot open", path));
    file_lock lock(log.fd_, LOCK_EX);
    if (!lock.ok()) return io(path, sys_error("cannot lock", path));
    if (auto r = log.catch_up(); !r) return r.error();
    return log;
}

result<log_contents> event_log::read(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return io(path, sys_error("cannot open", path));
    result<std::string> text = [&]() -> result<std::string> {
        file_lock lock(fd, LOCK_SH);
        if (!lock.ok()) return io(path, sys_error("cannot lock", path));
        return read_all(fd, path);
    }();
    ::close(fd);
    if (!text) return text.error();
    auto c = parse_log(*text, path);
    if (c && c->records.empty())
        return bad_record(errc::tampered, path, 1, "the log has no complete record (the first record is the incident's opening)");
    return c;
}

result<void> event_log::catch_up() {
    // Incremental: with a verified prefix [0, end_) whose last line is last_line_, read only that
    // line and the bytes after it. A file that shrank, or whose last verified line changed, is
    // read and verified whole (refused as tampering, naming the first bad record).
    if (end_ > 0 && !last_line_.empty() && last_line_.size() <= end_) {
        struct stat st {};
        if (::fstat(fd_, &st) != 0) return io(path_, sys_error("cannot stat", path_));
        const auto size = static_cast<std::uint64_t>(st.st_size);
        if (size >= end_) {
            if (size > max_log_bytes)
                return error{errc::too_large, {diagnostic{path_, 0, 0, "", "the log is larger than " +
                                                                             std::to_string(max_log_bytes) + " bytes"}}};
            const std::size_t from = static_cast<std::size_t>(end_) - last_line_.size();
            auto text = read_range(fd_, path_, from, static_cast<std::size_t>(size) - from);
            if (!text) return text.error();
            if (text->size() >= last_line_.size() && text->compare(0, last_line_.size(), last_line_) == 0)
                return take_new(std::string_view(*text).substr(last_line_.size()));
        }
    }
    return catch_up_full();
}

result<void> event_log::take_new(std::string_view fresh) {
    if (fresh.empty()) return {};
    auto c = parse_from(fresh, path_, records_.size() + 1, head(), static_cast<std::size_t>(end_));
    if (!c) return c.error();
    if (c->good_bytes < end_ + fresh.size()) {
        // Only a writer holding the exclusive lock gets here, so no append is in flight.
        if (::ftruncate(fd_, static_cast<off_t>(c->good_bytes)) != 0 || ::fsync(fd_) != 0)
            return io(path_, sys_error("cannot cut the torn tail of", path_));
        for (auto& w : c->warnings) warnings_.push_back(std::move(w));
    }
    if (!c->records.empty()) {
        const std::size_t last_nl = fresh.rfind('\n', c->good_bytes - end_ - 1 - 1);
        const std::size_t start = last_nl == std::string_view::npos ? 0 : last_nl + 1;
        last_line_ = std::string(fresh.substr(start, c->good_bytes - end_ - start));
    }
    end_ = c->good_bytes;
    for (auto& r : c->records) records_.push_back(std::move(r));
    return {};
}

result<void> event_log::catch_up_full() {
    auto text = read_all(fd_, path_);
    if (!text) return text.error();
    if (text->size() < end_)
        return bad_record(errc::tampered, path_, records_.size(),
                          "the log is shorter than when it was last read (records were removed)");
    auto c = parse_log(*text, path_);
    if (!c) return c.error();
    for (std::size_t i = 0; i < records_.size(); ++i)
        if (i >= c->records.size() || c->records[i].hash != records_[i].hash)
            return bad_record(errc::tampered, path_, i + 1, "the record changed since it was last read");
    if (c->records.empty())
        return bad_record(errc::tampered, path_, 1, "the log has no complete record (the first record is the incident's opening)");
    if (c->good_bytes < text->size()) {
        // Only a writer holding the exclusive lock gets here, so no append is in flight.
        if (::ftruncate(fd_, static_cast<off_t>(c->good_bytes)) != 0 || ::fsync(fd_) != 0)
            return io(path_, sys_error("cannot cut the torn tail of", path_));
        for (auto& w : c->warnings) warnings_.push_back(std::move(w));
    }
    end_ = c->good_bytes;
    records_ = std::move(c->records);
    remember_last_line(*text);
    return {};
}

void event_log::remember_last_line(std::string_view text) {
    // The bytes of the last verified line, newline included: what catch_up compares next time.
    last_line_.clear();
    if (end_ == 0 || end_ > text.size()) return;
    const std::size_t e = static_cast<std::size_t>(end_);
    const std::size_t prev_nl = e >= 2 ? text.rfind('\n', e - 2) : std::string_view::npos;
    const std::size_t start = prev_nl == std::string_view::npos ? 0 : prev_nl + 1;
    last_line_ = std::string(text.substr(start, e - start));
}

result<void> event_log::refresh() {
    file_lock lock(fd_, LOCK_SH);
    if (!lock.ok()) return io(path_, sys_error("cannot lock", path_));
    auto text = read_all(fd_, path_);
    if (!text) return text.error();
    auto c = parse_log(*text, path_);
    if (!c) return c.error();
    for (std::size_t i = 0; i < records_.size(); ++i)
        if (i >= c->records.size() || c->records[i].hash != records_[i].hash)
            return bad_record(errc::tampered, path_, i + 1, "the record changed since it was last read");
    end_ = c->good_bytes;
    records_ = std::move(c->records);
    remember_last_line(*text);
    return {};
}

result<log_record> event_log::append(const log_entry& e, const check_fn& check) {
    if (fd_ < 0) return io(path_, "the log is not open");
    file_lock lock(fd_, LOCK_EX);
    if (!lock.ok()) return io(path_, sys_error("cannot lock", path_));
    if (auto r = catch_up(); !r) return r.error();
    if (check)
        if (auto r = check(records_, e); !r) return r.error();
    const std::uint64_t seq = records_.size() + 1;
    auto line = format_record(seq, e, head());
    if (!line) return line.error();
    log_record rec;
    if (auto why = check_line(*line, seq, head(), rec); !why.empty())
        return error{errc::invalid_input, "the event cannot be stored: " + why};
    *line += '\n';
    if (auto w = write_all(fd_, *line, path_); !w) {
        // Take back a partial write so the file ends on a record again.
        (void)::ftruncate(fd_, static_cast<off_t>(end_));
        return w.error();
    }
    if (::fsync(fd_) != 0) {
        (void)::ftruncate(fd_, static_cast<off_t>(end_));
        return io(path_, sys_error("cannot sync", path_));
    }
    end_ += line->size();
    last_line_ = std::move(*line);
    records_.push_back(rec);
    return rec;
}

}  // namespace v0
}  // namespace vigil
