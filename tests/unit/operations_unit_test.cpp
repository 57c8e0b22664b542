// Small pieces of the operations work: the request log's renderings, the settable clock, fixed
// ids for fixtures, and fault bookkeeping.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/json/request_log_json.hpp"
#include "api/request_log.hpp"
#include "api/routes.hpp"
#include "api/test_controls.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"

namespace roster::api {
namespace {

RequestLogRecord SampleRecord() {
  RequestLogRecord r;
  r.time = std::chrono::system_clock::time_point(std::chrono::milliseconds(1'700'000'000'123));
  r.request_id = "req_0123";
  r.method = "GET";
  r.route = "/v1/organization/users/{user_id}";
  r.status = 404;
  r.duration = std::chrono::microseconds(1534);
  r.org_id = "org-1";
  r.key_id = "key_1";
  return r;
}

TEST(RequestLogTest, JsonLineHasTheFields) {
  const auto line = nlohmann::json::parse(json::FormatRequestLogJson(SampleRecord()));
  EXPECT_EQ(line["time"], "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(line["level"], "warn");
  EXPECT_EQ(line["request_id"], "req_0123");
  EXPECT_EQ(line["method"], "GET");
  EXPECT_EQ(line["route"], "/v1/organization/users/{user_id}");
  EXPECT_EQ(line["status"], 404);
  EXPECT_DOUBLE_EQ(line["duration_ms"].get<double>(), 1.534);
  EXPECT_EQ(line["org_id"], "org-1");
  EXPECT_EQ(line["key_id"], "key_1");
  EXPECT_FALSE(line.contains("path"));
  EXPECT_FALSE(line.contains("error_code"));
}

TEST(RequestLogTest, UnmatchedPathIsEscapedInJsonAndMaskedInText) {
  RequestLogRecord r = SampleRecord();
  r.route = "";
  r.path = "/x\n{\"forged\":1}\xff";
  const std::string json_line = json::FormatRequestLogJson(r);
  EXPECT_EQ(json_line.find('\n'), std::string::npos);
  const auto line = nlohmann::json::parse(json_line);
  EXPECT_TRUE(line["route"].is_null());
  EXPECT_EQ(line["path"].get<std::string>().substr(0, 3), "/x\n");
  const std::string text = FormatRequestLogText(r);
  EXPECT_EQ(text.find('\n'), std::string::npos);
  EXPECT_NE(text.find("/x?{"), std::string::npos);
  EXPECT_NE(text.find(" 404 GET "), std::string::npos);
  EXPECT_NE(text.find("1.5ms"), std::string::npos);
}

TEST(RequestLogTest, LevelsFollowTheStatus) {
  RequestLogRecord r = SampleRecord();
  r.status = 200;
  EXPECT_EQ(r.level(), LogLevel::kInfo);
  r.status = 503;
  EXPECT_EQ(r.level(), LogLevel::kError);
  EXPECT_EQ(ParseLogLevel("warn"), LogLevel::kWarn);
  EXPECT_EQ(ParseLogLevel("loud"), std::nullopt);
}

TEST(SettableClockTest, FreezesAdvancesAndReleases) {
  core::SettableClock clock;
  const core::Timestamp real = core::SystemClock().Now();
  EXPECT_LE(real - 1, clock.Now());
  clock.Freeze(1'000);
  EXPECT_EQ(clock.Now(), 1'000);
  clock.Advance(86'400);
  EXPECT_EQ(clock.Now(), 87'400);
  EXPECT_TRUE(clock.frozen());
  clock.Release();
  EXPECT_FALSE(clock.frozen());
  clock.Advance(3'600);  // running, one hour ahead
  EXPECT_GE(clock.Now(), real + 3'600);
  EXPECT_LE(clock.Now(), core::SystemClock().Now() + 3'601);
}

TEST(ScopedNextIdTest, OnlyTheNextIdOfThatPrefixIsFixed) {
  {
    core::ScopedNextId next(core::id_prefix::kUser, "user-alice");
    EXPECT_TRUE(core::IsWellFormedId(core::NewId(core::id_prefix::kRole), core::id_prefix::kRole));
    EXPECT_EQ(core::NewId(core::id_prefix::kUser), "user-alice");
    EXPECT_TRUE(core::IsWellFormedId(core::NewId(core::id_prefix::kUser), core::id_prefix::kUser));
  }
  { core::ScopedNextId unused(core::id_prefix::kUser, "user-bob"); }
  EXPECT_NE(core::NewId(core::id_prefix::kUser), "user-bob");
}

TEST(FaultInjectorTest, CountsDownPerRoute) {
  FaultInjector faults;
  const Route& users = *MatchRoute("GET", "/v1/organization/users")->route;
  const Route& roles = *MatchRoute("GET", "/v1/organization/roles")->route;
  EXPECT_FALSE(faults.Take(users));
  faults.Add(Fault{"GET", "/v1/organization/users", Fault::Kind::kError, 429, 5, 0, 2});
  EXPECT_FALSE(faults.Take(roles));
  const auto first = faults.Take(users);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 429);
  EXPECT_EQ(first->retry_after_ms, 5);
  EXPECT_EQ(faults.List().at(0).remaining, 1);
  EXPECT_TRUE(faults.Take(users));
  EXPECT_FALSE(faults.Take(users));
  EXPECT_TRUE(faults.List().empty());
}

}  // namespace
}  // namespace roster::api
