// Early return for Result<T>: the one place rosterd uses macros, because C++20 has no
// operator for "propagate this error".
#pragma once

#include <utility>

#define ROSTERD_CONCAT_INNER(a, b) a##b
#define ROSTERD_CONCAT(a, b) ROSTERD_CONCAT_INNER(a, b)

// ROSTERD_TRY(expr): returns the error of a failed Result<...>.
#define ROSTERD_TRY(expr)                                                     \
  do {                                                                        \
    if (auto rosterd_try_result = (expr); !rosterd_try_result)                \
      return ::tl::unexpected(std::move(rosterd_try_result.error()));         \
  } while (0)

// ROSTERD_ASSIGN(decl, expr): `decl = std::move(*result)` or return the error.
#define ROSTERD_ASSIGN(decl, expr) ROSTERD_ASSIGN_IMPL(ROSTERD_CONCAT(rosterd_r_, __LINE__), decl, expr)
#define ROSTERD_ASSIGN_IMPL(tmp, decl, expr)                                  \
  auto tmp = (expr);                                                          \
  if (!tmp) return ::tl::unexpected(std::move(tmp.error()));                  \
  decl = std::move(*tmp)
