#!/usr/bin/python3
# test_bench_chart.py: bench/kvmmig-bench-chart draws the committed figures
# (bench/results/results.json) as the README's SVG: one bar per contender
# and scenario, each labelled with its median time or "did not finish", and
# the committed doc/images/benchmark.svg is what it draws from them; the
# scenarios without shared storage get their panel, a skipped one none.
import os
import subprocess
import sys
import tempfile
import unittest
import json
import xml.etree.ElementTree as ET

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHART = os.path.join(TOP, 'bench', 'kvmmig-bench-chart')
RESULTS = os.path.join(TOP, 'bench', 'results', 'results.json')
NS = '{http://www.w3.org/2000/svg}'


class BenchChart(unittest.TestCase):
    def draw(self, results):
        out = os.path.join(self.tmp.name, 'chart.svg')
        r = subprocess.run([sys.executable, CHART, results, out], capture_output=True, text=True)
        return r, out

    def texts_of(self, data):
        """Draws `data` (a results.json's content) and returns the SVG's
        texts; the chart program must succeed."""
        path = os.path.join(self.tmp.name, 'results.json')
        with open(path, 'w') as f:
            json.dump(data, f)
        r, out = self.draw(path)
        self.assertEqual(r.returncode, 0, r.stderr)
        return [t.text for t in ET.parse(out).getroot().iter(NS + 'text')]

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def test_every_contender_has_its_bar(self):
        r, out = self.draw(RESULTS)
        self.assertEqual(r.returncode, 0, r.stderr)
        svg = ET.parse(out).getroot()
        texts = [t.text for t in svg.iter(NS + 'text')]
        with open(RESULTS) as f:
            data = json.load(f)
        for s in data['scenarios']:
            self.assertIn(s['title'], texts)
            for name, v in s['summary'].items():
                if v['finished'] * 2 > v['runs']:
                    want = '%.2f s' % v['wall_median']
                    self.assertTrue(any(t.startswith(want) for t in texts),
                                    '%s/%s: no label starting %r' % (s['key'], name, want))
        # Every contender of the run of 2026-12-07 finished: no such label
        # there (test_unfinished_bar draws one).
        dnf = sum(1 for s in data['scenarios'] for v in s['summary'].values()
                  if v['finished'] * 2 <= v['runs'])
        self.assertEqual(sum(1 for t in texts if t.startswith('did not finish')), dnf)

    def test_unfinished_bar(self):
        """A contender that finished at most half its runs gets a bar
        labelled "did not finish", not a median time."""
        with open(RESULTS) as f:
            data = json.load(f)
        s = next(s for s in data['scenarios'] if s['key'] == 'dirty150')
        s['summary']['virsh-ac-60-20'].update(runs=5, finished=2, wall_median=33.33)
        texts = self.texts_of(data)
        self.assertEqual(sum(1 for t in texts if t.startswith('did not finish')), 1)
        self.assertFalse(any(t.startswith('33.33 s') for t in texts))

    def test_committed_chart_is_up_to_date(self):
        r, out = self.draw(RESULTS)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out) as a, open(os.path.join(TOP, 'doc', 'images', 'benchmark.svg')) as b:
            self.assertEqual(a.read(), b.read(),
                             'doc/images/benchmark.svg is not drawn from bench/results/results.json: '
                             'run bench/kvmmig-bench-chart')

    def test_copy_scenarios(self):
        def summary(wall, downtime):
            return dict(runs=1, finished=1, wall_median=wall, downtime_median=downtime)
        data = dict(reps=1, date='2026-12-06', machine='m', qemu='q', libvirt='l', timeout_s=60,
                    scenarios=[
                        dict(key='copy-idle', title='copy idle panel', disk_mib=1024,
                             physical_limit_s=6.07,
                             summary={'virsh-copy-all': summary(11.9, 35),
                                      'virsh-copy-all-sync': summary(12.06, 43),
                                      'kvmmig-copy-all': summary(13.05, 30)}),
                        dict(key='copy-write', title='copy write panel', disk_mib=1024,
                             skipped='no diskwrite', runs=[], summary={})])
        texts = self.texts_of(data)
        self.assertIn('copy idle panel', texts)
        self.assertNotIn('copy write panel', texts)
        for label in ('kvmmig, copy-storage ALL (AUTO)', 'virsh --copy-storage-all',
                      'virsh --copy-storage-all, sync writes'):
            self.assertIn(label, texts)
        # Ratios are to libkvmmig's contender of the panel.
        self.assertIn('11.90 s, down 35 ms, 0.91 × kvmmig\'s time', texts)
        self.assertTrue(any('a copied disk' in t for t in texts))

    def test_no_figures_no_picture(self):
        empty = os.path.join(self.tmp.name, 'empty.json')
        with open(empty, 'w') as f:
            json.dump({'scenarios': []}, f)
        r, out = self.draw(empty)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('no scenarios', r.stderr)
        self.assertFalse(os.path.exists(out))


if __name__ == '__main__':
    unittest.main()
