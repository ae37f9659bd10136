// The event log: JSON Lines with a SHA-256 chain, fsync before acknowledging, flock between
// processes. parse_log / format_record are pure; event_log does the file work (an edge).
#include <vigil/event_log.hpp>
#include <vigil/detail/json_check.hpp>
#include <vigil/detail/read_file.hpp>

#include <boost/json.hpp>
#include <openssl/evp.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <dirent.h>
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

// Why a record or a log does not verify: a catalogue message (vigil/messages.hpp) and its
// arguments; empty when it verifies.
struct reason {
    std::string id;
    message_args args;
    bool empty() const noexcept { return id.empty(); }
};

// An input/output problem with `path`: catalogue message `id`.
error io(const std::string& path, std::string_view id, message_args args = {}) {
    return error{errc::io_error, {diagnostic::of(path, 0, 0, "", id, std::move(args))}};
}

// The system's words for errno `e`: a catalogue word when the catalogue has the system's English
// for it (so it can be said in Chinese), else the system's text as it is.
std::string errno_word(int e) {
    const std::string text = std::strerror(e);
    static constexpr std::pair<int, std::string_view> words[] = {
        {ENOENT, "errno.ENOENT"}, {EACCES, "errno.EACCES"}, {EISDIR, "errno.EISDIR"}, {ENOTDIR, "errno.ENOTDIR"},
        {ENOSPC, "errno.ENOSPC"}, {EROFS, "errno.EROFS"},   {EIO, "errno.EIO"},       {EEXIST, "errno.EEXIST"}};
    for (const auto& [code, id] : words)
        if (code == e)
            if (const auto* m = find_message(id); m && m->en == text) return std::string(id);
    return text;
}

// A system call on `name` failed (errno): "cannot read NAME: <strerror>" and the like.
error sys_io(const std::string& path, std::string_view id, const std::string& name) {
    return io(path, id, {{"file", name}, {"why", errno_word(errno)}});
}

// Record `line` of the log does not verify: "record N: <why>".
error bad_record(errc code, std::string_view source, std::size_t line, reason why) {
    message_args args = std::move(why.args);
    args.push_back({"seq", std::to_string(line)});
    args.push_back({"what", std::move(why.id)});
    return error{code, {diagnostic::of(std::string(source), static_cast<int>(line), 0, "", "log.record", std::move(args))}};
}

bool is_hex64(std::string_view s) {
    if (s.size() != 64) return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

// Verify one complete line as record `seq` following `prev`; an error message or the record.
reason check_line(std::string_view line, std::uint64_t seq, const std::string& prev, log_record& out) {
    if (line.size() < tail_size + 2 || line.substr(line.size() - tail_size, hash_key.size()) != hash_key ||
        line.substr(line.size() - 2) != "\"}")
        return {"log.not_a_record", {}};
    const std::string_view body = line.substr(0, line.size() - tail_size);
    const std::string_view hash = line.substr(line.size() - tail_size + hash_key.size(), 64);
    if (!is_hex64(hash)) return {"log.bad_hash", {}};
    if (sha256_hex(body) != hash) return {"log.hash_mismatch", {}};
    boost::system::error_code ec;
    json::value v = json::parse(std::string(body) + "}", ec);
    if (ec || !v.is_object()) return {"log.not_object", {}};
    const auto& o = v.get_object();
    if (o.size() != 6) return {"log.fields", {}};
    const auto* s = o.if_contains("seq");
    const auto* t = o.if_contains("time");
    const auto* a = o.if_contains("actor");
    const auto* e = o.if_contains("event");
    const auto* p = o.if_contains("payload");
    const auto* pr = o.if_contains("prev");
    if (!s || !t || !a || !e || !p || !pr) return {"log.fields", {}};
    std::uint64_t got_seq = 0;
    if (s->is_uint64()) got_seq = s->get_uint64();
    else if (s->is_int64() && s->get_int64() > 0) got_seq = static_cast<std::uint64_t>(s->get_int64());
    else return {"log.bad_seq", {}};
    if (got_seq != seq) return {"log.wrong_seq", {{"expected", std::to_string(seq)}, {"found", std::to_string(got_seq)}}};
    if (!pr->is_string() || pr->get_string() != prev) return {"log.prev_mismatch", {}};
    if (!t->is_string() || !e->is_string() || !p->is_object() || !a->is_object()) return {"log.field_types", {}};
    const auto& ao = a->get_object();
    const auto* au = ao.if_contains("unit");
    const auto* ar = ao.if_contains("role");
    if (ao.size() != 2 || !au || !ar || !au->is_string() || !ar->is_string())
        return {"log.bad_actor", {}};
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
        if (n < 0) return sys_io(path, "log.cannot_read", path);
        if (n == 0) break;
        done += static_cast<std::size_t>(n);
    }
    text.resize(done);
    return text;
}

result<std::string> read_all(int fd, const std::string& path) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) return sys_io(path, "log.cannot_stat", path);
    if (!S_ISREG(st.st_mode)) return io(path, "log.not_regular");
    if (::lseek(fd, 0, SEEK_SET) != 0) return sys_io(path, "log.cannot_seek", path);
    return detail::read_fd(fd, path, max_log_bytes, "event log");
}

result<void> write_all(int fd, std::string_view bytes, const std::string& path) {
    while (!bytes.empty()) {
        ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return sys_io(path, "file.cannot_write", path);
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


// Open a log file without following a symbolic link or waiting on a FIFO; only a regular file.
result<int> open_log_file(const std::string& path, int flags) {
    int fd = ::open(path.c_str(), flags | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ELOOP) return io(path, "log.symlink");
        if (errno == EISDIR) return io(path, "log.is_directory");
        return sys_io(path, "log.cannot_open", path);
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        auto e = sys_io(path, "log.cannot_stat", path);
        ::close(fd);
        return e;
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        return io(path, S_ISDIR(st.st_mode) ? "log.is_directory" : "log.not_regular_kind");
    }
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return fd;
}

void sync_dir(const std::string& path) {
    int dfd = ::open(dir_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
}

// ---- the acknowledgement mark: LOG.ack, two 128-byte slots written alternately (record seq in
// slot seq % 2), each "vigil-ack 1 SEQ END HASH CHECK" padded with spaces, CHECK the first 16 hex
// digits of the SHA-256 of what precedes it. A slot torn by a crash fails its check and the other
// slot (the record before) is taken: the mark never says more than was synced.
struct ack_mark {
    std::uint64_t seq = 0;
    std::uint64_t end = 0;
    std::string hash;
};
constexpr std::size_t slot_size = 128;

std::string format_slot(const ack_mark& m) {
    std::string body = "vigil-ack 1 " + std::to_string(m.seq) + " " + std::to_string(m.end) + " " + m.hash;
    std::string s = body + " " + sha256_hex(body).substr(0, 16);
    s.resize(slot_size - 1, ' ');
    return s + '\n';
}

std::optional<ack_mark> parse_slot(std::string_view s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\0')) s.remove_suffix(1);
    auto sp = s.rfind(' ');
    if (sp == std::string_view::npos) return std::nullopt;
    std::string_view body = s.substr(0, sp), check = s.substr(sp + 1);
    if (check.size() != 16 || sha256_hex(body).substr(0, 16) != check) return std::nullopt;
    constexpr std::string_view magic = "vigil-ack 1 ";
    if (body.substr(0, magic.size()) != magic) return std::nullopt;
    body.remove_prefix(magic.size());
    ack_mark m;
    std::size_t a = body.find(' '), b = a == std::string_view::npos ? a : body.find(' ', a + 1);
    if (b == std::string_view::npos) return std::nullopt;
    try {
        m.seq = std::stoull(std::string(body.substr(0, a)));
        m.end = std::stoull(std::string(body.substr(a + 1, b - a - 1)));
    } catch (...) {
        return std::nullopt;
    }
    m.hash = std::string(body.substr(b + 1));
    if (!is_hex64(m.hash) || m.seq == 0) return std::nullopt;
    return m;
}

// The mark a file holds: the valid slot with the higher seq; none when neither is valid.
std::optional<ack_mark> read_mark(int fd) {
    char buf[2 * slot_size];
    ssize_t n;
    while ((n = ::pread(fd, buf, sizeof buf, 0)) < 0 && errno == EINTR) {}
    if (n <= 0) return std::nullopt;
    std::optional<ack_mark> best;
    for (std::size_t k = 0; k < 2; ++k) {
        if (static_cast<std::size_t>(n) < (k + 1) * slot_size) break;
        auto m = parse_slot(std::string_view(buf + k * slot_size, slot_size));
        if (m && (!best || m->seq > best->seq)) best = m;
    }
    return best;
}

result<void> write_mark(int fd, const ack_mark& m, bool both, const std::string& path) {
    const std::string slot = format_slot(m);
    for (std::size_t k = 0; k < 2; ++k) {
        if (!both && k != m.seq % 2) continue;
        std::size_t done = 0;
        while (done < slot.size()) {
            ssize_t n = ::pwrite(fd, slot.data() + done, slot.size() - done, static_cast<off_t>(k * slot_size + done));
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) return sys_io(path, "log.cannot_write_mark", path);
            done += static_cast<std::size_t>(n);
        }
    }
    if (::fsync(fd) != 0) return sys_io(path, "log.cannot_sync_mark", path);
    return {};
}

// The mark's file beside a log: opened (created 0600 when `create`), never through a link.
int open_mark(const std::string& log_path, bool create) {
    const std::string p = event_log::mark_path(log_path);
    int fd = ::open(p.c_str(), (create ? O_RDWR | O_CREAT : O_RDONLY) | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600);
    if (fd < 0) return -1;
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// Acknowledged bytes missing from a verified log: the message saying so, or empty. `hash_at(k)`
// is the hash of record k (1-based, k <= count).
template <class HashAt>
reason missing_acknowledged(const ack_mark& m, std::size_t count, std::uint64_t good, std::uint64_t size,
                            const HashAt& hash_at, const std::string& path) {
    message_args mark{{"mark", event_log::mark_path(path)}, {"acked", std::to_string(m.seq)}, {"acked_bytes", std::to_string(m.end)}};
    if (m.seq > count || m.end > good) {
        mark.push_back({"count", std::to_string(count)});
        mark.push_back({"good", std::to_string(good)});
        mark.push_back({"partial", size > good ? "log.ack_partial" : ""});
        mark.push_back({"tail", std::to_string(size - good)});
        mark.push_back({"next", std::to_string(count + 1)});
        return {"log.ack_missing", std::move(mark)};
    }
    if (hash_at(m.seq) != m.hash) return {"log.ack_rewritten", std::move(mark)};
    return {};
}

// Move bytes [from, size) of a log aside to LOG.torn-SEQ (or LOG.torn-SEQ.K when taken), synced,
// then cut them from the log. Returns the file's name.
result<std::string> set_aside(int fd, const std::string& path, std::uint64_t from, std::uint64_t size, std::uint64_t seq) {
    auto bytes = read_range(fd, path, static_cast<std::size_t>(from), static_cast<std::size_t>(size - from));
    if (!bytes) return bytes.error();
    std::string name;
    int out = -1;
    for (int k = 1; k < 1000 && out < 0; ++k) {
        name = path + ".torn-" + std::to_string(seq) + (k > 1 ? "." + std::to_string(k) : "");
        out = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (out < 0 && errno != EEXIST) return sys_io(path, "log.cannot_create", name);
    }
    if (out < 0) return io(path, "log.no_free_name", {{"name", path + ".torn-" + std::to_string(seq)}});
    auto w = write_all(out, *bytes, name);
    const bool synced = w && ::fsync(out) == 0;
    ::close(out);
    if (!synced) return w ? sys_io(path, "log.cannot_sync", name) : w.error();
    sync_dir(path);
    if (::ftruncate(fd, static_cast<off_t>(from)) != 0 || ::fsync(fd) != 0)
        return sys_io(path, "log.cannot_cut", path);
    return name;
}

// `then`: "log.torn_left" (not touched; names where the next append moves it) or "log.torn_moved".
diagnostic torn_warning(const std::string& path, std::uint64_t seq, std::uint64_t bytes, bool marked, std::string_view then,
                        const std::string& aside) {
    return diagnostic::of(path, 0, 0, "", "log.torn",
                          {{"seq", std::to_string(seq)},
                           {"bytes", std::to_string(bytes)},
                           {"mark", marked ? "log.torn_marked" : "log.torn_unmarked"},
                           {"then", std::string(then)},
                           {"aside", aside}});
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
    auto fail = [&](std::string ptr, std::string_view id, message_args args = {}) {
        bad.push_back(diagnostic::of("<event>", 0, 0, std::move(ptr), id, std::move(args)));
    };
    if (e.event.empty()) fail("/event", "log.event_no_name");
    if (e.time.empty()) fail("/time", "log.event_no_time");
    if (e.actor.unit.empty()) fail("/actor/unit", "log.event_no_unit");
    if (!is_hex64(prev)) fail("/prev", "log.event_bad_prev");
    boost::system::error_code ec;
    json::value payload = json::parse(e.payload.empty() ? std::string_view("{}") : std::string_view(e.payload), ec);
    if (ec) fail("/payload", "log.payload_not_json", detail::json_error_args(ec));
    else if (!payload.is_object()) fail("/payload", "log.payload_not_object");
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
            // A last line without its newline: a write cut by a crash, or a cut file (the log's
            // mark tells which, see event_log).
            out.torn_bytes = text.size() - pos;
            out.warnings.push_back(diagnostic::of(std::string(source), 0, 0, "", "log.torn_read",
                                                  {{"seq", std::to_string(seq)}, {"bytes", std::to_string(text.size() - pos)}}));
            break;
        }
        log_record r;
        reason why = check_line(text.substr(pos, nl - pos), seq, prev, r);
        if (!why.empty()) {
            why.args.push_back({"why", why.id});
            return bad_record(errc::tampered, source, seq, {"log.chain_broken", std::move(why.args)});
        }
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
    : path_(std::move(o.path_)), fd_(o.fd_), ack_fd_(o.ack_fd_), marked_(o.marked_), end_(o.end_),
      last_line_(std::move(o.last_line_)), records_(std::move(o.records_)), warnings_(std::move(o.warnings_)) {
    o.fd_ = -1;
    o.ack_fd_ = -1;
}

event_log& event_log::operator=(event_log&& o) noexcept {
    if (this != &o) {
        if (fd_ >= 0) ::close(fd_);
        if (ack_fd_ >= 0) ::close(ack_fd_);
        path_ = std::move(o.path_);
        fd_ = o.fd_;
        ack_fd_ = o.ack_fd_;
        marked_ = o.marked_;
        end_ = o.end_;
        last_line_ = std::move(o.last_line_);
        records_ = std::move(o.records_);
        warnings_ = std::move(o.warnings_);
        o.fd_ = -1;
        o.ack_fd_ = -1;
    }
    return *this;
}

event_log::~event_log() {
    if (fd_ >= 0) ::close(fd_);
    if (ack_fd_ >= 0) ::close(ack_fd_);
}

const std::string& event_log::head() const noexcept { return records_.empty() ? zero_hash : records_.back().hash; }

namespace {

// A file written whole before it has a name: O_TMPFILE in the log's directory, synced, then
// linked (link refuses an existing name). Where O_TMPFILE is not supported, a named temporary
// PATH.new.PID is used and the ones left by a killed process (no such PID) are removed first.
result<void> create_whole(const std::string& path, std::string_view bytes, unsigned mode) {
    int fd = ::open(dir_of(path).c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, static_cast<mode_t>(mode));
    std::string tmp;
    if (fd < 0) {
        const std::string dir = dir_of(path);
        const std::string base = path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
        if (DIR* d = ::opendir(dir.c_str())) {
            const std::string prefix = base + ".new.";
            while (const dirent* ent = ::readdir(d)) {
                std::string_view n = ent->d_name;
                if (n.substr(0, prefix.size()) != prefix) continue;
                std::string_view pid = n.substr(prefix.size());
                if (pid.empty() || pid.find_first_not_of("0123456789") != std::string_view::npos || pid.size() > 9) continue;
                if (::kill(static_cast<pid_t>(std::stol(std::string(pid))), 0) != 0 && errno == ESRCH)
                    ::unlink((dir + "/" + std::string(n)).c_str());
            }
            ::closedir(d);
        }
        tmp = path + ".new." + std::to_string(::getpid());
        fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, static_cast<mode_t>(mode));
        if (fd < 0) return sys_io(path, "log.cannot_create", tmp);
    }
    auto w = write_all(fd, bytes, path);
    const bool synced = w && ::fsync(fd) == 0;
    if (!synced) {
        ::close(fd);
        if (!tmp.empty()) ::unlink(tmp.c_str());
        return w ? sys_io(path, "log.cannot_sync", path) : w.error();
    }
    int rc;
    if (tmp.empty()) {
        const std::string self = "/proc/self/fd/" + std::to_string(fd);
        rc = ::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, path.c_str(), AT_SYMLINK_FOLLOW);
    } else {
        rc = ::link(tmp.c_str(), path.c_str());
    }
    const int link_errno = errno;
    ::close(fd);
    if (!tmp.empty()) ::unlink(tmp.c_str());
    if (rc != 0) {
        errno = link_errno;
        return errno == EEXIST ? io(path, "log.exists") : sys_io(path, "log.cannot_create", path);
    }
    sync_dir(path);
    return {};
}

}  // namespace

result<event_log> event_log::create(const std::string& path, const log_entry& first, unsigned mode) {
    auto line = format_record(1, first, zero_hash);
    if (!line) return line.error();
    *line += '\n';
    // A mark left beside a log that is gone (a kill between the two) must not outlive it.
    if (auto w = create_whole(path, *line, mode); !w) return w.error();
    int afd = ::open(mark_path(path).c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, static_cast<mode_t>(mode));
    if (afd < 0) return sys_io(path, "log.cannot_create", mark_path(path));
    auto hash = sha256_hex(std::string_view(*line).substr(0, line->size() - 1 - tail_size));
    auto m = write_mark(afd, ack_mark{1, line->size(), hash}, true, mark_path(path));
    ::close(afd);
    if (!m) return m.error();
    sync_dir(path);
    return open(path);
}

result<event_log> event_log::open(const std::string& path) {
    event_log log;
    log.path_ = path;
    auto fd = open_log_file(path, O_RDWR | O_APPEND);
    if (!fd) return fd.error();
    log.fd_ = *fd;
    file_lock lock(log.fd_, LOCK_EX);
    if (!lock.ok()) return sys_io(path, "log.cannot_lock", path);
    log.ack_fd_ = open_mark(path, true);
    if (log.ack_fd_ < 0) return sys_io(path, "log.cannot_open_mark", mark_path(path));
    if (auto r = log.catch_up(); !r) return r.error();
    return log;
}

result<log_contents> event_log::read(const std::string& path) {
    auto fd = open_log_file(path, O_RDONLY);
    if (!fd) return fd.error();
    std::optional<ack_mark> mark;
    result<std::string> text = [&]() -> result<std::string> {
        file_lock lock(*fd, LOCK_SH);
        if (!lock.ok()) return sys_io(path, "log.cannot_lock", path);
        if (int afd = open_mark(path, false); afd >= 0) {
            mark = read_mark(afd);
            ::close(afd);
        }
        return read_all(*fd, path);
    }();
    ::close(*fd);
    if (!text) return text.error();
    auto c = parse_log(*text, path);
    if (!c) return c;
    if (mark) {
        auto why = missing_acknowledged(*mark, c->records.size(), c->good_bytes, text->size(),
                                        [&](std::uint64_t k) { return c->records[k - 1].hash; }, path);
        if (!why.empty()) return bad_record(errc::tampered, path, std::min<std::uint64_t>(mark->seq, c->records.size() + 1), why);
    }
    if (c->records.empty())
        return bad_record(errc::tampered, path, 1, {"log.no_record", {}});
    if (c->torn_bytes > 0) {
        c->warnings.clear();
        c->warnings.push_back(torn_warning(path, c->records.size() + 1, c->torn_bytes, mark.has_value(), "log.torn_left",
                                           path + ".torn-" + std::to_string(c->records.size() + 1)));
    }
    return c;
}

result<void> event_log::catch_up() {
    // Incremental: with a verified prefix [0, end_) whose last line is last_line_, read only that
    // line and the bytes after it. A file that shrank, or whose last verified line changed, is
    // read and verified whole (refused as tampering, naming the first bad record).
    if (end_ > 0 && !last_line_.empty() && last_line_.size() <= end_) {
        struct stat st {};
        if (::fstat(fd_, &st) != 0) return sys_io(path_, "log.cannot_stat", path_);
        const auto size = static_cast<std::uint64_t>(st.st_size);
        if (size >= end_) {
            if (size > max_log_bytes)
                return error{errc::too_large, {diagnostic::of(path_, 0, 0, "", "log.too_large", {{"max", std::to_string(max_log_bytes)}})}};
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
    auto c = parse_from(fresh, path_, records_.size() + 1, head(), static_cast<std::size_t>(end_));
    if (!c) return c.error();
    const std::size_t count = records_.size() + c->records.size();
    if (auto m = read_mark(ack_fd_)) {
        auto hash_at = [&](std::uint64_t k) -> const std::string& {
            return k <= records_.size() ? records_[k - 1].hash : c->records[k - 1 - records_.size()].hash;
        };
        auto why = missing_acknowledged(*m, count, c->good_bytes, end_ + fresh.size(), hash_at, path_);
        if (!why.empty()) return bad_record(errc::tampered, path_, std::min<std::uint64_t>(m->seq, count + 1), why);
        marked_ = m->seq;
    }
    if (c->torn_bytes > 0) {
        // Only a writer holding the exclusive lock gets here, so no append is in flight.
        auto aside = set_aside(fd_, path_, c->good_bytes, end_ + fresh.size(), count + 1);
        if (!aside) return aside.error();
        warnings_.push_back(torn_warning(path_, count + 1, c->torn_bytes, marked_ > 0, "log.torn_moved", *aside));
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
        return bad_record(errc::tampered, path_, records_.size(), {"log.shorter", {}});
    auto c = parse_log(*text, path_);
    if (!c) return c.error();
    for (std::size_t i = 0; i < records_.size(); ++i)
        if (i >= c->records.size() || c->records[i].hash != records_[i].hash)
            return bad_record(errc::tampered, path_, i + 1, {"log.changed", {}});
    const std::optional<ack_mark> m = read_mark(ack_fd_);
    if (m) {
        auto why = missing_acknowledged(*m, c->records.size(), c->good_bytes, text->size(),
                                        [&](std::uint64_t k) { return c->records[k - 1].hash; }, path_);
        if (!why.empty())
            return bad_record(errc::tampered, path_, std::min<std::uint64_t>(m->seq, c->records.size() + 1), why);
        marked_ = m->seq;
    }
    if (c->records.empty())
        return bad_record(errc::tampered, path_, 1, {"log.no_record", {}});
    if (c->torn_bytes > 0) {
        // Only a writer holding the exclusive lock gets here, so no append is in flight.
        auto aside = set_aside(fd_, path_, c->good_bytes, text->size(), c->records.size() + 1);
        if (!aside) return aside.error();
        warnings_.push_back(torn_warning(path_, c->records.size() + 1, c->torn_bytes, m.has_value(), "log.torn_moved", *aside));
    }
    end_ = c->good_bytes;
    records_ = std::move(c->records);
    remember_last_line(*text);
    // A log without a mark (written before marks were kept), or one whose last records were
    // synced but not yet marked when a writer was killed: mark what is verified now.
    if (marked_ < records_.size())
        if (auto r = mark_acknowledged(); !r) return r;
    return {};
}

result<void> event_log::mark_acknowledged() {
    ack_mark m{records_.size(), end_, head()};
    if (auto r = write_mark(ack_fd_, m, marked_ == 0 || marked_ > m.seq, mark_path(path_)); !r) return r;
    marked_ = m.seq;
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
    if (!lock.ok()) return sys_io(path_, "log.cannot_lock", path_);
    auto text = read_all(fd_, path_);
    if (!text) return text.error();
    auto c = parse_log(*text, path_);
    if (!c) return c.error();
    for (std::size_t i = 0; i < records_.size(); ++i)
        if (i >= c->records.size() || c->records[i].hash != records_[i].hash)
            return bad_record(errc::tampered, path_, i + 1, {"log.changed", {}});
    end_ = c->good_bytes;
    records_ = std::move(c->records);
    remember_last_line(*text);
    return {};
}

result<log_record> event_log::append(const log_entry& e, const check_fn& check) {
    if (fd_ < 0) return io(path_, "log.not_open");
    file_lock lock(fd_, LOCK_EX);
    if (!lock.ok()) return sys_io(path_, "log.cannot_lock", path_);
    if (auto r = catch_up(); !r) return r.error();
    if (marked_ < records_.size())
        if (auto r = mark_acknowledged(); !r) return r.error();
    if (check)
        if (auto r = check(records_, e); !r) return r.error();
    const std::uint64_t seq = records_.size() + 1;
    auto line = format_record(seq, e, head());
    if (!line) return line.error();
    log_record rec;
    if (auto why = check_line(*line, seq, head(), rec); !why.empty()) {
        why.args.push_back({"why", why.id});
        return error{errc::invalid_input, "log.cannot_store", std::move(why.args)};
    }
    *line += '\n';
    if (auto w = write_all(fd_, *line, path_); !w) {
        // Take back a partial write so the file ends on a record again (never acknowledged).
        (void)::ftruncate(fd_, static_cast<off_t>(end_));
        return w.error();
    }
    if (::fsync(fd_) != 0) {
        (void)::ftruncate(fd_, static_cast<off_t>(end_));
        return sys_io(path_, "log.cannot_sync", path_);
    }
    end_ += line->size();
    last_line_ = std::move(*line);
    records_.push_back(rec);
    // Acknowledged once the mark says so: a log that later ends before this record is damage.
    if (auto r = mark_acknowledged(); !r) return r.error();
    return rec;
}

result<repair_report> event_log::repair(const std::string& path) {
    auto fd = open_log_file(path, O_RDWR);
    if (!fd) return fd.error();
    struct closer {
        int fd;
        ~closer() { ::close(fd); }
    } close_log{*fd};
    file_lock lock(*fd, LOCK_EX);
    if (!lock.ok()) return sys_io(path, "log.cannot_lock", path);
    int afd = open_mark(path, true);
    if (afd < 0) return sys_io(path, "log.cannot_open_mark", mark_path(path));
    closer close_mark{afd};
    auto text = read_all(*fd, path);
    if (!text) return text.error();
    auto c = parse_log(*text, path);
    if (!c) {
        auto e = c.error();
        for (auto& d : e.diagnostics) {
            if (d.id.empty()) {
                d.message += "; repair removes only a torn or damaged tail after the last complete record, never a "
                             "verified record: restore the log from a copy";
                continue;
            }
            d.args.push_back({"refused", d.id});
            d.id = "log.repair_refused";
            d.message = render_message(d.id, d.args, language::en);
        }
        return e;
    }
    if (c->records.empty())
        return bad_record(errc::tampered, path, 1, {"log.nothing_to_keep", {}});
    repair_report rep;
    rep.records = c->records.size();
    auto act = [&rep](std::string id, message_args args) {
        rep.actions.push_back(render_message(id, args));
        rep.steps.push_back({std::move(id), std::move(args)});
    };
    const auto m = read_mark(afd);
    const std::uint64_t count = c->records.size();
    if (c->torn_bytes > 0) {
        auto aside = set_aside(*fd, path, c->good_bytes, text->size(), count + 1);
        if (!aside) return aside.error();
        act("log.repair_removed_tail", {{"from", std::to_string(c->good_bytes)},
                                        {"to", std::to_string(text->size())},
                                        {"n", std::to_string(c->torn_bytes)},
                                        {"record", std::to_string(count + 1)},
                                        {"log", path},
                                        {"aside", *aside}});
    }
    bool reset = !m;
    if (m && (m->seq > count || m->end > c->good_bytes)) {
        act("log.repair_acknowledged_missing",
            {{"from", std::to_string(count + 1)}, {"to", std::to_string(m->seq)}, {"mark", std::to_string(m->seq)}});
        reset = true;
    } else if (m && c->records[m->seq - 1].hash != m->hash) {
        act("log.repair_rewritten", {{"record", std::to_string(m->seq)}});
        reset = true;
    } else if (m && m->seq < count) {
        reset = true;  // synced records not yet marked: marked now
    }
    if (reset) {
        if (auto w = write_mark(afd, ack_mark{count, c->good_bytes, c->records.back().hash}, true, mark_path(path)); !w)
            return w.error();
        if (!rep.actions.empty() || !m)
            act("log.repair_mark_reset",
                {{"mark", mark_path(path)}, {"record", std::to_string(count)}, {"bytes", std::to_string(c->good_bytes)}});
    }
    rep.changed = !rep.actions.empty();
    return rep;
}

}  // namespace v0
}  // namespace vigil
