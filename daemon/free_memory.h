// Gives the memory a large phase freed back to the operating system.
#pragma once

namespace rosterd {

// glibc keeps freed memory in its per-thread arenas for reuse, and a full sync of 100,000
// people frees hundreds of megabytes between its phases (the read, the comparison, the
// plan): without this, the process keeps the peak of every phase at once. Cheap (a walk of
// the free lists); a no-op on other C libraries.
void return_free_memory();

}  // namespace rosterd
