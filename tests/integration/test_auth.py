#!/usr/bin/python3
# test_auth.py: logging in to a libvirt daemon that wants SASL credentials
# (the testbed's SASL host, KVMMIG_SASL_URI), as an administrator does:
#  1. Python, through KvmmigHost::authenticate: the handler is asked for a
#     name (libvirt's suggested one given) and a password (a secret), on the
#     main context; answered, the host opens and lists its guests;
#     answered later from an idle (a dialog's way), it opens too.
#  2. A wrong password: KVMMIG_ERROR_AUTH_FAILED naming the host, the
#     handler asked exactly once (no retry loop); no handler at all:
#     AUTH_FAILED saying what the daemon asked for.
#  3. The kvmmig command on a pseudo-terminal: it shows libvirt's prompts,
#     reads the password with echo off (the password never appears in
#     what the terminal shows), and lists the host; a wrong password exits
#     with the host-unreachable code (3) saying authentication failed;
#     Ctrl-C at the password prompt quits at once (exit code 6).
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import pty
import re
import select
import subprocess
import time
import unittest

import gi
gi.require_version('Kvmmig', '1.0')
from gi.repository import GLib, Kvmmig  # noqa: E402

import taprunner  # noqa: E402
import testbed  # noqa: E402

TB = testbed.load()
SASL_URI = TB.env.get('KVMMIG_SASL_URI')


def sasl_password():
    with open(TB.env['KVMMIG_SASL_PASSWORD_FILE']) as f:
        return f.read().strip()


def open_with(host, timeout=60):
    """Opens host with open_async on a main loop; (ok, error)."""
    loop = GLib.MainLoop()
    out = {}

    def done(h, result):
        try:
            out['ok'] = h.open_finish(result)
        except GLib.Error as e:
            out['ok'], out['error'] = False, e
        loop.quit()

    host.open_async(None, done)
    GLib.timeout_add_seconds(timeout, loop.quit)
    loop.run()
    return out.get('ok'), out.get('error')


@unittest.skipUnless(SASL_URI, 'the testbed has no SASL host (KVMMIG_SASL_URI): '
                     'bring it up with this version of kvmmig-testbed')
class AuthTest(unittest.TestCase):
    def handler(self, password, later=False):
        calls = []

        def on_authenticate(host, request):
            kinds = [request.get_kind(i) for i in range(request.props.n_credentials)]
            calls.append((kinds, [request.get_prompt(i) for i in range(len(kinds))]))

            def answer():
                for i, kind in enumerate(kinds):
                    if request.is_secret(i):
                        request.set_answer(i, password)
                    elif kind in (Kvmmig.CredentialKind.AUTHNAME, Kvmmig.CredentialKind.USERNAME):
                        request.set_answer(i, TB.env['KVMMIG_SASL_USER'])
                request.reply()
                return False
            if later:
                GLib.timeout_add(200, answer)
            else:
                answer()
            return True
        return on_authenticate, calls

    def test_1_python_answers(self):
        for later in (False, True):
            host = Kvmmig.Host.new(SASL_URI)
            on_auth, calls = self.handler(sasl_password(), later=later)
            host.connect('authenticate', on_auth)
            ok, err = open_with(host)
            print('# asked %r' % calls)
            self.assertTrue(ok, err and err.message)
            self.assertEqual(len(calls), 1)
            self.assertTrue(any(k == Kvmmig.CredentialKind.PASSPHRASE for k in calls[0][0]),
                            calls)
            self.assertIsInstance(host.list_guests(None), list)
            host.close()

    def test_2_wrong_or_no_answer(self):
        host = Kvmmig.Host.new(SASL_URI)
        on_auth, calls = self.handler('not-the-password')
        host.connect('authenticate', on_auth)
        ok, err = open_with(host)
        self.assertFalse(ok)
        print('# %s' % err.message)
        self.assertTrue(err.matches(Kvmmig.error_quark(), Kvmmig.Error.AUTH_FAILED), err.message)
        self.assertIn(SASL_URI, err.message)
        self.assertEqual(len(calls), 1, 'asked again after a wrong password')
        self.assertNotIn('not-the-password', err.message)

        host = Kvmmig.Host.new(SASL_URI)
        ok, err = open_with(host)
        self.assertFalse(ok)
        print('# %s' % err.message)
        self.assertTrue(err.matches(Kvmmig.error_quark(), Kvmmig.Error.AUTH_FAILED), err.message)
        self.assertIn('asks for credentials', err.message)

    def cli_on_pty(self, password, interrupt=False):
        """Runs `kvmmig hosts SASL_URI` on a pseudo-terminal, answering
        each prompt; returns (exit code, all the terminal showed)."""
        pid, fd = pty.fork()
        if pid == 0:
            os.execv(os.environ['KVMMIG_CLI'], ['kvmmig', 'hosts', SASL_URI])
        shown = b''
        answered = 0
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            r, _, _ = select.select([fd], [], [], 1)
            if not r:
                continue
            try:
                data = os.read(fd, 4096)
            except OSError:
                break
            if not data:
                break
            shown += data
            # Each prompt once, as a user answers it: a name, or the password.
            prompts = re.findall(rb'(?i)(name|password)[^:\n]*: ', shown)
            while answered < len(prompts):
                what = prompts[answered].lower()
                if what == b'password' and interrupt:
                    os.write(fd, b'\x03')      # Ctrl-C, as the terminal sends it
                else:
                    os.write(fd, (password if what == b'password' else
                                  TB.env['KVMMIG_SASL_USER']).encode() + b'\n')
                answered += 1
        if time.monotonic() >= deadline:
            os.kill(pid, 9)
        _, status = os.waitpid(pid, 0)
        os.close(fd)
        return os.waitstatus_to_exitcode(status), shown.decode(errors='replace')

    def test_3_cli_on_a_terminal(self):
        password = sasl_password()
        code, shown = self.cli_on_pty(password)
        print('# ' + shown.replace('\r', '').replace('\n', '\n# '))
        self.assertEqual(code, 0, shown)
        self.assertIn('asks for credentials', shown)
        self.assertRegex(shown, r'(?i)password')
        self.assertNotIn(password, shown, 'the password was echoed')

        code, shown = self.cli_on_pty('not-the-password')
        print('# ' + shown.replace('\r', '').replace('\n', '\n# '))
        self.assertEqual(code, 3, shown)
        self.assertRegex(shown, r'(?i)auth')
        self.assertNotIn('not-the-password', shown)

        # Ctrl-C at the password prompt: out at once, nothing changed.
        code, shown = self.cli_on_pty(password, interrupt=True)
        print('# ' + shown.replace('\r', '').replace('\n', '\n# '))
        self.assertEqual(code, 6, shown)
        self.assertIn('interrupted while the host asked for credentials', shown)


if __name__ == '__main__':
    taprunner.main()
