# a11y.py: driving kvmmig-gtk as an assistive technology does, through
# AT-SPI (pyatspi) only: the application found on the accessibility bus,
# widgets found by role and name, buttons clicked by their action, text
# typed through EditableText, list rows selected through Selection, and
# waiting for a state to come (never a fixed sleep).
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import time

import pyatspi


class Timeout(AssertionError):
    pass


def wait_for(what, fn, timeout=30, interval=0.1):
    """fn()'s first true value within timeout seconds, else Timeout
    saying what was awaited."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = fn()
        except Exception:   # a widget going away while read: ask again
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise Timeout('waited %d s for %s' % (timeout, what))
        time.sleep(interval)


def application(name, timeout=30):
    def look():
        for app in pyatspi.Registry.getDesktop(0):
            if app is not None and app.name == name:
                return app
    return wait_for('the application %s on the accessibility bus' % name, look, timeout)


def walk(acc):
    """acc and everything under it, depth first."""
    stack = [acc]
    while stack:
        a = stack.pop()
        if a is None:
            continue
        yield a
        try:
            children = [a.getChildAtIndex(i) for i in range(a.childCount)]
        except Exception:
            continue
        stack.extend(reversed(children))


def named(acc, name):
    """Whether acc is called name. GTK 4.8 adds the text of a mnemonic
    label to a widget's own accessible label ('Connection name Name'), and
    a button's mnemonic ('_Add Add'): the first words count."""
    n = acc.name or ''
    return n == name or n.startswith(name + ' ') or \
        n.replace('_', '') == name or n.replace('_', '').startswith(name + ' ')


def find_all(root, role=None, name=None, pred=None):
    found = []
    for a in walk(root):
        try:
            if role and a.getRoleName() != role:
                continue
            if name is not None and not named(a, name):
                continue
            if pred and not pred(a):
                continue
        except Exception:
            continue
        found.append(a)
    return found


def find(root, role=None, name=None, pred=None, timeout=30):
    """The first widget shown under root with role and name."""
    def shown(a):
        return showing(a) and (pred is None or pred(a))
    return wait_for('a %s named %r' % (role or 'widget', name),
                    lambda: (find_all(root, role, name, shown) or [None])[0], timeout)


def text(acc):
    t = acc.queryText()
    return t.getText(0, t.characterCount)


def labels(acc):
    """The texts of the labels under acc, in order."""
    return [text(a) for a in find_all(acc, role='label')]


def click(acc):
    action = acc.queryAction()
    for i in range(action.nActions):
        if action.getName(i) in ('click', 'press', 'activate'):
            return action.doAction(i)
    return action.doAction(0)


def type_text(acc, value):
    acc.queryEditableText().setTextContents(value)


def showing(acc):
    # GTK 4.8 says visible, never showing.
    return acc.getState().contains(pyatspi.STATE_VISIBLE)


def sensitive(acc):
    return acc.getState().contains(pyatspi.STATE_SENSITIVE)


def select_row(listacc, label):
    """Selects the row of listacc that has a label reading label; returns
    its index."""
    def index():
        for i in range(listacc.childCount):
            if label in labels(listacc.getChildAtIndex(i)):
                return i + 1
    i = wait_for('a row %r in %r' % (label, listacc.name), index) - 1
    listacc.querySelection().selectChild(i)
    return i


def row_labels(listacc):
    return [labels(listacc.getChildAtIndex(i)) for i in range(listacc.childCount)]
