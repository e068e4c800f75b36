// SPDX-License-Identifier: MIT
// processesToCycloneDx (ps.h): the running modules of each readable process, as read's CycloneDX
// writer takes a core's modules, the occurrences naming the process instead of a core file.
#include "pkgnote/ps.h"

namespace pkgnote {

std::string processesToCycloneDx(const std::vector<ProcessReport> &processes,
                                 const CycloneDxOptions &options) {
  std::vector<ModuleGroup> groups;
  for (const ProcessReport &process : processes) {
    if (process.error)
      continue;
    ModuleGroup group{"process " + std::to_string(process.pid) + " (" + process.comm + ")", {}};
    for (const ProcessModule &module : process.modules)
      group.modules.push_back(module.module);
    groups.push_back(std::move(group));
  }
  return modulesToCycloneDx(groups, options);
}

} // namespace pkgnote
