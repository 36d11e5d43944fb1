# __main__.py: `python3 -m kvmmig_gtk` runs the application from the source
# tree (app/ on PYTHONPATH), as the installed kvmmig-gtk launcher does.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import sys

from kvmmig_gtk.application import main

sys.exit(main(sys.argv))
