// return_free_memory() gives what a phase freed back to the system: a full sync relies on
// it to keep one phase's peak out of the next (glibc keeps freed memory otherwise).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "daemon/free_memory.h"

namespace rosterd {
namespace {

// The process's anonymous resident memory in KiB (Linux), or -1.
long resident_anonymous_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("RssAnon:", 0) == 0) return std::stol(line.substr(8));
  return -1;
}

TEST(FreeMemory, WhatWasFreedLeavesTheProcess) {
#if !defined(__GLIBC__)
  GTEST_SKIP() << "only glibc keeps freed memory; elsewhere return_free_memory() does nothing";
#endif
  if (resident_anonymous_kib() < 0) GTEST_SKIP() << "no /proc/self/status RssAnon on this system";
  // 200 MB in small blocks, as a read's entries are: each below the mmap threshold, so
  // glibc's heap holds them and keeps the pages once they are freed.
  std::vector<std::unique_ptr<std::string>> blocks;
  blocks.reserve(1'000'000);
  for (int i = 0; i < 1'000'000; ++i) blocks.push_back(std::make_unique<std::string>(180, 'x'));
  const long held = resident_anonymous_kib();
  blocks.clear();
  blocks.shrink_to_fit();
  const long freed = resident_anonymous_kib();
  return_free_memory();
  const long returned = resident_anonymous_kib();
  EXPECT_GT(held - returned, 150'000) << "held " << held << " KiB, after free " << freed << " KiB, after return "
                                      << returned << " KiB";
}

}  // namespace
}  // namespace rosterd
