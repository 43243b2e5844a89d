// Work for a second core: on a thread of its own when one can be had, otherwise run by the
// caller when it asks for the result (a thread that cannot be started makes the work
// sequential, never an uncaught std::system_error). The future's destructor waits for the
// work, as std::async's does.
#pragma once

#include <future>
#include <system_error>
#include <type_traits>

namespace rosterd {

template <class Work>
std::future<std::invoke_result_t<Work&>> run_beside(Work work) {
  try {
    return std::async(std::launch::async, work);
  } catch (const std::system_error&) {
    return std::async(std::launch::deferred, std::move(work));
  }
}

}  // namespace rosterd
