// vigil/event_log.hpp — an incident's append-only, hash-chained, crash-safe event log.
//
// The log is a JSON Lines file. Each line is one record:
//   {"seq":N,"time":"…","actor":{"unit":"…","role":"…"},"event":"…","payload":{…},"prev":"<hex>","hash":"<hex>"}
// `prev` is the previous record's `hash` (64 zeros for the first record); `hash` is the SHA-256
// of the line's bytes up to (not including) `,"hash":`. Editing, deleting or reordering a record
// breaks the chain at the first record touched. A record is acknowledged (append() returns) only
// after it is written and fsync'ed, and the log's acknowledgement mark (LOG.ack beside it: the
// number, end offset and hash of the last acknowledged record, fsync'ed) says so. A last line
// without its final newline after the mark is a torn write (a crash mid-append, never
// acknowledged): read() reports it; open() moves its bytes aside to LOG.torn-N (N: the record's
// number) with a warning before appending; nothing is ever deleted. A log that ends before the
// mark (a record that was acknowledged is cut or missing) is damage, not a crash: it is refused
// (errc::tampered) and left as it is; repair() sets such a tail aside, naming what it removes.
// Any other break is refused as tampering (errc::tampered), naming the first bad record.
//
// The chain detects changes to any record but the last; a rewrite of the whole tail from some
// record on with fresh hashes is only detected against a head hash kept elsewhere (head()).
//
// Thread rule: an event_log object is not thread-safe; give each thread its own. Processes may
// share a log file: every append takes an exclusive flock(2), catches up with records other
// writers appended, and only then writes; readers take a shared lock. Catching up reads only the
// last record seen (which must be unchanged, byte for byte) and what follows it; a file that
// shrank is refused, and one whose last seen record changed is verified whole (docs/lifecycle.md).
#pragma once

#include <vigil/error.hpp>
#include <vigil/messages.hpp>
#include <vigil/organisation.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {
inline namespace v0 {

/// What a caller appends: the log adds seq, prev and hash.
struct log_entry {
    std::string time;     ///< ISO 8601 with an offset, e.g. "2026-03-02T09:15:00+08:00"
    vigil::actor actor;
    std::string event;    ///< the event's name
    std::string payload;  ///< a JSON object, as text ("{}" when there is nothing)
};

/// One verified record of the log.
struct log_record {
    std::uint64_t seq = 0;  ///< 1-based, consecutive
    log_entry entry;        ///< payload is re-serialised compactly
    std::string prev;       ///< hex SHA-256 of the previous record (64 zeros for seq 1)
    std::string hash;       ///< hex SHA-256 of this record
};

/// The hash of "no previous record".
inline const std::string zero_hash(64, '0');

/// The records of a log text, verified; a torn last line is reported, not an error.
struct log_contents {
    std::vector<log_record> records;
    std::size_t good_bytes = 0;      ///< length of the verified prefix (where a torn tail starts)
    std::size_t torn_bytes = 0;      ///< bytes after it: a torn last record (0: none)
    std::vector<diagnostic> warnings;  ///< e.g. the torn tail that was found (source: the log)
};

/// What event_log::repair found and did: each action names the bytes or records it concerns.
struct repair_report {
    bool changed = false;              ///< false: the log needed no repair
    std::vector<std::string> actions;  ///< what was removed (and where it was kept) or reset (English)
    /// The same actions by catalogue id and arguments (vigil/messages.hpp: log.repair_*), one per
    /// action and in its order, to render them in Chinese; actions[i] is render_message(steps[i]…).
    struct step {
        std::string id;
        message_args args;
    };
    std::vector<step> steps;
    std::size_t records = 0;           ///< complete, verified records the log holds now
};

/// Bounds of a log file.
inline constexpr std::size_t max_log_bytes = std::size_t{256} << 20;

/// Verify a log's text (no I/O). errc::tampered names the first bad record (seq and line);
/// errc::parse_error for a line that is not a record at all; a torn last line is a warning.
result<log_contents> parse_log(std::string_view text, std::string_view source = "<buffer>");

/// The line (without its newline) that appending `e` after `prev` as record `seq` writes.
/// Validates the entry (errc::invalid_input): a non-empty event, time and actor unit, a JSON
/// object payload.
result<std::string> format_record(std::uint64_t seq, const log_entry& e, const std::string& prev);

/// An open log file. Move-only; closes the file on destruction.
class event_log {
public:
    /// Create a new log whose first record is `first`, with permissions `mode` (0600: only its
    /// owner reads incident data; the umask applies too). Refused (errc::io_error) when the file
    /// exists. The file appears complete or not at all (written to an unnamed temporary file,
    /// synced, then linked; no temporary file is left behind by a kill).
    static result<event_log> create(const std::string& path, const log_entry& first, unsigned mode = 0600);
    /// Open an existing log for appending: verify it against its mark; move a torn tail aside
    /// to LOG.torn-N (with a warning naming it); refuse damage. A symbolic link, a directory, a
    /// FIFO or a device is refused (errc::io_error), never followed or waited on.
    static result<event_log> open(const std::string& path);
    /// Read and verify a log without changing it (a torn tail is only reported; damage refused).
    static result<log_contents> read(const std::string& path);
    /// Set aside a torn or damaged tail (its bytes moved to LOG.torn-N, never deleted) and reset
    /// the mark to the last complete record, saying what was removed. A chain broken before the
    /// tail is refused: repair removes no verified record.
    static result<repair_report> repair(const std::string& path);
    /// The acknowledgement mark's file of a log: path + ".ack".
    static std::string mark_path(const std::string& path) { return path + ".ack"; }

    event_log(event_log&&) noexcept;
    event_log& operator=(event_log&&) noexcept;
    event_log(const event_log&) = delete;
    event_log& operator=(const event_log&) = delete;
    ~event_log();

    /// Called under the append lock, after catching up with other writers, with every record
    /// so far; an error refuses the append and is returned as is.
    using check_fn = std::function<result<void>(const std::vector<log_record>&, const log_entry&)>;

    /// Append one record: lock, catch up, check, write, fsync, unlock. Returns the record once
    /// it is durable. On an error nothing is written.
    result<log_record> append(const log_entry& e, const check_fn& check = {});

    /// Re-read records other writers appended since (under a shared lock).
    result<void> refresh();

    const std::vector<log_record>& records() const noexcept { return records_; }
    const std::vector<diagnostic>& warnings() const noexcept { return warnings_; }
    const std::string& path() const noexcept { return path_; }
    /// The hash of the last record: keep it elsewhere to detect a rewritten tail.
    const std::string& head() const noexcept;

private:
    event_log() = default;
    result<void> catch_up();       // the lock is held by the caller: incremental when it can be
    result<void> catch_up_full();  // read and verify the whole file
    result<void> take_new(std::string_view fresh);  // verify bytes appended after end_
    void remember_last_line(std::string_view text);
    result<void> mark_acknowledged();  // write the mark for the last record (under the lock)

    std::string path_;
    int fd_ = -1;
    int ack_fd_ = -1;        // the mark's file
    std::uint64_t marked_ = 0;  // the seq the mark says
    std::uint64_t end_ = 0;  // bytes verified so far
    std::string last_line_;  // the bytes of the last verified record, newline included
    std::vector<log_record> records_;
    std::vector<diagnostic> warnings_;
};

/// Hex SHA-256 of bytes (OpenSSL libcrypto).
std::string sha256_hex(std::string_view bytes);

}  // namespace v0
}  // namespace vigil
