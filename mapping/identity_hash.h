// 64-bit fingerprints of what the rules engine reads of an identity or a group, so that
// IncrementalMapper can tell what changed between two Directories without keeping a copy
// of the old one. Every field is hashed with its length (no two field lists give the same
// byte stream); a wyhash-style mix of 16 bytes per multiply keeps a pass over 100,000
// identities to a few milliseconds.
#pragma once

#include <cstdint>
#include <string_view>

#include "mapping/directory.h"

namespace rosterd {

// The bytes of `text`, mixed with `seed` (chain calls to hash several fields).
std::uint64_t hash_bytes(std::string_view text, std::uint64_t seed);

// Every field of the identity: source, id, user_name, display_name, emails, active,
// attributes_json, groups, created.
std::uint64_t hash_identity(const DirectoryPerson& person);

// The primary email only (what a manager reference resolves to); empty without one.
std::uint64_t hash_primary_email(const DirectoryPerson& person);

// Every field of the group: source, id, display_name, dn, groups.
std::uint64_t hash_group(const DirectoryGroup& group);

}  // namespace rosterd
