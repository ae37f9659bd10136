// vigil/event_log.hpp — an incident's append-only, hash-chained, crash-safe event log.
//
// The log is a JSON Lines file. Each line is one record:
//   {"seq":N,"time":"…","actor":{"unit":"…","role":"…"},"event":"…","payload":{…},"prev":"<hex>","hash":"<hex>"}
// `prev` is the previous record's `hash` (64 zeros for the first record); `hash` is the SHA-256
// of the line's bytes up to (not including) `,"hash":`. Editing, deleting or reordering a record
// breaks the chain at the first record touched. A record is acknowledged (append() returns) only
// after it is written and fsync'ed. A line without its final newline is a torn write (a crash
// mid-append): it was never acknowledged, so it is cut off with a warning. Any other break is
// refused as tampering (errc::tampered), naming the first bad record.
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
    std::vector<std::string> warnings;  ///< e.g. the torn tail that was found
};

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
    /// Create a new log whose first record is `first`. Refused (errc::io_error) when the file
    /// exists. The file appears complete or not at all (written aside, synced, then linked).
    static result<event_log> create(const std::string& path, const log_entry& first);
    /// Open an existing log for appending: verify it; cut a torn tail (with a warning).
    static result<event_log> open(const std::string& path);
    /// Read and verify a log without changing it (a torn tail is only reported).
    static result<log_contents> read(const std::string& path);

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
    const std::vector<std::string>& warnings() const noexcept { return warnings_; }
    const std::string& path() const noexcept { return path_; }
    /// The hash of the last record: keep it elsewhere to detect a rewritten tail.
    const std::string& head() const noexcept;

private:
    event_log() = default;
    result<void> catch_up();       // the lock is held by the caller: incremental when it can be
    result<void> catch_up_full();  // read and verify the whole file
    result<void> take_new(std::string_view fresh);  // verify bytes appended after end_
    void remember_last_line(std::string_view text);

    std::string path_;
    int fd_ = -1;
    std::uint64_t end_ = 0;  // bytes verified so far
    std::string last_line_;  // the bytes of the last verified record, newline included
    std::vector<log_record> records_;
    std::vector<std::string> warnings_;
};

/// Hex SHA-256 of bytes (OpenSSL libcrypto).
std::string sha256_hex(std::string_view bytes);

}  // namespace v0
}  // namespace vigil
