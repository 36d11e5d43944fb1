# tutorial_support.py: what doc/tutorial.md's hidden steps call when
# test_tutorial.py runs the page as a program (its `<!-- hidden python`
# comments): the LUN reserved with the testbed, and what virsh, rather
# than the library, says about the guest.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import subprocess


def placeholder_name():
    """The testbed guest that holds the tutorial's LUN reservation."""
    return 'tut-lun-%d' % os.getpid()


def reserve_lun(testbed, env, candidates):
    """Reserves with the testbed the first LUN of `candidates` (volumes,
    best first) that it has not promised to anyone, and returns that
    volume. The testbed is shared: its `guest` command hands out any LUN it
    has no record of, even one a hand-made guest uses. A placeholder guest
    takes the LUN (--lun) and is removed at once; the testbed keeps the LUN
    for it until `guest-rm` of the placeholder, which also wipes it."""
    placeholder = placeholder_name()
    for volume in candidates:
        lun = volume.props.name.rsplit(':', 1)[1]
        r = subprocess.run([testbed, 'guest', placeholder, '--lun', lun, '--no-wait'],
                           capture_output=True, text=True)
        if r.returncode != 0:
            print('(the testbed keeps LUN %s for another guest: %s)' % (lun, r.stderr.strip()))
            continue
        for command in ('destroy', 'undefine'):
            subprocess.run(['virsh', '-q', '-c', env['KVMMIG_SRC_URI'], command, placeholder],
                           capture_output=True)
        print('TUTORIAL-CHECK lun %s' % volume.props.name)
        return volume
    raise SystemExit('the testbed has no LUN left for the tutorial')


def release_lun(testbed):
    subprocess.run([testbed, 'guest-rm', placeholder_name()], check=True, capture_output=True)


def report_where(env, name, when):
    """Prints, for the test, the guest's state and persistence on each host
    as virsh sees them."""
    for label in ('SRC', 'DST'):
        r = subprocess.run(['virsh', '-c', env['KVMMIG_%s_URI' % label], 'dominfo', name],
                           capture_output=True, text=True)
        fields = dict((k.strip(), v.strip()) for k, _, v in
                      (line.partition(':') for line in r.stdout.splitlines()))
        print('TUTORIAL-CHECK %s %s state=%s persistent=%s' % (
            when, label.lower(), fields.get('State', 'absent').replace(' ', '-'),
            fields.get('Persistent', 'no')))
