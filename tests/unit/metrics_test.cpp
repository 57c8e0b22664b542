// GET /metrics' exposition: a strict reader of the Prometheus text format (0.0.4) checks every
// line of a rendering, then the values against what was recorded.
#include "api/metrics.hpp"

#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "api/routes.hpp"

namespace roster::api {
namespace {

struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

struct Exposition {
  std::map<std::string, std::string> types;  // metric family → type
  std::vector<Sample> samples;
};

// The family a sample belongs to: histogram samples carry _bucket/_sum/_count suffixes.
std::string FamilyOf(const std::string& name, const std::map<std::string, std::string>& types) {
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    const std::string s(suffix);
    if (name.size() > s.size() && name.ends_with(s)) {
      const std::string base = name.substr(0, name.size() - s.size());
      if (types.contains(base) && types.at(base) == "histogram") return base;
    }
  }
  return name;
}

// Parses the text format strictly: HELP/TYPE comments, samples `name{l="v",…} value`, every
// sample of a family after its TYPE, each family's lines contiguous, no duplicate series.
Exposition Parse(const std::string& text) {
  static const std::regex kHelp(R"(^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .+$)");
  static const std::regex kType(
      R"(^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$)");
  static const std::regex kSample(
      // Label values are quoted and may hold any character but an unescaped quote, backslash or
      // newline (route templates contain braces).
      R"re(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\["\\n])*",?)*)\})? ([-+]?(?:[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|\+Inf|-Inf|NaN))$)re");
  static const std::regex kLabel(R"re(([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\["\\n])*)")re");
  Exposition out;
  std::set<std::string> series;
  std::set<std::string> closed_families;
  std::string current_family;
  std::istringstream in(text);
  std::string line;
  EXPECT_TRUE(text.ends_with('\n'));
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_match(line, m, kHelp)) continue;
    if (std::regex_match(line, m, kType)) {
      EXPECT_FALSE(out.types.contains(m[1])) << "TYPE twice: " << line;
      out.types[m[1]] = m[2];
      continue;
    }
    EXPECT_TRUE(std::regex_match(line, m, kSample)) << "not a sample line: '" << line << "'";
    if (!std::regex_match(line, m, kSample)) continue;
    Sample sample;
    sample.name = m[1];
    std::string labels = m[3];
    // Labels: comma-separated, each matching kLabel, nothing left over.
    std::string rest = labels;
    while (!rest.empty()) {
      std::smatch lm;
      if (!std::regex_search(rest, lm, kLabel) || lm.position(0) != 0) {
        ADD_FAILURE() << "bad labels in: " << line;
        break;
      }
      EXPECT_TRUE(sample.labels.emplace(lm[1], lm[2]).second) << "label twice: " << line;
      rest = rest.substr(static_cast<std::size_t>(lm.length(0)));
      if (!rest.empty()) {
        if (rest.front() != ',') {
          ADD_FAILURE() << "labels not comma-separated: " << line;
          break;
        }
        rest = rest.substr(1);
      }
    }
    sample.value = std::stod(m[4]);
    const std::string family = FamilyOf(sample.name, out.types);
    EXPECT_TRUE(out.types.contains(family)) << "sample before its TYPE: " << line;
    if (family != current_family) {
      EXPECT_FALSE(closed_families.contains(family)) << "family not contiguous: " << line;
      if (!current_family.empty()) closed_families.insert(current_family);
      current_family = family;
    }
    EXPECT_TRUE(series.insert(sample.name + "{" + labels + "}").second) << "series twice: " << line;
    out.samples.push_back(std::move(sample));
  }
  return out;
}

const Route& RouteOf(std::string_view method, std::string_view path) {
  return *MatchRoute(method, path)->route;
}

double Value(const Exposition& e, const std::string& name,
             const std::map<std::string, std::string>& labels) {
  for (const Sample& s : e.samples) {
    if (s.name == name && s.labels == labels) return s.value;
  }
  return -1;
}

// Every histogram: buckets cumulative and non-decreasing in `le` order, +Inf equal to _count.
void ExpectHistogramsConsistent(const Exposition& e) {
  std::map<std::string, std::vector<const Sample*>> buckets;  // series key without le
  for (const Sample& s : e.samples) {
    if (!s.name.ends_with("_bucket")) continue;
    auto labels = s.labels;
    ASSERT_TRUE(labels.contains("le")) << s.name;
    labels.erase("le");
    std::string key = s.name.substr(0, s.name.size() - 7);
    for (const auto& [k, v] : labels) key += "|" + k + "=" + v;
    buckets[key].push_back(&s);
  }
  ASSERT_FALSE(buckets.empty());
  for (const auto& [key, list] : buckets) {
    double previous_le = -1;
    double previous_count = 0;
    for (const Sample* s : list) {
      const double le = s->labels.at("le") == "+Inf" ? 1e300 : std::stod(s->labels.at("le"));
      EXPECT_GT(le, previous_le) << key;
      EXPECT_GE(s->value, previous_count) << key;
      previous_le = le;
      previous_count = s->value;
    }
    EXPECT_EQ(list.back()->labels.at("le"), "+Inf") << key;
    auto labels = list.back()->labels;
    labels.erase("le");
    const std::string family = list.back()->name.substr(0, list.back()->name.size() - 7);
    EXPECT_EQ(Value(e, family + "_count", labels), list.back()->value) << key;
  }
}

TEST(MetricsTest, RendersValidExpositionWithRecordedCounts) {
  Metrics metrics("1.2.3");
  const Route& list_users = RouteOf("GET", "/v1/organization/users");
  const Route& delete_role = RouteOf("DELETE", "/v1/organization/roles/r");
  using std::chrono::microseconds;
  metrics.RecordRequest(&list_users, "GET", 200, microseconds(300));             // ≤ 0.0005 s
  metrics.RecordRequest(&list_users, "GET", 200, microseconds(3000));            // ≤ 0.005 s
  metrics.RecordRequest(&list_users, "GET", 401, microseconds(20));              // ≤ 0.0005 s
  metrics.RecordRequest(&delete_role, "DELETE", 400, std::chrono::seconds(30));  // +Inf only
  metrics.RecordRequest(nullptr, "BREW", 404, microseconds(10));
  metrics.SetOpenConnections([] { return std::size_t{7}; });

  const Exposition e = Parse(metrics.Render());
  EXPECT_EQ(e.types.at("roster_http_requests_total"), "counter");
  EXPECT_EQ(e.types.at("roster_http_request_duration_seconds"), "histogram");
  EXPECT_EQ(e.types.at("roster_open_connections"), "gauge");
  EXPECT_EQ(Value(e, "roster_build_info", {{"version", "1.2.3"}}), 1);
  EXPECT_EQ(Value(e, "roster_open_connections", {}), 7);

  const std::string users = "/v1/organization/users";
  EXPECT_EQ(Value(e, "roster_http_requests_total",
                  {{"route", users}, {"method", "GET"}, {"status", "200"}}),
            2);
  EXPECT_EQ(Value(e, "roster_http_requests_total",
                  {{"route", users}, {"method", "GET"}, {"status", "401"}}),
            1);
  EXPECT_EQ(
      Value(
          e, "roster_http_requests_total",
          {{"route", "/v1/organization/roles/{role_id}"}, {"method", "DELETE"}, {"status", "400"}}),
      1);
  EXPECT_EQ(Value(e, "roster_http_requests_total",
                  {{"route", "unmatched"}, {"method", "other"}, {"status", "404"}}),
            1);
  // Unrequested combinations are absent, not zero.
  EXPECT_EQ(Value(e, "roster_http_requests_total",
                  {{"route", users}, {"method", "GET"}, {"status", "500"}}),
            -1);

  const std::map<std::string, std::string> users_labels = {{"route", users}, {"method", "GET"}};
  auto with_le = [&](const std::string& le) {
    auto labels = users_labels;
    labels["le"] = le;
    return labels;
  };
  EXPECT_EQ(Value(e, "roster_http_request_duration_seconds_bucket", with_le("0.000500")), 2);
  EXPECT_EQ(Value(e, "roster_http_request_duration_seconds_bucket", with_le("0.002500")), 2);
  EXPECT_EQ(Value(e, "roster_http_request_duration_seconds_bucket", with_le("0.005000")), 3);
  EXPECT_EQ(Value(e, "roster_http_request_duration_seconds_count", users_labels), 3);
  EXPECT_NEAR(Value(e, "roster_http_request_duration_seconds_sum", users_labels), 0.00332, 1e-9);
  const std::map<std::string, std::string> delete_labels = {
      {"route", "/v1/organization/roles/{role_id}"}, {"method", "DELETE"}, {"le", "10.000000"}};
  EXPECT_EQ(Value(e, "roster_http_request_duration_seconds_bucket", delete_labels), 0);
  ExpectHistogramsConsistent(e);
}

// Families without a source are left out rather than rendered empty (tests/api covers the
// store family with a real store).
TEST(MetricsTest, OptionalFamiliesNeedTheirSource) {
  Metrics metrics("0");
  const Exposition e = Parse(metrics.Render());
  EXPECT_FALSE(e.types.contains("roster_store_operation_duration_seconds"));
  EXPECT_FALSE(e.types.contains("roster_open_connections"));
  ExpectHistogramsConsistent(e);
}

}  // namespace
}  // namespace roster::api
