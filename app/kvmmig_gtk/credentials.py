# credentials.py: the dialog that answers a host's Kvmmig.AuthRequest
# (KvmmigHost::authenticate): one entry per credential, secret ones
# hidden as typed. The answers go to the request, nowhere else: never
# printed nor logged.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

from gi.repository import Adw, Gtk, Kvmmig

KIND_LABELS = {
    Kvmmig.CredentialKind.USERNAME: 'User name',
    Kvmmig.CredentialKind.AUTHNAME: 'Authorize as',
    Kvmmig.CredentialKind.PASSPHRASE: 'Password',
    Kvmmig.CredentialKind.REALM: 'Realm',
}


def ask(parent, conn_name, request):
    """Shows the dialog for request; answers it (reply) or declines it
    (cancel) when the user responds. Returns True: the request is handled."""
    dialog = Adw.MessageDialog(
        transient_for=parent, modal=True,
        heading='Log in to %s' % conn_name,
        body='The libvirt daemon at %s asks for credentials.' % request.get_uri())
    box = Gtk.Box(orientation=Gtk.Orientation.VERTICAL, spacing=6)
    entries = []
    for i in range(request.get_n_credentials()):
        kind = request.get_kind(i)
        prompt = (request.get_prompt(i) or KIND_LABELS.get(kind, 'Answer')).rstrip(': ')
        label = Gtk.Label(label=prompt, xalign=0, use_underline=False)
        if request.is_secret(i):
            entry = Gtk.PasswordEntry(show_peek_icon=True, activates_default=True)
        else:
            entry = Gtk.Entry(activates_default=True, text=request.get_default(i) or '')
        entry.update_property([Gtk.AccessibleProperty.LABEL], [prompt])
        label.set_mnemonic_widget(entry)
        box.append(label)
        box.append(entry)
        entries.append(entry)
    dialog.set_extra_child(box)
    dialog.add_response('cancel', '_Cancel')
    dialog.add_response('login', '_Log In')
    dialog.set_response_appearance('login', Adw.ResponseAppearance.SUGGESTED)
    dialog.set_default_response('login')
    dialog.set_close_response('cancel')

    def on_response(_dialog, response):
        if response == 'login':
            for i, entry in enumerate(entries):
                request.set_answer(i, entry.get_text())
                entry.set_text('')
            request.reply()
        else:
            request.cancel()

    dialog.connect('response', on_response)
    dialog.present()
    if entries:
        entries[0].grab_focus()
    return True
