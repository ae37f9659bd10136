// The streaming detector (vigil/detect.hpp): reports in arrival order, alerts as clusters cross.
#include <vigil/detect.hpp>
#include <vigil/detail/answer_json.hpp>

#include <algorithm>

namespace vigil {
inline namespace v0 {

namespace {

// A text appended with its length first: keys made of such parts are equal only when every part is.
void put(std::string& s, std::string_view t) {
    s += std::to_string(t.size());
    s += ':';
    s += t;
}

// The report's product key, its fields' texts kept apart (no character of a field joins two products).
std::string key_of(const plan& p, const case_report& r) {
    std::string key;
    for (const auto f : p.detection->product_key) {
        switch (f) {
        case key_field::product_kind: put(key, p.product_id(r.product_kind)); break;
        case key_field::product_id: put(key, r.product_id); break;
        case key_field::product_name: put(key, r.product_name); break;
        case key_field::maker: put(key, r.maker); break;
        case key_field::dosage_form: put(key, r.dosage_form); break;
        case key_field::strength: put(key, r.strength); break;
        }
    }
    return key;
}

}  // namespace

result<detector> detector::create(plan_ptr p, detector_options o) {
    if (!p) return error{errc::invalid_input, "no plan"};
    if (!p->detection)
        return error{errc::invalid_plan, "detect.no_detection", {{"plan", p->info.id}}};
    return detector(std::move(p), std::move(o));
}

std::size_t detector::kept() const noexcept {
    std::size_t n = 0;
    for (const auto& [k, q] : by_key_) n += q.size();
    return n;
}

detector::placed detector::feed(case_report r, std::vector<detect_alert>& alerts) {
    const plan& p = *plan_;
    const auto& d = *p.detection;
    const duration keep = d.window + opt_.max_delay;
    latest_ = std::max(latest_, r.received);
    // forget what no window can gain any more (every hour of receipts)
    if (!opt_.keep_all && latest_ - swept_ >= boost::posix_time::hours(1)) {
        swept_ = latest_;
        for (auto it = by_key_.begin(); it != by_key_.end();) {
            auto& q = it->second;
            q.erase(std::remove_if(q.begin(), q.end(),
                                   [&](const kept_report& x) {
                                       const bool old = x.r.onset + keep < latest_;
                                       if (old) ids_.erase(x.r.report_id);
                                       return old;
                                   }),
                    q.end());
            it = q.empty() ? by_key_.erase(it) : std::next(it);
        }
    }
    if (!opt_.keep_all && r.onset + keep < latest_) {
        ++too_late_;
        return placed::too_late;
    }
    if (!ids_.insert(r.report_id).second) {
        ++duplicates_;
        return placed::duplicate;
    }
    ++taken_;
    const bool late = r.received - r.onset > d.window;
    const std::string id = r.report_id;
    const std::string key = key_of(p, r);
    auto& q = by_key_[key];
    q.push_back({seq_++, std::move(r)});
    std::vector<case_report> now;
    now.reserve(q.size());
    for (const auto& x : q) now.push_back(x.r);
    auto res = detect(p, now);
    if (!res) return placed::taken;
    for (auto& c : res->clusters) {
        if (!opt_.levels.empty() && std::find(opt_.levels.begin(), opt_.levels.end(), c.area.level) == opt_.levels.end()) continue;
        std::string cl = key;  // the reports detected now are this key's alone
        put(cl, c.batch);
        put(cl, c.area.to_string());
        auto& was = alerted_[cl];
        const bool graver = c.graded.grade > was.first, warmer = c.levels.warning > was.second;
        if (!graver && !warmer) continue;
        was = {std::max(was.first, c.graded.grade), std::max(was.second, c.levels.warning)};
        detect_alert a;
        a.alert = graver ? "grade " + std::string(to_string(c.graded.grade)) : "warning " + std::string(to_string(c.levels.warning));
        a.trigger = id;
        a.late = late;
        a.cluster = std::move(c);
        alerts.push_back(std::move(a));
        ++alerts_;
    }
    return placed::taken;
}

result<detect_result> detector::clusters(const detect_options& o) const {
    std::vector<const kept_report*> all;
    for (const auto& [k, q] : by_key_)
        for (const auto& x : q) all.push_back(&x);
    std::sort(all.begin(), all.end(), [](const kept_report* a, const kept_report* b) { return a->seq < b->seq; });
    std::vector<case_report> reports;
    reports.reserve(all.size());
    for (const auto* x : all) reports.push_back(x->r);
    return detect(*plan_, reports, o);
}

std::string to_json(const plan& p, const detect_alert& a) {
    std::string out;
    detail::answer_json::detected_cluster(out, p, a.cluster, &a);
    return out;
}

}  // namespace v0
}  // namespace vigil
