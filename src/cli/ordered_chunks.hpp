// Internal: chunks of work done on worker threads and handed back in the order they were given,
// with a bounded number in flight (the memory bound of `vigil classify --threads N`).
//
// One thread (the owner) fills chunks and takes them back; `workers` threads run `work` on them.
// The owner asks for a vacant chunk (none while `in_flight` chunks are out: it then takes back the
// oldest first), fills it and submits it; it takes back the oldest submitted chunk once worked
// (`oldest_done`), uses it and releases it to be filled again. Chunks are owned here and reused:
// at most `in_flight` exist. Destroying the pipeline stops the workers after the chunk each is on
// (chunks not yet begun are dropped) and joins them.
//
// Thread rule: every member function but the constructor's `work` is the owner's alone; `work`
// runs on the workers, one chunk at a time each, and touches only its chunk and what belongs to
// its worker index.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace vigil::cli {

template <class Chunk>
class ordered_chunks {
public:
    /// `work(chunk, worker)`: worker is 0 … workers - 1.
    ordered_chunks(unsigned workers, std::size_t in_flight, std::function<void(Chunk&, unsigned)> work)
        : work_(std::move(work)), capacity_(in_flight < 1 ? 1 : in_flight) {
        if (workers < 1) workers = 1;
        threads_.reserve(workers);
        for (unsigned w = 0; w < workers; ++w) threads_.emplace_back([this, w] { run(w); });
    }

    ordered_chunks(const ordered_chunks&) = delete;
    ordered_chunks& operator=(const ordered_chunks&) = delete;

    ~ordered_chunks() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            stop_ = true;
            jobs_.clear();
        }
        wake_workers_.notify_all();
        for (auto& t : threads_) t.join();
    }

    /// A chunk to fill (as it was left when last released), or nullptr when `in_flight` are out.
    /// Submit it, or release it unused.
    Chunk* vacant() {
        std::lock_guard<std::mutex> lock(mutex_);
        if (slots_.size() - free_.size() >= capacity_) return nullptr;
        if (free_.empty()) {
            slots_.push_back(std::make_unique<slot>());
            free_.push_back(slots_.back().get());
        }
        slot* s = free_.back();
        free_.pop_back();
        s->done = false;
        return s;
    }

    /// Hands a chunk from vacant() to the workers; its place in the output is the order of submit() calls.
    void submit(Chunk* c) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            order_.push_back(of(c));
            jobs_.push_back(of(c));
        }
        wake_workers_.notify_one();
    }

    /// The oldest chunk out, once worked (waiting for it when `wait`); nullptr when none is out,
    /// or (not waiting) when the oldest is not done yet. Release it after use.
    Chunk* oldest_done(bool wait) {
        std::unique_lock<std::mutex> lock(mutex_);
        if (order_.empty()) return nullptr;
        if (wait) wake_owner_.wait(lock, [&] { return order_.front()->done; });
        if (!order_.front()->done) return nullptr;
        return order_.front();
    }

    /// Gives back the chunk oldest_done() returned (or one from vacant() not submitted): it may be filled again.
    void release(Chunk* c) {
        std::lock_guard<std::mutex> lock(mutex_);
        slot* s = of(c);
        if (!order_.empty() && order_.front() == s) order_.pop_front();
        free_.push_back(s);
    }

    /// The most ever out at once.
    std::size_t chunks() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return slots_.size();
    }

private:
    struct slot : Chunk {
        bool done = false;
    };
    static slot* of(Chunk* c) { return static_cast<slot*>(c); }

    void run(unsigned w) {
        for (;;) {
            slot* s;
            {
                std::unique_lock<std::mutex> lock(mutex_);
                wake_workers_.wait(lock, [&] { return stop_ || !jobs_.empty(); });
                if (stop_) return;
                s = jobs_.front();
                jobs_.pop_front();
            }
            work_(*s, w);
            {
                std::lock_guard<std::mutex> lock(mutex_);
                s->done = true;
            }
            wake_owner_.notify_one();
        }
    }

    std::function<void(Chunk&, unsigned)> work_;
    std::size_t capacity_;
    mutable std::mutex mutex_;
    std::condition_variable wake_workers_, wake_owner_;
    std::vector<std::unique_ptr<slot>> slots_;  // every chunk made
    std::vector<slot*> free_;                   // released, to be filled again
    std::deque<slot*> order_;                   // out, in the order given
    std::deque<slot*> jobs_;                    // submitted, not begun
    bool stop_ = false;
    std::vector<std::thread> threads_;  // last: started when the rest is ready, joined first
};

}  // namespace vigil::cli
