#include "daemon/free_memory.h"

// Any standard header defines __GLIBC__ (through <features.h>); without one before the
// check below, the check was always false and nothing was ever returned.
#include <cstdlib>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace rosterd {

void return_free_memory() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

}  // namespace rosterd
