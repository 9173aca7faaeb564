#include "runtime/real/real_clock.h"

#include <gtest/gtest.h>

#include <thread>

namespace drydock::runtime {
namespace {

const TimePoint kClockStart = TimePoint(Duration(1'900'000'000'000));

TEST(RealClockTest, StartsAtTheGivenClusterTime) {
  RealClock clock(1.0, kClockStart);
  EXPECT_GE(clock.Now(), kClockStart);
  EXPECT_LT(clock.Now(), kClockStart + Seconds(3600));
}

TEST(RealClockTest, NeverGoesBack) {
  RealClock clock(1000.0, kClockStart);
  TimePoint previous = clock.Now();
  for (int i = 0; i < 10000; ++i) {
    const TimePoint now = clock.Now();
    ASSERT_GE(now, previous);
    previous = now;
  }
}

TEST(RealClockTest, MapsSteadyTimeThroughTheScale) {
  RealClock clock(10.0, kClockStart);
  const auto steady = std::chrono::steady_clock::now();
  const TimePoint a = clock.ClusterTimeAt(steady);
  const TimePoint b = clock.ClusterTimeAt(steady + std::chrono::milliseconds(100));
  // 100 ms of real time is 1000 ms of cluster time (floor may cost 1 ms).
  EXPECT_GE((b - a).count(), 999);
  EXPECT_LE((b - a).count(), 1001);
}

TEST(RealClockTest, NowElapsesScaledRealTime) {
  RealClock clock(10.0, kClockStart);
  const auto outer_begin = std::chrono::steady_clock::now();
  const TimePoint begin = clock.Now();
  const auto inner_begin = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const auto inner_end = std::chrono::steady_clock::now();
  const TimePoint end = clock.Now();
  const auto outer_end = std::chrono::steady_clock::now();
  // Bracketed by the real time measured inside and outside the two reads:
  // no assumption about how long anything took.
  const auto to_ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
  const double cluster_ms = static_cast<double>((end - begin).count());
  EXPECT_GE(cluster_ms, 10.0 * to_ms(inner_end - inner_begin) - 1.0);
  EXPECT_LE(cluster_ms, 10.0 * to_ms(outer_end - outer_begin) + 1.0);
}

TEST(RealClockTest, ConvertsClusterDeadlinesToShorterRealWaits) {
  RealClock clock(100.0, kClockStart);
  EXPECT_EQ(clock.RealTimeUntil(clock.Now() - Seconds(1)), std::chrono::nanoseconds::zero());
  const auto wait = clock.RealTimeUntil(clock.Now() + Seconds(30));
  EXPECT_GT(wait, std::chrono::nanoseconds::zero());
  EXPECT_LE(wait, std::chrono::milliseconds(300));
  EXPECT_EQ(clock.ToRealDuration(Seconds(30)), std::chrono::milliseconds(300));
}

}  // namespace
}  // namespace drydock::runtime
