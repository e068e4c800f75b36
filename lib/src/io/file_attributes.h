// SPDX-License-Identifier: MIT
// Extended attributes (capabilities, user.*, security labels, trusted.*, POSIX ACLs, which the
// kernel keeps as system.posix_acl_access) carried from a file to the copy that replaces it.
#pragma once

#include "pkgnote/atomic_file.h"

#include <string>

namespace pkgnote::detail {

// Makes TO's extended attributes those of FROM: every attribute FROM has is set on TO unless TO
// already holds the same value, and every attribute TO has that FROM lacks (an access ACL
// inherited from the directory's default ACL, say) is removed. Call it after the last write,
// truncate and fchown of TO (each of those clears security.capability) and before its final
// fchmod (which keeps an ACL's mask and the mode's group bits in step). An attribute counts as kept
// when TO ends up with FROM's value: a file system that refuses to set an attribute but already
// gives TO the same value (a label fixed at mount time) is no error. errnum 0 when all went well;
// else the errno and a problem naming the attribute.
FillFailure copyExtendedAttributes(int from, int to);

// The name of FD's first attribute that hashes or signs the file's bytes (security.ima) or its
// inode and attributes (security.evm): a copy with other bytes cannot keep it truthfully. Empty
// when FD has none.
std::string attributeBoundToBytes(int fd);

} // namespace pkgnote::detail
