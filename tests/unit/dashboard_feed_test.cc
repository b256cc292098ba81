// The dashboard's feed: a page gets a snapshot first, then messages in order; a page that
// never reads costs a bounded queue (in messages and bytes) and is owed a fresh snapshot
// instead of what it missed; whole-picture messages replace their queued predecessor; the
// number of pages following it is bounded; closing ends every stream.

#include "harness/dashboard/dashboard_feed.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace mepsim::dashboard {
namespace {

using namespace std::chrono_literals;
using Kind = FeedSubscription::Kind;

FeedMessage event_message(int n) {
  return {"events", "{\"n\":" + std::to_string(n) + "}", false};
}

TEST(DashboardFeed, SnapshotFirstThenMessagesInOrder) {
  // A new page is owed a snapshot; what is published after it comes in order.
  DashboardFeed feed;
  auto page = feed.subscribe();
  ASSERT_NE(page, nullptr);
  feed.publish(event_message(1));  // before the snapshot was taken: the snapshot holds it
  EXPECT_EQ(page->next(0ms).kind, Kind::resync);
  feed.publish(event_message(2));
  feed.publish(event_message(3));
  auto first = page->next(0ms);
  ASSERT_EQ(first.kind, Kind::message);
  EXPECT_EQ(first.message.data, "{\"n\":2}");
  EXPECT_EQ(page->next(0ms).message.data, "{\"n\":3}");
  EXPECT_EQ(page->next(0ms).kind, Kind::idle);
}

TEST(DashboardFeed, APageThatNeverReadsCostsABoundedQueue) {
  // A hundred thousand messages to a page that reads nothing: its queue never holds more than the
  // bound, and what it gets next is a resync, then only what came after.
  FeedLimits limits;
  limits.messages_max = 16;
  DashboardFeed feed(limits);
  auto page = feed.subscribe();
  ASSERT_EQ(page->next(0ms).kind, Kind::resync);
  std::size_t most_queued = 0;
  for (int n = 0; n < 100'000; ++n) {
    feed.publish(event_message(n));
    most_queued = std::max(most_queued, page->queued_messages());
  }
  EXPECT_LE(most_queued, limits.messages_max);
  EXPECT_LE(page->queued_bytes(), limits.bytes_max);
  // Once it overflowed, nothing more is queued for it: the snapshot it is owed covers it.
  EXPECT_EQ(page->overflows(), 1u);
  EXPECT_EQ(page->queued_messages(), 0u);
  EXPECT_EQ(page->next(0ms).kind, Kind::resync);
  feed.publish(event_message(7));
  const auto next = page->next(0ms);
  ASSERT_EQ(next.kind, Kind::message);
  EXPECT_EQ(next.message.data, "{\"n\":7}");
}

TEST(DashboardFeed, BytesAreBoundedToo) {
  // Few but large messages overflow on bytes before they reach the message bound.
  FeedLimits limits;
  limits.messages_max = 1'000;
  limits.bytes_max = 10'000;
  DashboardFeed feed(limits);
  auto page = feed.subscribe();
  (void)page->next(0ms);
  const FeedMessage big{"events", std::string(3'000, 'a'), false};
  std::size_t most_bytes = 0;
  for (int n = 0; n < 100; ++n) {
    feed.publish(big);
    most_bytes = std::max(most_bytes, page->queued_bytes());
  }
  EXPECT_LE(most_bytes, limits.bytes_max);
  EXPECT_GT(page->overflows(), 0u);
}

TEST(DashboardFeed, WholePictureMessagesReplaceTheQueuedOne) {
  // A page behind by many states keeps only the newest one, in the place of the first.
  DashboardFeed feed;
  auto page = feed.subscribe();
  (void)page->next(0ms);
  feed.publish(event_message(1));
  for (int n = 0; n < 1'000; ++n) feed.publish({"state", std::to_string(n), true});
  feed.publish(event_message(2));
  EXPECT_EQ(page->queued_messages(), 3u);
  EXPECT_EQ(page->overflows(), 0u);
  EXPECT_EQ(page->next(0ms).message.data, "{\"n\":1}");
  const auto state = page->next(0ms);
  EXPECT_EQ(state.message.event, "state");
  EXPECT_EQ(state.message.data, "999");
  EXPECT_EQ(page->next(0ms).message.data, "{\"n\":2}");
}

TEST(DashboardFeed, SubscribersAreBoundedAndFreedWhenDropped) {
  // Past subscribers_max a page is refused; one that goes frees its place.
  FeedLimits limits;
  limits.subscribers_max = 2;
  DashboardFeed feed(limits);
  auto a = feed.subscribe();
  auto b = feed.subscribe();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(feed.subscribe(), nullptr);
  EXPECT_EQ(feed.subscribers(), 2u);
  a.reset();
  EXPECT_EQ(feed.subscribers(), 1u);
  EXPECT_NE(feed.subscribe(), nullptr);
}

TEST(DashboardFeed, CloseEndsEveryStream) {
  // After close, a waiting page hears "closed" and no new page is let in.
  DashboardFeed feed;
  auto page = feed.subscribe();
  (void)page->next(0ms);
  feed.publish(event_message(1));
  feed.close();
  EXPECT_EQ(page->next(1s).kind, Kind::closed);
  EXPECT_EQ(page->queued_messages(), 0u);
  EXPECT_EQ(feed.subscribe(), nullptr);
}

TEST(DashboardFeed, SseFramesSplitLines) {
  // One data line per line of data, the event named, a blank line after.
  EXPECT_EQ(sse_frame("state", "{}"), "event: state\ndata: {}\n\n");
  EXPECT_EQ(sse_frame("x", "a\nb\r\nc"), "event: x\ndata: a\ndata: b\ndata: c\n\n");
}

}  // namespace
}  // namespace mepsim::dashboard
