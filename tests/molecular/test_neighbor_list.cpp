// Neighbour lists against an O(N²) minimum-image search.
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "core/error.hpp"
#include "molecular/neighbors/neighbor_list.hpp"

namespace ldyn::molecular {
namespace {

AtomVectors random_positions(std::size_t n, const Box& box, std::uint64_t seed, double spread = 1.0) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-spread, 1.0 + spread);  // outside the box too: unwrapped
  AtomVectors x(static_cast<Eigen::Index>(n), 3);
  for (Eigen::Index i = 0; i < x.rows(); ++i)
    for (int a = 0; a < 3; ++a) x(i, a) = u(rng) * box.length[a];
  return x;
}

std::set<std::pair<int, int>> brute_force(const Box& box, const AtomVectors& x, double r) {
  std::set<std::pair<int, int>> pairs;
  for (int i = 0; i < x.rows(); ++i)
    for (int j = 0; j < x.rows(); ++j)
      if (i != j && box.minimum_image((x.row(j) - x.row(i)).transpose()).norm() <= r) pairs.insert({i, j});
  return pairs;
}

std::set<std::pair<int, int>> listed(const NeighborList& list) {
  std::set<std::pair<int, int>> pairs;
  for (std::size_t i = 0; i < list.size(); ++i)
    for (int j : list.neighbors(i)) pairs.insert({static_cast<int>(i), j});
  return pairs;
}

TEST(NeighborList, MatchesBruteForceForManyAndFewCells) {
  // 3.1 Å reach in a 12 × 7 × 20 Å box: 3, 2 and 6 cells along the axes.
  for (const Eigen::Array3d& lengths : {Eigen::Array3d(12.0, 7.0, 20.0), Eigen::Array3d(6.5, 6.5, 6.5)}) {
    Box box;
    box.length = lengths;
    const AtomVectors x = random_positions(300, box, 7);
    NeighborList list(2.9, 0.2);
    list.build(box, x);
    EXPECT_EQ(listed(list), brute_force(box, x, 3.1));
  }
}

TEST(NeighborList, RebuildsOnlyWhenAnAtomMovedMoreThanHalfTheSkin) {
  Box box;
  box.length = {15.0, 15.0, 15.0};
  AtomVectors x = random_positions(200, box, 3, 0.0);
  NeighborList list(4.0, 1.0);
  EXPECT_TRUE(list.update(box, x));
  x(5, 0) += 0.49;
  EXPECT_FALSE(list.update(box, x));
  // Every pair within the cutoff is still listed after sub-skin moves.
  const auto now = brute_force(box, x, 4.0);
  const auto have = listed(list);
  for (const auto& p : now) EXPECT_TRUE(have.count(p)) << p.first << " " << p.second;
  x(5, 0) += 0.02;
  EXPECT_TRUE(list.update(box, x));
  EXPECT_EQ(list.builds(), 2u);
}

TEST(NeighborList, RefusesCutoffsBeyondHalfTheBoxAndBadValues) {
  Box box;
  box.length = {10.0, 10.0, 10.0};
  const AtomVectors x = random_positions(10, box, 1);
  NeighborList list(4.9, 0.2);
  EXPECT_THROW(list.build(box, x), InvalidOption);
  EXPECT_THROW(NeighborList(-1.0, 0.1), InvalidOption);
  EXPECT_THROW(NeighborList(1.0, -0.1), InvalidOption);
  AtomVectors bad = x;
  bad(3, 1) = std::numeric_limits<double>::quiet_NaN();
  NeighborList ok(3.0, 0.2);
  EXPECT_THROW(ok.build(box, bad), NonFiniteError);
}

}  // namespace
}  // namespace ldyn::molecular
