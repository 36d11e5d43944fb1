# taprunner.py: runs a module's unittest tests and reports them as TAP,
# so that `meson test` counts each Python test case, each followed by a
# comment with the seconds it took (where a slow suite spends its time).
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import sys
import time
import traceback
import unittest


class _TapResult(unittest.TestResult):
    def __init__(self):
        super().__init__()
        self.n = 0
        self.t0 = time.monotonic()

    def startTest(self, test):
        super().startTest(test)
        self.t0 = time.monotonic()

    def _line(self, ok, test, extra=''):
        self.n += 1
        print('%s %d - %s%s' % ('ok' if ok else 'not ok', self.n, test.id(), extra),
              flush=True)
        print('# %s: %.1f s' % (test.id().rsplit('.', 1)[-1], time.monotonic() - self.t0),
              flush=True)

    def addSuccess(self, test):
        super().addSuccess(test)
        self._line(True, test)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._line(False, test)
        self._diag(err)

    def addError(self, test, err):
        super().addError(test, err)
        self._line(False, test)
        self._diag(err)

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._line(True, test, ' # SKIP %s' % reason)

    def _diag(self, err):
        for line in ''.join(traceback.format_exception(*err)).splitlines():
            print('# ' + line, flush=True)


def _tests(suite):
    for t in suite:
        if isinstance(t, unittest.TestSuite):
            yield from _tests(t)
        else:
            yield t


def _shard(suite, spec):
    """The tests of shard I of N (spec "I/N", from 1): every Nth test in
    the loader's order, starting at the Ith; so that meson runs a long
    module as N tests side by side."""
    i, n = (int(x) for x in spec.split('/'))
    if not 1 <= i <= n:
        raise SystemExit('KVMMIG_TEST_SHARD=%s: want I/N with 1 <= I <= N' % spec)
    return unittest.TestSuite(t for k, t in enumerate(_tests(suite)) if k % n == i - 1)


def main(module='__main__'):
    """Runs the module's tests, or only those named on the command line
    (e.g. FaultTest.test_05_source_qemu_dies); with KVMMIG_TEST_SHARD=I/N
    in the environment, only shard I of N of them."""
    if len(sys.argv) > 1:
        suite = unittest.defaultTestLoader.loadTestsFromNames(sys.argv[1:], sys.modules[module])
    else:
        suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[module])
    if os.environ.get('KVMMIG_TEST_SHARD'):
        suite = _shard(suite, os.environ['KVMMIG_TEST_SHARD'])
    print('TAP version 13')
    print('1..%d' % suite.countTestCases(), flush=True)
    result = _TapResult()
    suite.run(result)
    sys.exit(0 if result.wasSuccessful() else 1)
