#!/usr/bin/python3
# test_examples.py: the three migration examples, examples/migrate.c (built
# as examples/kvmmig-migrate), migrate.py (/usr/bin/python3) and migrate.js
# (gjs -m), each run as its header says, on the testbed: one idle guest
# goes src -> dst (C), back (Python), and over again (GJS); after each, it
# runs and is defined where it went, and nowhere else. Then Ctrl-C: the
# Python and GJS examples interrupted (SIGINT, twice) while their
# migration sends memory at 5 MiB/s cancel it and exit with status 130,
# saying so, the guest running where it was and nowhere else.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import shutil
import signal
import subprocess
import time
import unittest

import taprunner  # noqa: E402
import testbed  # noqa: E402
from cli_helpers import guest_name, make_guest, persistent, remove_guest, where  # noqa: E402

TB = testbed.load()
SOURCE_ROOT = os.environ['KVMMIG_SOURCE_ROOT']
EXAMPLE_C = os.environ['KVMMIG_EXAMPLE_C']


class ExamplesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.name = guest_name('examples')
        make_guest(TB, cls.name)

    @classmethod
    def tearDownClass(cls):
        remove_guest(TB, cls.name)

    def migrate_with(self, command):
        here = where(TB, self.name)
        self.assertIn(here, ('src', 'dst'), 'the guest is not running on one host')
        there = 'dst' if here == 'src' else 'src'
        uris = {'src': TB.src_uri, 'dst': TB.dst_uri}

        proc = subprocess.run(command + [self.name, uris[here], uris[there]],
                              capture_output=True, text=True, timeout=300)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertIn("migrated '%s' in " % self.name, proc.stdout)
        self.assertNotIn('CRITICAL', proc.stderr)
        self.assertEqual(where(TB, self.name), there)
        self.assertTrue(persistent(uris[there], self.name))

    def test_1_c(self):
        if not os.path.exists(EXAMPLE_C):
            self.skipTest('examples are not built (-Dexamples=false)')
        self.migrate_with([EXAMPLE_C])

    def test_2_python(self):
        self.migrate_with(['/usr/bin/python3', os.path.join(SOURCE_ROOT, 'examples', 'migrate.py')])

    def test_3_gjs(self):
        gjs = shutil.which('gjs')
        if gjs is None:
            self.skipTest('gjs is not installed')
        self.migrate_with([gjs, '-m', os.path.join(SOURCE_ROOT, 'examples', 'migrate.js')])

    def interrupt(self, command):
        here = where(TB, self.name)
        self.assertIn(here, ('src', 'dst'), 'the guest is not running on one host')
        there = 'dst' if here == 'src' else 'src'
        uris = {'src': TB.src_uri, 'dst': TB.dst_uri}
        proc = subprocess.Popen(command + [self.name, uris[here], uris[there], '5'],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while testbed.memory_processed(uris[here], self.name) <= 0:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                self.fail('the example\'s migration never sent memory: %s'
                          % (proc.communicate()[1][-1000:],))
            time.sleep(0.2)
        proc.send_signal(signal.SIGINT)
        time.sleep(0.5)
        proc.send_signal(signal.SIGINT)      # absorbed while the cancel goes on
        out, err = proc.communicate(timeout=120)
        print('# exit %d; %s' % (proc.returncode, err.strip().splitlines()[-1:]), flush=True)
        self.assertEqual(proc.returncode, 130, out + err)
        self.assertIn('interrupted', err)
        self.assertIn('the guest runs on the source', err)
        self.assertNotIn('CRITICAL', err)
        self.assertEqual(where(TB, self.name), here)
        self.assertTrue(persistent(uris[here], self.name))

    def test_4_python_ctrl_c(self):
        self.interrupt(['/usr/bin/python3', os.path.join(SOURCE_ROOT, 'examples', 'migrate.py')])

    def test_5_gjs_ctrl_c(self):
        gjs = shutil.which('gjs')
        if gjs is None:
            self.skipTest('gjs is not installed')
        self.interrupt([gjs, '-m', os.path.join(SOURCE_ROOT, 'examples', 'migrate.js')])


if __name__ == '__main__':
    taprunner.main()
