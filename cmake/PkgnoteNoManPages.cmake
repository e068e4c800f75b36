# SPDX-License-Identifier: MIT
# cpack's pre-build script in a build configured with -DPKGNOTE_MAN_PAGES=OFF: packages ship man
# pages (Debian policy, lintian's no-manual-page), so such a build does not package.
message(FATAL_ERROR "this build has no man pages (-DPKGNOTE_MAN_PAGES=OFF): configure it with "
                    "scdoc installed and -DPKGNOTE_MAN_PAGES=ON to package it")
